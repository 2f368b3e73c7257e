// SourceNet's side of bench/compare-resnet.sh: the residual network (samples/MnistResNet/MnistResNet.cs), trained
// and timed as bench/peers/pytorch_resnet.py trains and times it: random batches with replacement, no augmentation.
// Prints one line: RESULT {json}.
//
// Usage: SourceNet.CompareResNet --data <folder> [--threads N] [--epochs N] [--batch N] [--steps N] [--seed N] [--eval 0|1] [--warmup N]
//   --threads sets KernelThreads.Count (default: SOURCENET_THREADS, read by the runtime, else min(cores, 2));
//   --steps 0 (the default) means 60000 / batch steps per epoch; --eval 0 skips the test-set accuracy;
//   --warmup: untimed training steps before the first epoch (tiered compilation, first touches), default 0.
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using SourceNet;
using SourceNet.Bench.Peers;
using SourceNet.Data;
using SourceNet.Kernels;
using SourceNet.Samples.MnistResNet;

namespace SourceNet.Bench.CompareResNet;

internal static class Program
{
    private static int Main(string[] args)
    {
        var options = Options.Parse(args);
        if (options.Threads > 0)
        {
            KernelThreads.Count = options.Threads;
        }
        int steps = options.Steps > 0 ? options.Steps : 60000 / options.Batch;
        MnistDataset data = MnistDataset.Load(options.Data);
        const int ImageSize = MnistDataset.ImageSize;

        var model = new MnistResNet(seed: options.Seed, maxBatchSize: options.Batch);
        var adam = new Adam(learningRate: 1e-3f);
        // Its own stream for the batches (as samples/MnistResNet does), so the initial weights do not depend on it.
        var sampler = new BatchSampler(data.TrainImages, data.TrainLabels, ImageSize, new SeededRandom(options.Seed + 1));
        var images = new float[options.Batch * ImageSize];
        var labels = new int[options.Batch];

        for (int step = 0; step < options.Warmup; step++)
        {
            sampler.NextRandomBatch(images, labels);
            model.TrainStep(images, labels, adam);
        }

        var epochSeconds = new List<double>();
        double allocPerStep = double.NaN;
        double lastLoss = double.NaN;
        for (int epoch = 0; epoch < options.Epochs; epoch++)
        {
            double lossSum = 0;
            long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
            long start = Stopwatch.GetTimestamp();
            for (int step = 0; step < steps; step++)
            {
                sampler.NextRandomBatch(images, labels);
                lossSum += model.TrainStep(images, labels, adam);
            }
            epochSeconds.Add(Stopwatch.GetElapsedTime(start).TotalSeconds);
            allocPerStep = (double)(GC.GetAllocatedBytesForCurrentThread() - allocatedBefore) / steps;
            lastLoss = lossSum / steps;
        }

        long evalStart = Stopwatch.GetTimestamp();
        double accuracy = options.Eval ? model.Evaluate(data.TestImages, data.TestLabels) : double.NaN;
        double evalSeconds = Stopwatch.GetElapsedTime(evalStart).TotalSeconds;

        double medianEpoch = Measure.Median(epochSeconds);
        var result = new Dictionary<string, object?>
        {
            ["system"] = "SourceNet",
            ["version"] = "SourceNet " + typeof(Adam).Assembly.GetName().Version + ", .NET " + Environment.Version,
            // What the kernels actually used, whichever way it was set.
            ["threads"] = KernelThreads.Count,
            ["epochs"] = options.Epochs,
            ["steps_per_epoch"] = steps,
            ["warmup_steps"] = options.Warmup,
            ["batch"] = options.Batch,
            ["epoch_s"] = epochSeconds,
            ["epoch_median_s"] = medianEpoch,
            ["epoch_min_s"] = Measure.Min(epochSeconds),
            ["epoch_max_s"] = Measure.Max(epochSeconds),
            ["step_ms"] = medianEpoch / steps * 1e3,
            ["steps_per_s"] = steps / medianEpoch,
            ["eval_s"] = evalSeconds,
            // Last epoch, the calling thread: the steady state after tiered compilation.
            ["alloc_step_bytes"] = allocPerStep,
            ["peak_rss_mib"] = Measure.PeakRssMiB(),
            // null when --eval 0 (JSON has no NaN).
            ["accuracy"] = double.IsNaN(accuracy) ? null : accuracy,
            ["final_loss"] = lastLoss,
        };
        Console.WriteLine("RESULT " + JsonSerializer.Serialize(result));
        return 0;
    }

    private sealed record Options(string Data, int Threads, int Epochs, int Batch, int Steps, int Seed, bool Eval, int Warmup)
    {
        public static Options Parse(string[] args)
        {
            var o = new Options("data/mnist", 0, 1, 50, 0, 1, true, 0);
            for (int i = 0; i < args.Length; i += 2)
            {
                if (i + 1 >= args.Length)
                {
                    throw new ArgumentException("Option " + args[i] + " needs a value.");
                }
                int Int() => int.Parse(args[i + 1], NumberStyles.Integer, CultureInfo.InvariantCulture);
                o = args[i] switch
                {
                    "--data" => o with { Data = args[i + 1] },
                    "--threads" => o with { Threads = Int() },
                    "--epochs" => o with { Epochs = Int() },
                    "--batch" => o with { Batch = Int() },
                    "--steps" => o with { Steps = Int() },
                    "--seed" => o with { Seed = Int() },
                    "--eval" => o with { Eval = Int() != 0 },
                    "--warmup" => o with { Warmup = Int() },
                    _ => throw new ArgumentException("Unknown option " + args[i]),
                };
            }
            return o;
        }
    }
}
