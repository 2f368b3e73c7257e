using System;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.Intrinsics;
using System.Threading;
using SourceNet.Bench.Peers;
using SourceNet.Kernels;

namespace SourceNet.Benchmarks;

/// <summary>
/// <c>--cross-core</c>: how fast one core reads data another core has just written, against reading its own
/// writes and reading memory that neither core holds. A split training step moves data between the cores every
/// step (the batch the sampler wrote, the weights the other core's update wrote); a split batch inference does not.
/// Two threads take turns on one buffer: one writes it, then the reader sums it, timed.
/// </summary>
public static class CrossCoreProbe
{
    public static void Run(int megabytes = 1, int rounds = 41)
    {
        int length = megabytes * 1024 * 1024 / sizeof(float);
        float[] buffer = GC.AllocateArray<float>(length, pinned: true);
        float[] cold = GC.AllocateArray<float>(64 * 1024 * 1024 / sizeof(float), pinned: true);
        Array.Fill(cold, 1f); // mapped, so a read is a memory read, not a page fault
        var writerTurn = new SemaphoreSlim(0);
        var readerTurn = new SemaphoreSlim(0);
        var sameCore = new double[rounds];
        var otherCore = new double[rounds];
        var memory = new double[rounds];
        float sink = 0;

        // The reader thread: after each write, sums the buffer and records how long that took.
        int mode = 0; // 0: the reader wrote it itself, 1: the other thread wrote it, 2: a buffer far larger than the caches
        var reader = new Thread(() =>
        {
            for (int r = 0; r < 3 * (rounds + 2); r++)
            {
                readerTurn.Wait();
                if (mode == 0)
                    Array.Fill(buffer, r);
                float[] source = mode == 2 ? cold : buffer;
                long start = Stopwatch.GetTimestamp();
                // From memory: a different window of the large buffer each round, so no cache holds it.
                int offset = mode == 2 ? (int)((long)r * 7919 * 1024 % (cold.Length - length)) & ~15 : 0;
                sink += Sum(source, length, offset);
                double gbs = (double)length * sizeof(float) / Stopwatch.GetElapsedTime(start).TotalSeconds / 1e9;
                int round = r / 3 - 2;
                if (round >= 0)
                    (mode == 0 ? sameCore : mode == 1 ? otherCore : memory)[round] = gbs;
                writerTurn.Release();
            }
        }) { IsBackground = true };
        reader.Start();
        for (int r = 0; r < rounds + 2; r++)
        {
            for (int m = 0; m < 3; m++)
            {
                mode = m;
                if (m == 1)
                    Array.Fill(buffer, r + 0.5f); // written here, read there
                readerTurn.Release();
                writerTurn.Wait();
            }
        }
        reader.Join();
        GC.KeepAlive(sink);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Reading {megabytes} MiB (GB/s, median of {rounds}): written by the reading core {Measure.Median(sameCore):F1}, written by the other core {Measure.Median(otherCore):F1}, from memory (64 MiB buffer) {Measure.Median(memory):F1}"));
    }

    /// <summary>
    /// The first layer's forward product (MNIST batch of 100, listed sparse tiles), split over 2 threads, right after
    /// the calling thread rewrote the 940 KB weight (as the optimizer's update does every training step), against
    /// the same product on weights no core has just written, and on one thread.
    /// </summary>
    public static void RunProduct(float[] images, int rounds = 41)
    {
        const int Batch = 100, In = 784, Hidden = 300;
        var weight = new float[In * Hidden];
        var fresh = new float[In * Hidden];
        var bias = new float[Hidden];
        var output = new float[Batch * Hidden];
        new SeededRandom(1).FillNormal(fresh, 0f, 0.05f);
        float[] x = images.AsSpan(0, Batch * In).ToArray();
        int saved = KernelThreads.Count;
        bool adaptive = KernelThreads.Adaptive;
        KernelThreads.Adaptive = false;
        void Product(int threads)
        {
            KernelThreads.Count = threads;
            Gemm.MatMulBias<ReluActivation>(Batch, Hidden, In, x, weight, bias, output);
        }
        var cases = new (string Name, Action Run)[]
        {
            ("rewrite the weight (calling thread)", () => fresh.AsSpan().CopyTo(weight)),
            ("product, 2 threads", () => Product(2)),
            ("rewrite, then product on 2 threads", () => { fresh.AsSpan().CopyTo(weight); Product(2); }),
            ("product, 1 thread", () => Product(1)),
            ("rewrite, then product on 1 thread", () => { fresh.AsSpan().CopyTo(weight); Product(1); }),
        };
        var times = new double[cases.Length, rounds];
        try
        {
            for (int r = -2; r < rounds; r++)
            {
                for (int c = 0; c < cases.Length; c++)
                {
                    for (int i = 0; i < 20; i++)
                        cases[c].Run();
                    long start = Stopwatch.GetTimestamp();
                    for (int i = 0; i < 100; i++)
                        cases[c].Run();
                    if (r >= 0)
                        times[c, r] = Stopwatch.GetElapsedTime(start).TotalMicroseconds / 100;
                }
            }
        }
        finally
        {
            KernelThreads.Count = saved;
            KernelThreads.Adaptive = adaptive;
        }
        Console.WriteLine($"X·W1 (100x784·784x300, MNIST batch, listed tiles), µs per call, median of {rounds} rounds of 100 calls:");
        for (int c = 0; c < cases.Length; c++)
        {
            var row = new double[rounds];
            for (int r = 0; r < rounds; r++)
                row[r] = times[c, r];
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {cases[c].Name,-40} {Measure.Median(row),8:F1}"));
        }
    }

    private static float Sum(float[] values, int count, int offset)
    {
        Vector512<float> s0 = default, s1 = default, s2 = default, s3 = default;
        ref float start = ref values[offset];
        int i = 0;
        for (; i + 64 <= count; i += 64)
        {
            s0 += Vector512.LoadUnsafe(ref start, (nuint)i);
            s1 += Vector512.LoadUnsafe(ref start, (nuint)i + 16);
            s2 += Vector512.LoadUnsafe(ref start, (nuint)i + 32);
            s3 += Vector512.LoadUnsafe(ref start, (nuint)i + 48);
        }
        return Vector512.Sum(s0 + s1 + s2 + s3);
    }
}
