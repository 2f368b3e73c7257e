using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Threading;
using SourceNet;
using SourceNet.Bench.Peers;
using SourceNet.Checkpoints;
using SourceNet.Data;
using SourceNet.Quantization;
using SourceNet.Samples.Mnist;
using SourceNet.Samples.MnistCnn;
using SourceNet.Training;

namespace SourceNet.Bench.Int8;

/// <summary>
/// <c>dotnet run -c Release --project bench/SourceNet.Int8 -- --mlp FILE --cnn FILE [--rounds 5] [--single 2000]
/// [--calibration 500] [--method minmax|percentile] [--threads N] [--data DIR] [--profile N]</c>: quantises each checkpoint, prints float and int8
/// accuracy on the 10,000 test images, then times a 10,000-image <c>Forward</c> and single-image <c>Predict</c> calls,
/// float and int8 alternating call by call (the order swapped every call), several calls per round, with the load
/// average of each round; <c>--profile N</c> instead times each layer on N images (<see cref="LayerProfile"/>).
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i + 1 < args.Length; i += 2)
            options[args[i]] = args[i + 1];
        if (args.Length % 2 != 0 || (!options.ContainsKey("--mlp") && !options.ContainsKey("--cnn")))
        {
            Console.Error.WriteLine("usage: --mlp FILE and/or --cnn FILE [--rounds N] [--single N] [--calibration N] [--method minmax|percentile] [--threads N] [--data DIR]");
            return 2;
        }
        int rounds = Int(options, "--rounds", 5);
        int single = Int(options, "--single", 2000);
        int calibration = Int(options, "--calibration", 500);
        int profile = Int(options, "--profile", 0);
        var method = options.TryGetValue("--method", out string? m) && m == "percentile" ? CalibrationMethod.Percentile : CalibrationMethod.MinMax;
        string data = options.TryGetValue("--data", out string? d) ? d : Path.Combine("data", "mnist");
        if (options.ContainsKey("--threads"))
            SourceNet.Kernels.KernelThreads.Count = Int(options, "--threads", 2);

        MnistDataset mnist = MnistDataset.Load(data);
        Console.WriteLine($"kernel threads {SourceNet.Kernels.KernelThreads.Count}, calibration on {calibration} training images ({method}), {Environment.ProcessorCount} CPUs");
        var quantization = new QuantizationOptions { Method = method };
        if (options.TryGetValue("--mlp", out string? mlpPath))
        {
            var mlp = new MnistMlp(maxBatchSize: 100);
            Checkpoint.Load(mlpPath, mlp);
            Compare("MLP", mlp, mnist, calibration, quantization, rounds, single, profile);
        }
        if (options.TryGetValue("--cnn", out string? cnnPath))
        {
            var cnn = new MnistCnn(maxBatchSize: 100);
            Checkpoint.Load(cnnPath, cnn);
            Compare("CNN", cnn, mnist, calibration, quantization, rounds, single, profile);
        }
        return 0;
    }

    private static void Compare(string name, IClassifier network, MnistDataset mnist, int calibration, QuantizationOptions options, int rounds, int single, int profile)
    {
        float[] test = mnist.TestImages;
        int[] labels = mnist.TestLabels;
        int count = labels.Length;
        var watch = Stopwatch.StartNew();
        QuantizedNetwork quantized = QuantizedNetwork.Create(network, mnist.TrainImages.AsSpan(0, calibration * MnistDataset.ImageSize), options);
        double quantizeSeconds = watch.Elapsed.TotalSeconds;

        float floatAccuracy = network.Evaluate(test, labels);
        float int8Accuracy = quantized.Evaluate(test, labels);
        var floatLogits = new float[count * 10];
        var int8Logits = new float[count * 10];
        Forward(network, test, floatLogits);
        quantized.Forward(test, int8Logits);
        int agree = 0;
        for (int i = 0; i < count; i++)
        {
            if (NetworkGuards.ArgMaxOrMinusOne(floatLogits.AsSpan(i * 10, 10)) == NetworkGuards.ArgMaxOrMinusOne(int8Logits.AsSpan(i * 10, 10)))
                agree++;
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name}: test accuracy float {100.0 * floatAccuracy:F2}%, int8 {100.0 * int8Accuracy:F2}% (loss {100.0 * (floatAccuracy - int8Accuracy):F2} points); predictions agree on {100.0 * agree / count:F2}%; quantised in {quantizeSeconds:F2} s"));
        Console.Write(quantized.Summary());
        if (profile > 0)
        {
            LayerProfile.Run(name, quantized, test, Math.Min(profile, count));
            return;
        }

        // Warm-up: both sides until each has run for a second and at least three times, then a pause for the JIT's
        // background tier-1 compiles to land. One short warm-up call left the first timed round of the MLP (a batch of
        // 35-80 ms) partly in tier-0 code: that round read 1.22x where the others read 2-3x.
        Warm(() => Forward(network, test, floatLogits), () => quantized.Forward(test, int8Logits));
        Warm(() => PredictEach(network, test, single), () => PredictEach(quantized, test, single));
        Thread.Sleep(500);

        var batch = new Sides();
        var one = new Sides();
        for (int round = 1; round <= rounds; round++)
        {
            // Each round times each side `Repeats` times, alternating call by call (the first side swapped every call),
            // and keeps the median of each: a burst from another tenant of the shared machine then hits one call of
            // one side, not the round's whole figure for that side.
            var round1 = new Sides();
            var round2 = new Sides();
            for (int repeat = 0; repeat < Repeats; repeat++)
            {
                bool floatFirst = (round + repeat) % 2 == 0;
                for (int turn = 0; turn < 2; turn++)
                {
                    if ((turn == 0) == floatFirst)
                    {
                        round1.AddFloat(Time(() => Forward(network, test, floatLogits)));
                        round2.AddFloat(Time(() => PredictEach(network, test, single)), single);
                    }
                    else
                    {
                        round1.AddInt8(Time(() => quantized.Forward(test, int8Logits)));
                        round2.AddInt8(Time(() => PredictEach(quantized, test, single)), single);
                    }
                }
            }
            batch.AddRound(round1);
            one.AddRound(round2);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  round {round} (load {LoadAverage()}): 10k batch float {round1.FloatWall * 1e3:F1} ms, int8 {round1.Int8Wall * 1e3:F1} ms ({round1.WallRatio:F2}x; CPU time {round1.CpuRatio:F2}x); single image float {round2.FloatWall * 1e6:F1} us, int8 {round2.Int8Wall * 1e6:F1} us ({round2.WallRatio:F2}x)"));
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name} speed-up over {rounds} rounds ({Repeats} calls of each per round, medians; {SourceNet.Kernels.KernelThreads.Count} kernel threads for both): 10k batch median {Measure.Median(batch.WallRatios):F2}x (range {Measure.Min(batch.WallRatios):F2}-{Measure.Max(batch.WallRatios):F2}; float median {Measure.Median(batch.FloatWalls) * 1e3:F1} ms, int8 {Measure.Median(batch.Int8Walls) * 1e3:F1} ms; CPU time {Measure.Median(batch.CpuRatios):F2}x, range {Measure.Min(batch.CpuRatios):F2}-{Measure.Max(batch.CpuRatios):F2}), single image median {Measure.Median(one.WallRatios):F2}x (range {Measure.Min(one.WallRatios):F2}-{Measure.Max(one.WallRatios):F2}; float {Measure.Median(one.FloatWalls) * 1e6:F1} us, int8 {Measure.Median(one.Int8Walls) * 1e6:F1} us)"));
    }

    /// <summary>Calls of each side per round.</summary>
    private const int Repeats = 3;

    private static void Warm(Action first, Action second)
    {
        long start = Stopwatch.GetTimestamp();
        for (int calls = 0; calls < 3 || Stopwatch.GetElapsedTime(start).TotalSeconds < 2; calls++)
        {
            first();
            second();
        }
    }

    /// <summary>The generated networks' <c>Forward</c>, which <see cref="IClassifier"/> does not declare.</summary>
    private static void Forward(IClassifier network, float[] inputs, float[] outputs)
    {
        switch (network)
        {
            case MnistMlp mlp: mlp.Forward(inputs, outputs); break;
            case MnistCnn cnn: cnn.Forward(inputs, outputs); break;
            default: throw new ArgumentException($"No Forward for {network.GetType().Name}.", nameof(network));
        }
    }

    private static int PredictEach(IClassifier network, float[] inputs, int count)
    {
        int sum = 0;
        for (int i = 0; i < count; i++)
        {
            ReadOnlySpan<float> image = inputs.AsSpan(i * MnistDataset.ImageSize, MnistDataset.ImageSize);
            sum += network switch
            {
                MnistMlp mlp => mlp.Predict(image),
                MnistCnn cnn => cnn.Predict(image),
                QuantizedNetwork q => q.Predict(image),
                _ => throw new ArgumentException($"No Predict for {network.GetType().Name}.", nameof(network)),
            };
        }
        return sum;
    }

    /// <summary>Wall-clock and process CPU seconds of one call (CPU time: every thread's, the kernel workers' included).</summary>
    private static (double Wall, double Cpu) Time(Action action)
    {
        TimeSpan cpu = Process.GetCurrentProcess().TotalProcessorTime;
        long start = Stopwatch.GetTimestamp();
        action();
        double wall = Stopwatch.GetElapsedTime(start).TotalSeconds;
        return (wall, (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds);
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";

    private static int Int(Dictionary<string, string> options, string name, int fallback) =>
        options.TryGetValue(name, out string? text) ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;
}
