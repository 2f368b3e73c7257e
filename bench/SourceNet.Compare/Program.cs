// SourceNet's side of bench/compare.sh: the TensorFlow 2 tutorial's MNIST network, trained and
// timed exactly as the PyTorch and TorchSharp peers are (see bench/peers/). Prints one line:
// RESULT {json}. The kernel thread count comes from SOURCENET_THREADS, which the runtime reads.
//
// Usage: SourceNet.Compare --data <folder> [--epochs N] [--steps N] [--batch N] [--single-calls N] [--seed N]
//        SourceNet.Compare --breakdown [--data <folder>]   (where a TrainStep's time goes: StepBreakdown.cs)
//        SourceNet.Compare --alternate [rounds] [steps]    (1 thread against 2 in one process: ThreadsAlternation.cs)
//        SourceNet.Compare --split-phases [rounds] [steps] (where the 2-thread step split by samples goes: bench/Shared/SplitPhases.cs)
//        SourceNet.Compare --inference-breakdown [rounds] [chunk]   (where the 10k inference goes: InferenceBreakdown.cs)
//        (--alternate, --split-phases and --inference-breakdown read data/mnist, so run them from the repository root)
//        SourceNet.Compare --peak     (prints PEAK {json}: this machine's measured FMA peak, see bench/Shared/FmaPeak.cs)
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Text.Json;
using SourceNet;
using SourceNet.Bench;
using SourceNet.Data;
using SourceNet.Bench.Peers;
using SourceNet.Kernels;

namespace SourceNet.Bench.Compare;

/// <summary>The tutorial's network: 784 inputs, 300 ReLU units, 10 logits, softmax cross-entropy.</summary>
[Network(Input = MnistDataset.ImageSize, Loss = Loss.SoftmaxCrossEntropy)]
public sealed partial class MnistMlp
{
    /// <summary>The hidden layer.</summary>
    [Dense(300, Activation.ReLU)]
    public partial DenseLayer Hidden { get; }

    /// <summary>The output layer (logits).</summary>
    [Dense(MnistDataset.ClassCount)]
    public partial DenseLayer Output { get; }
}

