using System;
using System.Diagnostics;
using System.Globalization;
using SourceNet.Bench;
using SourceNet.Kernels;

namespace SourceNet.Benchmarks;

/// <summary>
/// <c>--quick</c>: best-of-many timings of the same kernels, printed as one table in seconds. On a shared
/// machine the minimum is the most stable estimate of what the kernel itself can do.
/// </summary>
public static class QuickTimer
{
    private static FmaPeak? s_peak;

    public static void Run(int[] threadCounts)
    {
        s_peak = FmaPeak.Measure();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Measured FMA peak ({s_peak.Vector}): {s_peak.OneThreadGflops:F1} GFLOP/s on 1 thread, {s_peak.TwoThreadGflops:F1} on 2"));
        var bench = new KernelBenchmarks();
        Console.WriteLine($"{"kernel",-36} {"threads",7} {"best us",10} {"median us",10} {"GFLOP/s",8} {"of peak",8}");
        foreach (int threads in threadCounts)
        {
            bench.Threads = threads;
            bench.Setup();
            if (threads == threadCounts[0])
                Console.WriteLine($"(sparse rows: {KernelBenchmarks.SparseSource} inputs; FLOPs counted dense)");
            Measure("Fwd1 100x784·784x300 relu", threads, 2.0 * 100 * 784 * 300, bench.Forward1);
            Measure("Fwd1 sparse X", threads, 2.0 * 100 * 784 * 300, bench.Forward1Sparse);
            Measure("Fwd2 100x300·300x10", threads, 2.0 * 100 * 300 * 10, bench.Forward2);
            Measure("dW1 Xᵀ·dZ 784x100·100x300", threads, 2.0 * 784 * 300 * 100, bench.WeightGradient1);
            Measure("dW1 sparse Xᵀ", threads, 2.0 * 784 * 300 * 100, bench.WeightGradient1Sparse);
            Measure("dW2 Hᵀ·dZ2 300x100·100x10", threads, 2.0 * 300 * 10 * 100, bench.WeightGradient2);
            Measure("dH dZ2·W2ᵀ 100x10·10x300", threads, 2.0 * 100 * 300 * 10, bench.InputGradient);
            Measure("dX dZ1·W1ᵀ 100x300·300x784", threads, 2.0 * 100 * 784 * 300, bench.InputGradientLarge);
            Measure("Infer m=1 1x784·784x300", threads, 2.0 * 784 * 300, bench.MatVec);
            Measure("Infer m=1 sparse image", threads, 2.0 * 784 * 300, bench.MatVecSparse);
            Measure("db1 ColumnSums 100x300", threads, 100.0 * 300, bench.BiasGradient);
            Measure("Adam 784x300", threads, 0, bench.AdamUpdate);
            Measure("Train step kernels", threads, 2.0 * (2.0 * 100 * 784 * 300 + 3.0 * 100 * 300 * 10), bench.TrainStepKernels);
        }
    }

    private static void Measure(string name, int threads, double flops, Action action)
    {
        (double best, double median) = Time(action);
        string gflops = flops > 0 ? (flops / best / 1e3).ToString("F1", CultureInfo.InvariantCulture) : "-";
        // Against the peak of as many threads as the kernel may use (a product too small to split is still
        // measured against the 2-thread peak: that is what the second core could have given).
        string ofPeak = flops > 0 ? (flops / best / 1e3 / s_peak!.GflopsFor(threads)).ToString("P0", CultureInfo.InvariantCulture) : "-";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name,-36} {threads,7} {best,10:F2} {median,10:F2} {gflops,8} {ofPeak,8}"));
    }

    /// <summary>Best and median microseconds per call over 41 samples, each repeated to at least ~200 us.</summary>
    internal static (double Best, double Median) Time(Action action)
    {
        for (int i = 0; i < 20; i++)
            action();
        int reps = 1;
        while (true)
        {
            long t0 = Stopwatch.GetTimestamp();
            for (int r = 0; r < reps; r++)
                action();
            if (Stopwatch.GetElapsedTime(t0).TotalMicroseconds > 200 || reps > 1 << 20)
                break;
            reps *= 2;
        }
        var samples = new double[41];
        for (int s = 0; s < samples.Length; s++)
        {
            long t0 = Stopwatch.GetTimestamp();
            for (int r = 0; r < reps; r++)
                action();
            samples[s] = Stopwatch.GetElapsedTime(t0).TotalMicroseconds / reps;
        }
        Array.Sort(samples);
        return (samples[0], samples[samples.Length / 2]);
    }
}
