// The machine's fused multiply-add peak, measured rather than assumed: the widest accelerated vector
// (Vector512, else Vector256, else Vector128) in a loop of 16 FMAs per iteration per thread (16 independent chains;
// 12 for Vector256, whose 16 registers hold no more; 8 chains of two steps for Vector128), so neither
// the FMA latency (4 cycles on Zen 4/5) nor anything but the FMA pipes bounds it. Shared by bench/SourceNet.Benchmarks
// and bench/SourceNet.Compare (and through it bench/compare.sh): every GFLOP/s they print is also given as a
// fraction of the peak measured in the same run, and every floor as FLOPs / that peak.
using System;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using System.Threading;

namespace SourceNet.Bench;

/// <summary>A measured FMA peak: the vector width used and GFLOP/s on 1 thread and on 2 threads together.</summary>
public sealed record FmaPeak(string Vector, double OneThreadGflops, double TwoThreadGflops)
{
    /// <summary>Peak for <paramref name="threads"/> threads: the 2-thread figure for 2 or more (this probe
    /// measures at most 2), the 1-thread figure otherwise.</summary>
    public double GflopsFor(int threads) => threads >= 2 ? TwoThreadGflops : OneThreadGflops;

    public string ToJson() => string.Create(CultureInfo.InvariantCulture,
        $"{{\"vector\": \"{Vector}\", \"gflops_1\": {OneThreadGflops:F1}, \"gflops_2\": {TwoThreadGflops:F1}}}");

    /// <summary>Best of <paramref name="rounds"/> rounds of about half a millisecond each per thread count (the best, because
    /// on a shared machine anything else measures the other tenants).</summary>
    public static FmaPeak Measure(int rounds = 7)
    {
        Probe(1_000); // JIT the loop
        double one = 0, two = 0;
        for (int r = 0; r < rounds; r++)
        {
            one = Math.Max(one, Time(1));
            two = Math.Max(two, Time(2));
        }
        string vector = Vector512.IsHardwareAccelerated ? "Vector512" : Vector256.IsHardwareAccelerated ? "Vector256" : "Vector128";
        if (!Fma.IsSupported && !System.Runtime.Intrinsics.Arm.AdvSimd.IsSupported)
            vector += " (no FMA: multiply + add)";
        return new FmaPeak(vector, one, two);
    }

    private const int Iterations = 200_000;

    /// <summary>GFLOP/s of <paramref name="threads"/> threads each running <see cref="Iterations"/> iterations,
    /// from a common start to the last finish.</summary>
    private static double Time(int threads)
    {
        using var ready = new CountdownEvent(threads);
        using var go = new ManualResetEventSlim(false);
        var workers = new Thread[threads];
        for (int t = 0; t < threads; t++)
        {
            int core = t;
            workers[t] = new Thread(() =>
            {
                PinToCore(core);
                ready.Signal();
                go.Wait();
                Probe(Iterations);
            }) { IsBackground = true };
            workers[t].Start();
        }
        ready.Wait();
        long start = Stopwatch.GetTimestamp();
        go.Set();
        foreach (Thread w in workers)
            w.Join();
        double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        return (double)threads * Iterations * FlopsPerIteration / seconds / 1e9;
    }

    /// <summary>FLOPs of one loop iteration: 16 FMAs of 16 lanes (Vector512), 12 of 8 (Vector256: see
    /// <see cref="Loop256"/>), 16 of 4 (Vector128).</summary>
    private static int FlopsPerIteration =>
        Vector512.IsHardwareAccelerated ? 2 * 16 * 16 : Vector256.IsHardwareAccelerated ? 2 * 12 * 8 : 2 * 16 * 4;

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static float Probe(int iterations)
    {
        if (Vector512.IsHardwareAccelerated)
            return Loop512(iterations);
        if (Vector256.IsHardwareAccelerated)
            return Loop256(iterations);
        return Loop128(iterations);
    }

