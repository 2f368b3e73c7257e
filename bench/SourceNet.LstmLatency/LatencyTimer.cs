using System;
using System.Diagnostics;

namespace SourceNet.Bench.LstmLatency;

/// <summary>Latency of one call: median and 10th/90th percentiles in microseconds, managed bytes the calling thread
/// allocated per call.</summary>
internal sealed record Latency(double MedianUs, double P10Us, double P90Us, double AllocatedBytesPerCall);

/// <summary>Times single-image calls one by one, cycling through the first images of the test set.</summary>
internal static class LatencyTimer
{
    public static Latency Time(ISequenceRunner runner, int images, int warmup, int calls)
    {
        int sink = 0;
        for (int i = 0; i < warmup; i++)
        {
            sink += runner.InferOne(i % images);
        }
        var ticks = new long[calls];
        long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < calls; i++)
        {
            long start = Stopwatch.GetTimestamp();
            sink += runner.InferOne(i % images);
            ticks[i] = Stopwatch.GetTimestamp() - start;
        }
        double allocated = (double)(GC.GetAllocatedBytesForCurrentThread() - allocatedBefore) / calls;
        GC.KeepAlive(sink);
        Array.Sort(ticks);
        double usPerTick = 1e6 / Stopwatch.Frequency;
        return new Latency(Percentile(ticks, 0.5) * usPerTick, Percentile(ticks, 0.1) * usPerTick, Percentile(ticks, 0.9) * usPerTick, allocated);
    }

    /// <summary>Batch time in milliseconds of one call on every test image.</summary>
    public static double TimeBatch(ISequenceRunner runner, float[] logits)
    {
        long start = Stopwatch.GetTimestamp();
        runner.InferAll(logits);
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }

    // Nearest rank on sorted values.
    private static double Percentile(long[] sorted, double fraction) =>
        sorted[Math.Clamp((int)Math.Ceiling(fraction * sorted.Length) - 1, 0, sorted.Length - 1)];
}
