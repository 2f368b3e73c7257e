// ONNX Runtime peer of bench/compare.sh, inference only: it loads the network the PyTorch peer
// trained and exported (--model), and times single-image and whole-test-set inference the same
// way the other systems are timed. Prints one line: RESULT {json}.
//
// Usage: OnnxRuntimeMnist --data <folder> --model <file.onnx> [--threads N] [--single-calls N]
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.ML.OnnxRuntime;

namespace SourceNet.Bench.Peers;

internal static class Program
{
    private const int Classes = 10;

    private static int Main(string[] args)
    {
        var options = PeerOptions.Parse(args);
        if (options.Model is null)
        {
            Console.Error.WriteLine("OnnxRuntimeMnist: --model <file.onnx> is required.");
            return 2;
        }
        const int ImageSize = MnistIdx.ImageSize;
        float[] testImages = MnistIdx.ReadImages(options.Data, "t10k-images-idx3-ubyte.gz");
        long[] testLabels = MnistIdx.ReadLabels(options.Data, "t10k-labels-idx1-ubyte.gz");
        int testCount = testLabels.Length;

        using var sessionOptions = new SessionOptions
        {
            IntraOpNumThreads = options.Threads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        // ORT's own pool spins like OpenMP's; follow the same switch the other peers get.
        if (string.Equals(Environment.GetEnvironmentVariable("OMP_WAIT_POLICY"), "PASSIVE", StringComparison.OrdinalIgnoreCase))
        {
            sessionOptions.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        }
        using var session = new InferenceSession(options.Model, sessionOptions);
        using var runOptions = new RunOptions();
        string[] inputNames = ["images"];
        string[] outputNames = ["logits"];

        // Batch inference: the whole test set in one call, logits to predicted digits.
        var batchLogits = new float[testCount * Classes];
        var predictions = new int[testCount];
        var batchMs = new List<double>();
        using (var batchInput = OrtValue.CreateTensorValueFromMemory(testImages, [testCount, ImageSize]))
        using (var batchOutput = OrtValue.CreateTensorValueFromMemory(batchLogits, [testCount, Classes]))
        {
            OrtValue[] inputs = [batchInput];
            OrtValue[] outputs = [batchOutput];
            for (int run = 0; run < 6; run++)
            {
                long start = Stopwatch.GetTimestamp();
                session.Run(runOptions, inputNames, inputs, outputNames, outputs);
                for (int i = 0; i < testCount; i++)
                {
                    predictions[i] = ArgMax(batchLogits.AsSpan(i * Classes, Classes));
                }
                batchMs.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
        }
        batchMs.RemoveAt(0);
        int correct = 0;
        for (int i = 0; i < testCount; i++)
        {
            correct += predictions[i] == testLabels[i] ? 1 : 0;
        }

        // Single-image latency: copy the image into the bound input buffer, run, take the argmax.
        var image = new float[ImageSize];
        var logits = new float[Classes];
        var singleNs = new List<double>(options.SingleCalls);
        double allocPerInference;
        using (var input = OrtValue.CreateTensorValueFromMemory(image, [1, ImageSize]))
        using (var output = OrtValue.CreateTensorValueFromMemory(logits, [1, Classes]))
        {
            OrtValue[] inputs = [input];
            OrtValue[] outputs = [output];
            int sink = 0;
            for (int i = 0; i < 500; i++)
            {
                sink += PredictOne(session, runOptions, inputNames, inputs, outputNames, outputs, testImages, i % testCount, image, logits);
            }
            long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < options.SingleCalls; i++)
            {
                long start = Stopwatch.GetTimestamp();
                sink += PredictOne(session, runOptions, inputNames, inputs, outputNames, outputs, testImages, i % testCount, image, logits);
                singleNs.Add(Stopwatch.GetElapsedTime(start).Ticks * 100.0);
            }
            allocPerInference = (double)(GC.GetAllocatedBytesForCurrentThread() - allocatedBefore) / options.SingleCalls;
            GC.KeepAlive(sink);
        }

        var result = new Dictionary<string, object?>
        {
            ["system"] = "ONNX Runtime",
            ["version"] = "ONNX Runtime " + typeof(InferenceSession).Assembly.GetName().Version + " (inference only, PyTorch-trained weights)",
            ["threads"] = options.Threads,
            ["epochs"] = null,
            ["steps_per_epoch"] = null,
            ["epoch_s"] = null,
            ["epoch_median_s"] = null,
            ["epoch_min_s"] = null,
            ["epoch_max_s"] = null,
            ["step_ms"] = null,
            ["infer1_us"] = Measure.Median(singleNs) / 1e3,
            ["infer_batch_ms"] = Measure.Median(batchMs),
            ["alloc_step_bytes"] = null,
            // Managed bytes only: ORT's own buffers live in its native heap.
            ["alloc_infer_bytes"] = allocPerInference,
            ["peak_rss_mib"] = Measure.PeakRssMiB(),
            ["accuracy"] = (double)correct / testCount,
            ["final_loss"] = null,
        };
        Console.WriteLine("RESULT " + JsonSerializer.Serialize(result));
        return 0;
    }

    private static int PredictOne(
        InferenceSession session, RunOptions runOptions, string[] inputNames, OrtValue[] inputs,
        string[] outputNames, OrtValue[] outputs, float[] images, int row, float[] image, float[] logits)
    {
        Array.Copy(images, row * MnistIdx.ImageSize, image, 0, MnistIdx.ImageSize);
        session.Run(runOptions, inputNames, inputs, outputNames, outputs);
        return ArgMax(logits);
    }

    private static int ArgMax(ReadOnlySpan<float> values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++)
        {
            if (values[i] > values[best])
            {
                best = i;
            }
        }
        return best;
    }
}
