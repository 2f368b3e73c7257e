using System;
using System.Collections.Generic;
using System.Linq;
using SourceNet.Bench.Peers;
using System.Diagnostics;
using System.Globalization;
using SourceNet.Data;
using SourceNet.Kernels;

namespace SourceNet.Bench.Compare;

/// <summary>
/// <c>--alternate ROUNDS</c>: the 2-thread / 1-thread step ratio measured inside one process. Each round trains
/// the tutorial's network for a stretch of steps at 1 thread, at 2 threads with the adaptive split (the default)
/// and at 2 threads always split, back to back, then times the 10,000-image inference the same three ways. One
/// process means one memory layout and one JIT state for all three; separate processes on this VM differ by up to
/// 1.5x from run to run at the same settings, more than the effect measured. Training is bit-identical at any
/// thread count, so the three stretches continue one run.
/// </summary>
internal static class ThreadsAlternation
{
    private static readonly ThreadSetting[] Settings = ThreadSetting.Compared;

    public static void Run(MnistDataset data, int rounds, int steps)
    {
        const int Batch = 100, ImageSize = MnistDataset.ImageSize;
        var model = new MnistMlp(seed: 1, maxBatchSize: Batch);
        var adam = new Adam(learningRate: 1e-3f);
        var sampler = new BatchSampler(data.TrainPixels, data.TrainLabels, ImageSize, new SeededRandom(1));
        var images = new float[Batch * ImageSize];
        var labels = new int[Batch];
        var predictions = new int[data.TestCount];
        float[] test = data.TestImages;

        double StepMs(int count)
        {
            long start = Stopwatch.GetTimestamp();
            for (int step = 0; step < count; step++)
            {
                sampler.NextRandomBatch(images, labels);
                model.TrainStep(images, labels, adam);
            }
            return Stopwatch.GetElapsedTime(start).TotalMilliseconds / count;
        }

        double InferMs()
        {
            model.Predict(test, predictions); // after a switch, the first call moves the weights between caches
            long start = Stopwatch.GetTimestamp();
            model.Predict(test, predictions);
            return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        ThreadSetting saved = ThreadSetting.Current();
        var step = new double[rounds, Settings.Length];
        var infer = new double[rounds, Settings.Length];
        StepMs(600); // JIT tiers and caches settle
        Console.WriteLine($"{rounds} rounds of {steps} steps per setting, in one process; step ms (10k-image inference ms)");
        for (int r = 0; r < rounds; r++)
        {
            var line = new List<string>();
            for (int s = 0; s < Settings.Length; s++)
            {
                Settings[s].Apply();
                StepMs(steps / 10); // the stretch after a switch moves the weights between the cores' caches
                step[r, s] = StepMs(steps);
                infer[r, s] = InferMs();
                line.Add(string.Create(CultureInfo.InvariantCulture, $"{Settings[s].Name} {step[r, s]:F3} ({infer[r, s]:F1})"));
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"round {r + 1,2}: {string.Join(" | ", line)} | 2t/1t {step[r, 1] / step[r, 0]:F2}, split/1t {step[r, 2] / step[r, 0]:F2}"));
        }
        saved.Apply();

        Console.WriteLine();
        for (int s = 1; s < Settings.Length; s++)
        {
            var ratios = new List<double>();
            var inferRatios = new List<double>();
            int lost = 0;
            for (int r = 0; r < rounds; r++)
            {
                ratios.Add(step[r, s] / step[r, 0]);
                inferRatios.Add(infer[r, s] / infer[r, 0]);
                lost += step[r, s] > 1.05 * step[r, 0] ? 1 : 0;
            }
            Console.WriteLine($"{Settings[s].Name} / 1 thread, training step: {Quantiles(ratios)}; rounds more than 5% slower: {lost} of {rounds}");
            Console.WriteLine($"{Settings[s].Name} / 1 thread, 10k inference: {Quantiles(inferRatios)}");
        }
        for (int s = 0; s < Settings.Length; s++)
        {
            var steps1 = new List<double>();
            var infers = new List<double>();
            for (int r = 0; r < rounds; r++)
            {
                steps1.Add(step[r, s]);
                infers.Add(infer[r, s]);
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{Settings[s].Name}: step median {Measure.Median(steps1):F3} ms (epoch of 600: {Measure.Median(steps1) * 0.6:F3} s), 10k inference median {Measure.Median(infers):F1} ms"));
        }
    }

    private static string Quantiles(List<double> values)
    {
        var v = values.OrderBy(x => x).ToList();
        double Q(double p) => v[Math.Min(v.Count - 1, (int)Math.Round(p * (v.Count - 1)))];
        return string.Create(CultureInfo.InvariantCulture,
            $"min {v[0]:F2}, p25 {Q(0.25):F2}, median {Q(0.5):F2}, p75 {Q(0.75):F2}, max {v[^1]:F2}");
    }
}
