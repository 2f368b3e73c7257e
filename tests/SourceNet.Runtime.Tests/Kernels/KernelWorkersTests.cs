using System.Threading;
using System.Threading.Tasks;
using SourceNet.Kernels;

namespace SourceNet.Runtime.Tests.Kernels;

public class KernelWorkersTests
{
    /// <summary>Part p has p + 1 chunks; counts how often each (part, chunk) runs.</summary>
    private sealed class RecordingJob(int parts) : KernelJob
    {
        public readonly int[][] Runs = Enumerable.Range(0, parts).Select(p => new int[p + 1]).ToArray();

        public override int ChunkCount(int part, int parts) => part + 1;

        public override void RunChunk(int part, int parts, int chunk) => Interlocked.Increment(ref Runs[part][chunk]);
    }

    /// <summary>Part 1 is slow, so the caller runs out of work and has to wait (and block) for it.</summary>
    private sealed class UnevenJob : KernelJob
    {
        public int Done;

        public override int ChunkCount(int part, int parts) => 1;

        public override void RunChunk(int part, int parts, int chunk)
        {
            if (part == 1)
            {
                long end = System.Diagnostics.Stopwatch.GetTimestamp() + System.Diagnostics.Stopwatch.Frequency / 5000;
                while (System.Diagnostics.Stopwatch.GetTimestamp() < end)
                {
                }
            }
            Interlocked.Increment(ref Done);
        }
    }

    [Fact]
    public void WaitsForSlowPartsBeforeReturning()
    {
        for (int round = 0; round < 200; round++)
        {
            var job = new UnevenJob();
            KernelWorkers.RunShared(job, 2);
            Assert.Equal(2, Volatile.Read(ref job.Done));
        }
    }

    private sealed class ThrowingJob : KernelJob
    {
        public override int ChunkCount(int part, int parts) => 2;

        public override void RunChunk(int part, int parts, int chunk)
        {
            if (part == 1 && chunk == 1)
                throw new InvalidOperationException("part 1 failed");
        }
    }

    [Fact]
    public void RunsEveryPartExactlyOnce()
    {
        for (int round = 0; round < 2000; round++)
        {
            int parts = 2 + round % 3;
            var job = new RecordingJob(parts);
            KernelWorkers.RunShared(job, parts);
            Assert.All(job.Runs.SelectMany(x => x), count => Assert.Equal(1, count));
            if (round % 500 == 0)
                Thread.Sleep(2); // let the workers fall asleep, so waking is exercised too
        }
    }

    [Fact]
    public void PropagatesAWorkerException()
    {
        var e = Assert.Throws<InvalidOperationException>(() => KernelWorkers.RunShared(new ThrowingJob(), 2));
        Assert.Equal("part 1 failed", e.Message);
        var job = new RecordingJob(2);
        KernelWorkers.RunShared(job, 2);
        Assert.All(job.Runs.SelectMany(x => x), count => Assert.Equal(1, count));
    }

    [Fact]
    public void ConcurrentCallersGetIdenticalResults()
    {
        int m = 20, n = 300, k = 200;
        float[] a = GemmReference.Random(m * k, 1), b = GemmReference.Random(k * n, 2);
        var expected = new float[m * n];
        Gemm.MatMulBiasAt<TanhActivation>(KernelIsaInfo.Best, 1, m, n, k, a, b, default, expected);
        Parallel.For(0, 4, _ =>
        {
            var c = new float[m * n];
            for (int i = 0; i < 50; i++)
            {
                Gemm.MatMulBiasAt<TanhActivation>(KernelIsaInfo.Best, 2, m, n, k, a, b, default, c);
                Assert.True(expected.AsSpan().SequenceEqual(c));
            }
        });
    }
}