internal static class Program
{
    private static int Main(string[] args)
    {
        if (args is ["--peak"] or ["peak"])
        {
            Console.WriteLine("PEAK " + FmaPeak.Measure().ToJson());
            return 0;
        }
        if (args.Length > 0 && args[0] == "--breakdown")
        {
            StepBreakdown.Run(MnistDataset.Load(args.Length > 2 && args[1] == "--data" ? args[2] : "data/mnist"), rounds: 15);
            return 0;
        }
        if (args.Length > 0 && args[0] == "--split-phases")
        {
            // --split-phases [rounds] [steps]: where the 2-thread step split by samples goes (SplitPhases).
            int rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10;
            int steps = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 300;
            SplitPhases.Run(new MnistMlp(seed: 1, maxBatchSize: 100), MnistDataset.Load("data/mnist"), batch: 100, rounds, steps);
            return 0;
        }
        if (args.Length > 0 && args[0] == "--inference-breakdown")
        {
            // --inference-breakdown [rounds] [chunk]: where the 10,000-image Predict's time goes (InferenceBreakdown).
            int rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 9;
            int chunk = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 100;
            InferenceBreakdown.Run(MnistDataset.Load("data/mnist"), rounds, chunk);
            return 0;
        }
        if (args.Length > 0 && args[0] == "--alternate")
        {
            // --alternate [rounds] [steps]: 1 thread against 2 inside one process (ThreadsAlternation).
            int rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20;
            int steps = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 300;
            ThreadsAlternation.Run(MnistDataset.Load("data/mnist"), rounds, steps);
            return 0;
        }
        var options = Options.Parse(args);
        MnistDataset data = MnistDataset.Load(options.Data);
        const int ImageSize = MnistDataset.ImageSize;

        var model = new MnistMlp(seed: options.Seed, maxBatchSize: options.Batch);
        var adam = new Adam(learningRate: 1e-3f);
        // The byte pixels, divided by 255 while gathered: the same batches as the float images (tested), a quarter
        // of the memory traffic, and no 188 MB float training set in the process.
        var sampler = new BatchSampler(data.TrainPixels, data.TrainLabels, ImageSize, new SeededRandom(options.Seed));
        var images = new float[options.Batch * ImageSize];
        var labels = new int[options.Batch];

        // Sized up front: a list growing inside an epoch's allocation window would count as the step's allocation.
        var epochSeconds = new List<double>(options.Epochs);
        var allocPerStep = new List<double>(options.Epochs);
        var allocPerStepAllThreads = new List<double>(options.Epochs);
        double lastLoss = double.NaN;
        for (int epoch = 0; epoch < options.Epochs; epoch++)
        {
            double lossSum = 0;
            long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
            long allocatedAllBefore = GC.GetTotalAllocatedBytes(precise: true);
            long start = Stopwatch.GetTimestamp();
            for (int step = 0; step < options.Steps; step++)
            {
                sampler.NextRandomBatch(images, labels);
                lossSum += model.TrainStep(images, labels, adam);
            }
            epochSeconds.Add(Stopwatch.GetElapsedTime(start).TotalSeconds);
            allocPerStep.Add((double)(GC.GetAllocatedBytesForCurrentThread() - allocatedBefore) / options.Steps);
            allocPerStepAllThreads.Add((double)(GC.GetTotalAllocatedBytes(precise: true) - allocatedAllBefore) / options.Steps);
            lastLoss = lossSum / options.Steps;
        }

        // Batch inference: the whole test set in one call, images to predicted digits.
        int testCount = data.TestCount;
        var predictions = new int[testCount];
        var batchMs = new List<double>();
        for (int run = 0; run < 6; run++)
        {
            long start = Stopwatch.GetTimestamp();
            model.Predict(data.TestImages, predictions);
            batchMs.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        batchMs.RemoveAt(0);
        int correct = 0;
        for (int i = 0; i < testCount; i++)
        {
            correct += predictions[i] == data.TestLabels[i] ? 1 : 0;
        }

        // Single-image latency: one image in, one digit out, cycling through the test set.
        ReadOnlySpan<float> test = data.TestImages;
        int sink = 0;
        for (int i = 0; i < 500; i++)
        {
            sink += model.Predict(test.Slice(i % testCount * ImageSize, ImageSize));
        }
        var singleNs = new List<double>(options.SingleCalls);
        long allocatedBeforeInference = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < options.SingleCalls; i++)
        {
            long start = Stopwatch.GetTimestamp();
            sink += model.Predict(test.Slice(i % testCount * ImageSize, ImageSize));
            singleNs.Add(Stopwatch.GetElapsedTime(start).Ticks * 100.0);
        }
        // Timing collection itself allocates nothing (the list was sized up front), so this delta is Predict's.
        double allocPerInference = (double)(GC.GetAllocatedBytesForCurrentThread() - allocatedBeforeInference) / options.SingleCalls;
        GC.KeepAlive(sink);

        double medianEpoch = Measure.Median(epochSeconds);
        var result = new Dictionary<string, object?>
        {
            ["system"] = "SourceNet",
            ["version"] = "SourceNet " + typeof(Adam).Assembly.GetName().Version + ", .NET " + Environment.Version,
            // What the runtime actually uses (it reads SOURCENET_THREADS at start-up).
            ["threads"] = KernelThreads.Count,
            ["epochs"] = options.Epochs,
            ["steps_per_epoch"] = options.Steps,
            ["epoch_s"] = epochSeconds,
            ["epoch_median_s"] = medianEpoch,
            ["epoch_min_s"] = Measure.Min(epochSeconds),
            ["epoch_max_s"] = Measure.Max(epochSeconds),
            ["step_ms"] = medianEpoch / options.Steps * 1e3,
            ["infer1_us"] = Measure.Median(singleNs) / 1e3,
            ["infer_batch_ms"] = Measure.Median(batchMs),
            // Last epoch: the steady state, after tiered compilation has settled.
            ["alloc_step_bytes"] = allocPerStep[^1],
            ["alloc_step_bytes_all_threads"] = allocPerStepAllThreads[^1],
            ["alloc_infer_bytes"] = allocPerInference,
            ["peak_rss_mib"] = Measure.PeakRssMiB(),
            ["accuracy"] = (double)correct / testCount,
            ["final_loss"] = lastLoss,
        };
        Console.WriteLine("RESULT " + JsonSerializer.Serialize(result));
        return 0;
    }

    private sealed record Options(string Data, int Epochs, int Steps, int Batch, int SingleCalls, int Seed)
    {
        public static Options Parse(string[] args)
        {
            var o = new Options("data/mnist", 10, 600, 100, 5000, 1);
            for (int i = 0; i + 1 < args.Length; i += 2)
            {
                string value = args[i + 1];
                o = args[i] switch
                {
                    "--data" => o with { Data = value },
                    "--epochs" => o with { Epochs = int.Parse(value, CultureInfo.InvariantCulture) },
                    "--steps" => o with { Steps = int.Parse(value, CultureInfo.InvariantCulture) },
                    "--batch" => o with { Batch = int.Parse(value, CultureInfo.InvariantCulture) },
                    "--single-calls" => o with { SingleCalls = int.Parse(value, CultureInfo.InvariantCulture) },
                    "--seed" => o with { Seed = int.Parse(value, CultureInfo.InvariantCulture) },
                    _ => throw new ArgumentException("Unknown option " + args[i]),
                };
            }
            return o;
        }
    }
}