    // acc = acc·0.99999 + 1e-6 converges to 0.1 without denormals or overflow; 16 chains are independent.
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Loop512(int iterations)
    {
        Vector512<float> m = Vector512.Create(0.99999f), a = Vector512.Create(1e-6f);
        Vector512<float> c0 = Vector512.Create(1f), c1 = c0 + a, c2 = c1 + a, c3 = c2 + a, c4 = c3 + a, c5 = c4 + a, c6 = c5 + a, c7 = c6 + a;
        Vector512<float> c8 = c7 + a, c9 = c8 + a, c10 = c9 + a, c11 = c10 + a, c12 = c11 + a, c13 = c12 + a, c14 = c13 + a, c15 = c14 + a;
        for (int i = 0; i < iterations; i++)
        {
            c0 = Fma512(c0, m, a); c1 = Fma512(c1, m, a); c2 = Fma512(c2, m, a); c3 = Fma512(c3, m, a);
            c4 = Fma512(c4, m, a); c5 = Fma512(c5, m, a); c6 = Fma512(c6, m, a); c7 = Fma512(c7, m, a);
            c8 = Fma512(c8, m, a); c9 = Fma512(c9, m, a); c10 = Fma512(c10, m, a); c11 = Fma512(c11, m, a);
            c12 = Fma512(c12, m, a); c13 = Fma512(c13, m, a); c14 = Fma512(c14, m, a); c15 = Fma512(c15, m, a);
        }
        return Vector512.Sum(c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11 + c12 + c13 + c14 + c15);
    }

    // AVX2 has 16 ymm registers: 16 chains plus the two constants would spill to the stack, and the probe would
    // then time loads and stores (it read 55 GFLOP/s on a Zen 3 core whose 5x5 convolution ran at 96). Twelve
    // chains stay in registers and still cover the FMA latency of two pipes (4 cycles x 2 = 8 in flight).
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Loop256(int iterations)
    {
        Vector256<float> m = Vector256.Create(0.99999f), a = Vector256.Create(1e-6f);
        Vector256<float> c0 = Vector256.Create(1f), c1 = c0 + a, c2 = c1 + a, c3 = c2 + a, c4 = c3 + a, c5 = c4 + a;
        Vector256<float> c6 = c5 + a, c7 = c6 + a, c8 = c7 + a, c9 = c8 + a, c10 = c9 + a, c11 = c10 + a;
        for (int i = 0; i < iterations; i++)
        {
            c0 = Fma256(c0, m, a); c1 = Fma256(c1, m, a); c2 = Fma256(c2, m, a); c3 = Fma256(c3, m, a);
            c4 = Fma256(c4, m, a); c5 = Fma256(c5, m, a); c6 = Fma256(c6, m, a); c7 = Fma256(c7, m, a);
            c8 = Fma256(c8, m, a); c9 = Fma256(c9, m, a); c10 = Fma256(c10, m, a); c11 = Fma256(c11, m, a);
        }
        return Vector256.Sum(c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11);
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Loop128(int iterations)
    {
        Vector128<float> m = Vector128.Create(0.99999f), a = Vector128.Create(1e-6f);
        Vector128<float> c0 = Vector128.Create(1f), c1 = c0 + a, c2 = c1 + a, c3 = c2 + a, c4 = c3 + a, c5 = c4 + a, c6 = c5 + a, c7 = c6 + a;
        for (int i = 0; i < iterations; i++)
        {
            // Eight chains of two steps: still 16 FMAs per iteration, as FlopsPerIteration counts.
            c0 = Fma128(Fma128(c0, m, a), m, a); c1 = Fma128(Fma128(c1, m, a), m, a);
            c2 = Fma128(Fma128(c2, m, a), m, a); c3 = Fma128(Fma128(c3, m, a), m, a);
            c4 = Fma128(Fma128(c4, m, a), m, a); c5 = Fma128(Fma128(c5, m, a), m, a);
            c6 = Fma128(Fma128(c6, m, a), m, a); c7 = Fma128(Fma128(c7, m, a), m, a);
        }
        return Vector128.Sum(c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Fma512(Vector512<float> x, Vector512<float> y, Vector512<float> z) =>
        Fma.IsSupported ? Vector512.FusedMultiplyAdd(x, y, z) : x * y + z;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Fma256(Vector256<float> x, Vector256<float> y, Vector256<float> z) =>
        Fma.IsSupported ? Vector256.FusedMultiplyAdd(x, y, z) : x * y + z;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> Fma128(Vector128<float> x, Vector128<float> y, Vector128<float> z) =>
        Fma.IsSupported || System.Runtime.Intrinsics.Arm.AdvSimd.IsSupported ? Vector128.FusedMultiplyAdd(x, y, z) : x * y + z;

    /// <summary>Pins the calling thread to one core on Linux (sched_setaffinity of thread 0 = itself), so the two
    /// probe threads do not share a core; elsewhere, or if refused, the scheduler places them.</summary>
    private static void PinToCore(int core)
    {
        if (!OperatingSystem.IsLinux() || core >= Environment.ProcessorCount || core >= 64)
            return;
        try
        {
            ulong mask = 1UL << core;
            _ = SchedSetAffinity(0, (nint)sizeof(ulong), ref mask);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
        }
    }

    [DllImport("libc", EntryPoint = "sched_setaffinity")]
    private static extern int SchedSetAffinity(int pid, nint size, ref ulong mask);
}
