// The per-phase profile of one CNN training step (--phases): the dense layers' products at a sample chunk's size, the
// update of the 3136 x 1024 weight, and whole steps on one and two threads, next to the FMA peak probed in the same
// process, so that each phase's share and speed come from one run on a shared machine.
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using SourceNet;
using SourceNet.Bench.Peers;
using SourceNet.Data;
using SourceNet.Kernels;
using SourceNet.Samples.MnistCnn;

namespace SourceNet.Bench.CompareCnn;

internal static class Phases
{
    private const int Features = 3136, Units = 1024;

    /// <summary>A step's convolution and dense FLOP per sample, counted as bench/compare_cnn_report.py counts them: conv1
    /// forward and filter gradient, conv2's three passes, both dense layers' three products.</summary>
    private const double StepFlopPerSample =
        2 * (2.0 * 28 * 28 * 5 * 5 * 1 * 32) + 3 * (2.0 * 14 * 14 * 5 * 5 * 32 * 64) + 3 * 2.0 * (3136 * 1024 + 1024 * 10);

    /// <summary>Prints one line per phase: median and best milliseconds over <paramref name="rounds"/> calls, GFLOP/s
    /// and the share of the one-core FMA peak.</summary>
    public static void Run(MnistDataset data, int batch, int rounds)
    {
        int chunk = (batch + 1) / 2; // a batch of 32 or more trains as two sample chunks
        FmaPeak peak = FmaPeak.Measure();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"FMA peak: {peak.OneThreadGflops:F1} GFLOP/s on one core, {peak.TwoThreadGflops:F1} on two ({peak.Vector}); chunk {chunk} of a batch of {batch}"));

        int saved = KernelThreads.Count;
        KernelThreads.Count = 1;
        try
        {
            var random = new SeededRandom(7);
            float[] x = Filled(random, chunk * Features), dz = Filled(random, chunk * Units);
            var weight = new Parameter("Hidden.Weight", Features, Units);
            weight.InitializeNormal(random, 0.025f);
            float[] bias = new float[Units], y = new float[chunk * Units], dx = new float[chunk * Features];
            float[] rows = new float[6 * Units];
            double flops = 2.0 * chunk * Features * Units;

            Report("dense forward  X.W (chunk)", flops, peak, rounds,
                () => Gemm.MatMulBias<ReluActivation>(chunk, Units, Features, x, weight.Value, bias, y));
            Report("dense dX = dZ.W^T (chunk)", flops, peak, rounds,
                () => Gemm.MatMulTransposeB(chunk, Features, Units, dz, weight.Value, dx));
            Report("dense dW = X^T.dZ whole (chunk)", flops, peak, rounds,
                () => Gemm.MatMulTransposeA(Features, Units, chunk, x, dz, weight.Gradient));
            Report("dense dW by 6-row blocks (chunk)", flops, peak, rounds, () =>
            {
                for (int row = 0; row + 6 <= Features; row += 6)
                    Gemm.WeightGradientRows(Features, Units, chunk, row, 6, x, dz, rows);
            });
            var adam = new Adam(1e-3f);
            Report("Adam over the 3136x1024 weight", 0, peak, rounds, () =>
            {
                adam.BeginStep();
                adam.Update(weight);
            });
        }
        finally
        {
            KernelThreads.Count = saved;
        }

        foreach (int threads in new[] { 1, 2 })
        {
            KernelThreads.Count = threads;
            try
            {
                var model = new MnistCnn(seed: 1, maxBatchSize: batch);
                var adam = new Adam(1e-3f);
                var sampler = new BatchSampler(data.TrainImages, data.TrainLabels, MnistDataset.ImageSize, new SeededRandom(2));
                var images = new float[batch * MnistDataset.ImageSize];
                var labels = new int[batch];
                (double median, double best) = Report($"whole step, {threads} thread{(threads > 1 ? "s" : "")} (batch {batch})", 0, peak, Math.Max(rounds / 4, 5), () =>
                {
                    sampler.NextRandomBatch(images, labels);
                    model.TrainStep(images, labels, adam);
                });
                // The floor: the step's FLOP at the FMA peak probed above, at this thread count (the goals' measure).
                double floorMs = StepFlopPerSample * batch / (peak.GflopsFor(threads) * 1e6);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{"",-40} floor {floorMs:F1} ms: the step is {median / floorMs:F2}x its floor (median), {best / floorMs:F2}x (best)"));
            }
            finally
            {
                KernelThreads.Count = saved;
            }
        }
    }

    private static float[] Filled(SeededRandom random, int count)
    {
        var values = new float[count];
        random.FillNormal(values, 0f, 1f);
        return values;
    }

    private static (double Median, double Best) Report(string name, double flops, FmaPeak peak, int rounds, Action action)
    {
        for (int warm = 0; warm < 3; warm++)
            action();
        var times = new List<double>(rounds);
        for (int r = 0; r < rounds; r++)
        {
            long start = Stopwatch.GetTimestamp();
            action();
            times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        double median = Measure.Median(times), best = Measure.Min(times);
        string speed = flops > 0
            ? string.Create(CultureInfo.InvariantCulture, $"  {flops / median / 1e6,6:F1} GFLOP/s ({flops / median / 1e6 / peak.OneThreadGflops:P0} of the one-core peak)")
            : "";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-40} median {median,8:F3} ms  best {best,8:F3} ms{speed}"));
        return (median, best);
    }
}
