// TorchSharp peer of bench/compare.sh: the TensorFlow 2 tutorial's MNIST network, timed the same
// way as the PyTorch and SourceNet runs. Prints one line: RESULT {json}.
//
// Usage: TorchSharpMnist --data <folder> [--threads N] [--epochs N] [--steps N] [--batch N] [--single-calls N] [--seed N]
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Text.Json;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SourceNet.Bench.Peers;

internal static class Program
{
    private const int ImageSize = MnistIdx.ImageSize;
    private const int Hidden = 300;
    private const int Classes = 10;

    private static int Main(string[] args)
    {
        var options = PeerOptions.Parse(args);
        torch.set_num_threads(options.Threads);
        torch.manual_seed(options.Seed);

        float[] trainImages = MnistIdx.ReadImages(options.Data, "train-images-idx3-ubyte.gz");
        long[] trainLabels = MnistIdx.ReadLabels(options.Data, "train-labels-idx1-ubyte.gz");
        float[] testImages = MnistIdx.ReadImages(options.Data, "t10k-images-idx3-ubyte.gz");
        long[] testLabels = MnistIdx.ReadLabels(options.Data, "t10k-labels-idx1-ubyte.gz");
        using Tensor trainX = torch.tensor(trainImages, new long[] { trainLabels.Length, ImageSize });
        using Tensor trainY = torch.tensor(trainLabels);
        using Tensor testX = torch.tensor(testImages, new long[] { testLabels.Length, ImageSize });
        using Tensor testY = torch.tensor(testLabels);

        // The tutorial's own parameters: plain tensors, x @ W + b via addmm (what nn.Linear does on CPU).
        var w1 = new Parameter(torch.randn(ImageSize, Hidden) * 0.03f);
        var b1 = new Parameter(torch.randn(Hidden) * 0.03f);
        var w2 = new Parameter(torch.randn(Hidden, Classes) * 0.03f);
        var b2 = new Parameter(torch.randn(Classes) * 0.03f);
        // TorchSharp's Adam defaults beta2 to 0.99: spell out Keras' values.
        var adam = torch.optim.Adam(new[] { w1, b1, w2, b2 }, lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-7);

        Tensor Forward(Tensor x) => torch.addmm(b2, torch.nn.functional.relu(torch.addmm(b1, x, w1, 1f, 1f)), w2, 1f, 1f);

        var epochSeconds = new List<double>();
        var allocPerStep = new List<double>();
        double lastLoss = double.NaN;
        long nTrain = trainLabels.Length;
        for (int epoch = 0; epoch < options.Epochs; epoch++)
        {
            double lossSum = 0;
            long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
            long start = Stopwatch.GetTimestamp();
            for (int step = 0; step < options.Steps; step++)
            {
                using var scope = torch.NewDisposeScope();
                Tensor idx = torch.randint(0, nTrain, new long[] { options.Batch }, dtype: ScalarType.Int64);
                Tensor x = trainX.index_select(0, idx);
                Tensor y = trainY.index_select(0, idx);
                Tensor loss = torch.nn.functional.cross_entropy(Forward(x), y);
                adam.zero_grad();
                loss.backward();
                adam.step();
                lossSum += loss.item<float>();
            }
            epochSeconds.Add(Stopwatch.GetElapsedTime(start).TotalSeconds);
            allocPerStep.Add((double)(GC.GetAllocatedBytesForCurrentThread() - allocatedBefore) / options.Steps);
            lastLoss = lossSum / options.Steps;
        }

        double accuracy;
        var batchMs = new List<double>();
        var singleNs = new List<double>(options.SingleCalls);
        double allocPerInference;
        using (torch.no_grad())
        {
            // Batch inference: the whole test set in one call, logits to predicted digits.
            long correct = 0;
            for (int run = 0; run < 6; run++)
            {
                using var scope = torch.NewDisposeScope();
                long start = Stopwatch.GetTimestamp();
                Tensor predictions = Forward(testX).argmax(1);
                batchMs.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                correct = predictions.eq(testY).sum().item<long>();
            }
            batchMs.RemoveAt(0);
            accuracy = (double)correct / testLabels.Length;

            // Single-image latency: one image in, one digit out, cycling through the test set.
            long nTest = testLabels.Length;
            for (int i = 0; i < 500; i++)
            {
                PredictOne(Forward, testX, i % nTest);
            }
            long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < options.SingleCalls; i++)
            {
                long start = Stopwatch.GetTimestamp();
                PredictOne(Forward, testX, i % nTest);
                singleNs.Add(Stopwatch.GetElapsedTime(start).Ticks * 100.0);
            }
            allocPerInference = (double)(GC.GetAllocatedBytesForCurrentThread() - allocatedBefore) / options.SingleCalls;
        }

        double medianEpoch = Measure.Median(epochSeconds);
        var result = new Dictionary<string, object?>
        {
            ["system"] = "TorchSharp",
            ["version"] = "TorchSharp " + typeof(torch).Assembly.GetName().Version + ", libtorch " + torch.__version__,
            ["threads"] = options.Threads,
            ["epochs"] = options.Epochs,
            ["steps_per_epoch"] = options.Steps,
            ["epoch_s"] = epochSeconds,
            ["epoch_median_s"] = medianEpoch,
            ["epoch_min_s"] = Measure.Min(epochSeconds),
            ["epoch_max_s"] = Measure.Max(epochSeconds),
            ["step_ms"] = medianEpoch / options.Steps * 1e3,
            ["infer1_us"] = Measure.Median(singleNs) / 1e3,
            ["infer_batch_ms"] = Measure.Median(batchMs),
            // Managed bytes only: tensors themselves live in libtorch's native heap.
            ["alloc_step_bytes"] = allocPerStep[^1],
            ["alloc_infer_bytes"] = allocPerInference,
            ["peak_rss_mib"] = Measure.PeakRssMiB(),
            ["accuracy"] = accuracy,
            ["final_loss"] = lastLoss,
        };
        Console.WriteLine("RESULT " + JsonSerializer.Serialize(result));
        return 0;
    }

    private static int PredictOne(Func<Tensor, Tensor> forward, Tensor images, long row)
    {
        using var scope = torch.NewDisposeScope();
        return (int)forward(images.narrow(0, row, 1)).argmax(1).item<long>();
    }
}
