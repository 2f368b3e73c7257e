using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
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
/// [--calibration 500] [--method minmax|percentile] [--data DIR]</c>: quantises each checkpoint, prints float and int8
/// accuracy on the 10,000 test images, then times a 10,000-image <c>Forward</c> and single-image <c>Predict</c> calls,
/// float and int8 alternating (the order swapped every round), with the load average of each round.
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
            Console.Error.WriteLine("usage: --mlp FILE and/or --cnn FILE [--rounds N] [--single N] [--calibration N] [--method minmax|percentile] [--data DIR]");
            return 2;
        }
        int rounds = Int(options, "--rounds", 5);
        int single = Int(options, "--single", 2000);
        int calibration = Int(options, "--calibration", 500);
        var method = options.TryGetValue("--method", out string? m) && m == "percentile" ? CalibrationMethod.Percentile : CalibrationMethod.MinMax;
        string data = options.TryGetValue("--data", out string? d) ? d : Path.Combine("data", "mnist");

        MnistDataset mnist = MnistDataset.Load(data);
        Console.WriteLine($"kernel threads {SourceNet.Kernels.KernelThreads.Count}, calibration on {calibration} training images ({method}), {Environment.ProcessorCount} CPUs");
        var quantization = new QuantizationOptions { Method = method };
        if (options.TryGetValue("--mlp", out string? mlpPath))
        {
            var mlp = new MnistMlp(maxBatchSize: 100);
            Checkpoint.Load(mlpPath, mlp);
            Compare("MLP", mlp, mnist, calibration, quantization, rounds, single);
        }
        if (options.TryGetValue("--cnn", out string? cnnPath))
        {
            var cnn = new MnistCnn(maxBatchSize: 100);
            Checkpoint.Load(cnnPath, cnn);
            Compare("CNN", cnn, mnist, calibration, quantization, rounds, single);
        }
        return 0;
    }

    private static void Compare(string name, IClassifier network, MnistDataset mnist, int calibration, QuantizationOptions options, int rounds, int single)
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

        var batchRatios = new List<double>();
        var singleRatios = new List<double>();
        var batchFloat = new List<double>();
        var batchInt8 = new List<double>();
        var singleFloat = new List<double>();
        var singleInt8 = new List<double>();
        for (int round = 0; round <= rounds; round++)
        {
            bool floatFirst = round % 2 == 0;
            double f = 0, q = 0, sf = 0, sq = 0;
            for (int turn = 0; turn < 2; turn++)
            {
                if ((turn == 0) == floatFirst)
                {
                    f = Time(() => Forward(network, test, floatLogits));
                    sf = Time(() => PredictEach(network, test, single)) / single;
                }
                else
                {
                    q = Time(() => quantized.Forward(test, int8Logits));
                    sq = Time(() => PredictEach(quantized, test, single)) / single;
                }
            }
            if (round == 0)
                continue; // warm-up: the JIT's tiers and the buffers
            batchFloat.Add(f); batchInt8.Add(q); singleFloat.Add(sf); singleInt8.Add(sq);
            batchRatios.Add(f / q);
            singleRatios.Add(sf / sq);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  round {round} ({(floatFirst ? "float first" : "int8 first")}, load {LoadAverage()}): 10k batch float {f * 1e3:F1} ms, int8 {q * 1e3:F1} ms ({f / q:F2}x); single image float {sf * 1e6:F1} us, int8 {sq * 1e6:F1} us ({sf / sq:F2}x)"));
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name} speed-up over {rounds} rounds: 10k batch median {Measure.Median(batchRatios):F2}x (range {Measure.Min(batchRatios):F2}-{Measure.Max(batchRatios):F2}; float median {Measure.Median(batchFloat) * 1e3:F1} ms, int8 {Measure.Median(batchInt8) * 1e3:F1} ms), single image median {Measure.Median(singleRatios):F2}x (range {Measure.Min(singleRatios):F2}-{Measure.Max(singleRatios):F2}; float {Measure.Median(singleFloat) * 1e6:F1} us, int8 {Measure.Median(singleInt8) * 1e6:F1} us)"));
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

    private static double Time(Action action)
    {
        long start = Stopwatch.GetTimestamp();
        action();
        return Stopwatch.GetElapsedTime(start).TotalSeconds;
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";

    private static int Int(Dictionary<string, string> options, string name, int fallback) =>
        options.TryGetValue(name, out string? text) ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;
}
