using System;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Threading;

namespace SourceNet.Benchmarks;

/// <summary>
/// Measures the machine's fused multiply-add limit instead of assuming one: independent chains of
/// <see cref="Vector512.FusedMultiplyAdd(Vector512{float}, Vector512{float}, Vector512{float})"/>, enough of
/// them (12) to cover the FMA latency times the number of FMA pipes, so the loop is bound by throughput alone.
/// </summary>
public static class FmaProbe
{
    private const int Chains = 12;
    private const double FlopsPerIteration = Chains * 16 * 2.0;

    /// <summary>Best GFLOP/s of many short runs (about 0.5 ms each, so that some fall between other processes'
    /// time slices on a busy machine) with <paramref name="threads"/> threads running the loop at once.</summary>
    public static double Measure(int threads, int runs = 60, long iterations = 300_000)
    {
        if (!Vector512.IsHardwareAccelerated)
            return double.NaN;
        Chain(1000);
        double best = 0;
        for (int run = 0; run < runs; run++)
        {
            using var start = new Barrier(threads + 1);
            var workers = new Thread[threads];
            for (int t = 0; t < threads; t++)
            {
                workers[t] = new Thread(() => { start.SignalAndWait(); Chain(iterations); });
                workers[t].Start();
            }
            // The clock starts before the release: on a 2-core machine the workers can take both cores and finish
            // before this thread runs again, and a clock started after the barrier then reports absurd rates.
            long t0 = Stopwatch.GetTimestamp();
            start.SignalAndWait();
            foreach (Thread worker in workers)
                worker.Join();
            double seconds = Stopwatch.GetElapsedTime(t0).TotalSeconds;
            best = Math.Max(best, threads * iterations * FlopsPerIteration / seconds / 1e9);
        }
        return best;
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Chain(long iterations)
    {
        // Multiplier just below 1 and a small addend keep every value finite and normal for any iteration count.
        Vector512<float> m = Vector512.Create(0.999999f), a = Vector512.Create(1e-7f);
        Vector512<float> c0 = Vector512.Create(1f), c1 = Vector512.Create(2f), c2 = Vector512.Create(3f), c3 = Vector512.Create(4f);
        Vector512<float> c4 = c0 + c3, c5 = c1 + c3, c6 = c2 + c3, c7 = c3 + c3, c8 = c4 + c3, c9 = c5 + c3, c10 = c6 + c3, c11 = c7 + c3;
        for (long i = 0; i < iterations; i++)
        {
            c0 = Vector512.FusedMultiplyAdd(c0, m, a);
            c1 = Vector512.FusedMultiplyAdd(c1, m, a);
            c2 = Vector512.FusedMultiplyAdd(c2, m, a);
            c3 = Vector512.FusedMultiplyAdd(c3, m, a);
            c4 = Vector512.FusedMultiplyAdd(c4, m, a);
            c5 = Vector512.FusedMultiplyAdd(c5, m, a);
            c6 = Vector512.FusedMultiplyAdd(c6, m, a);
            c7 = Vector512.FusedMultiplyAdd(c7, m, a);
            c8 = Vector512.FusedMultiplyAdd(c8, m, a);
            c9 = Vector512.FusedMultiplyAdd(c9, m, a);
            c10 = Vector512.FusedMultiplyAdd(c10, m, a);
            c11 = Vector512.FusedMultiplyAdd(c11, m, a);
        }
        Vector512<float> sum = ((c0 + c1) + (c2 + c3)) + ((c4 + c5) + (c6 + c7)) + ((c8 + c9) + (c10 + c11));
        return Vector512.Sum(sum);
    }
}
