// SourceNet's side of bench/compare-cnn.sh: the deep MNIST CNN (samples/MnistCnn/MnistCnn.cs), trained and
// timed as bench/peers/pytorch_cnn.py trains and times it. Prints one line: RESULT {json}.
//
// Usage: SourceNet.CompareCnn --data <folder> [--threads N] [--epochs N] [--batch N] [--steps N] [--seed N]
//   --threads sets KernelThreads.Count (default: SOURCENET_THREADS, read by the runtime, else min(cores, 2));
//   --steps 0 (the default) means 60000 / batch steps per epoch.
//   --phases N: instead, the per-phase profile of a step (Phases.cs), each phase timed N times.
//   --split-phases N: instead, the 2-thread step split by samples, phase by phase (bench/Shared/SplitPhases.cs), N
//   rounds of --steps calls per phase.
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using SourceNet;
using SourceNet.Bench;
using SourceNet.Bench.Peers;
using SourceNet.Data;
using SourceNet.Kernels;
using SourceNet.Samples.MnistCnn;

namespace SourceNet.Bench.CompareCnn;

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
        if (options.Phases > 0)
        {
            Phases.Run(data, options.Batch, options.Phases);
            return 0;
        }
        if (options.SplitPhases > 0)
        {
            SplitPhases.Run(new MnistCnn(seed: options.Seed, maxBatchSize: options.Batch), data, options.Batch, options.SplitPhases, steps);
            return 0;
        }

        var model = new MnistCnn(seed: options.Seed, maxBatchSize: options.Batch);
        var adam = new Adam(learningRate: 1e-3f);
        // Its own stream for the batches (as samples/MnistCnn does), so the initial weights do not depend on it.
        var sampler = new BatchSampler(data.TrainImages, data.TrainLabels, ImageSize, new SeededRandom(options.Seed + 1));
        var images = new float[options.Batch * ImageSize];
        var labels = new int[options.Batch];

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
        float accuracy = model.Evaluate(data.TestImages, data.TestLabels);
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
            ["batch"] = options.Batch,
            ["epoch_s"] = epochSeconds,
            ["epoch_median_s"] = medianEpoch,
            ["epoch_min_s"] = Measure.Min(epochSeconds),
            ["epoch_max_s"] = Measure.Max(epochSeconds),
            ["step_ms"] = medianEpoch / steps * 1e3,
            ["eval_s"] = evalSeconds,
            // Last epoch, the calling thread: the steady state after tiered compilation.
            ["alloc_step_bytes"] = allocPerStep,
            ["peak_rss_mib"] = Measure.PeakRssMiB(),
            ["accuracy"] = (double)accuracy,
            ["final_loss"] = lastLoss,
        };
        Console.WriteLine("RESULT " + JsonSerializer.Serialize(result));
        return 0;
    }

    private sealed record Options(string Data, int Threads, int Epochs, int Batch, int Steps, int Seed, int Phases, int SplitPhases)
    {
        public static Options Parse(string[] args)
        {
            var o = new Options("data/mnist", 0, 1, 50, 0, 1, 0, 0);
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
                    "--phases" => o with { Phases = Int() },
                    "--split-phases" => o with { SplitPhases = Int() },
                    _ => throw new ArgumentException("Unknown option " + args[i]),
                };
            }
            return o;
        }
    }
}
