using SourceNet.Kernels;

namespace SourceNet.Runtime.Tests.Kernels;

/// <summary>
/// <see cref="SampleChunks"/> hands every chunk of a batch inference to exactly one thread, tells it which buffer
/// set is its own, keeps the kernels inside a split chunk on that thread, and adds the chunks' results in order.
/// </summary>
[Collection(KernelSettingsCollection.Name)]
public class SampleChunksTests
{
    /// <summary>Records what each chunk saw; the result of a chunk is a value that makes the sum order-sensitive.</summary>
    private sealed class Recorder : ISampleChunks
    {
        private readonly object _gate = new();
        public readonly List<(int Start, int Count, int Thread, int KernelThreads, int Operation, int OsThread)> Chunks = new();
        public int PreparedThreads;
        public int SpinPerChunkTenthsOfMs;
        public int ChunkSize;

        public void PrepareThreads(int threads) => PreparedThreads = Math.Max(PreparedThreads, threads);

        public double RunChunk(int operation, int thread, int start, int count,
            ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels, ReadOnlySpan<float> targets, Span<float> outputs, Span<int> predictions)
        {
            Assert.InRange(thread, 0, Math.Max(PreparedThreads, 1) - 1);
            for (int i = start; i < start + count; i++)
            {
                // The spans arrive whole, wherever the chunk runs: each sample reads its own input and label.
                outputs[i] = inputs[i] * 2 + targets[i];
                predictions[i] = labels[i] + 1;
            }
            lock (_gate)
                Chunks.Add((start, count, thread, KernelThreads.Count, operation, Environment.CurrentManagedThreadId));
            // Long enough that a worker woken for the run gets to take chunks before the caller has done them all.
            long until = System.Diagnostics.Stopwatch.GetTimestamp() + System.Diagnostics.Stopwatch.Frequency / 10_000 * Math.Max(0, SpinPerChunkTenthsOfMs);
            while (System.Diagnostics.Stopwatch.GetTimestamp() < until)
                System.Threading.Thread.SpinWait(10);
            return ChunkResult(start / ChunkSize);
        }
    }

    /// <summary>Chunk c's share: large terms of both signs and small ones, so that adding them in any other order
    /// than chunk order rounds differently (checked below against the reverse order).</summary>
    private static double ChunkResult(int chunk) => (chunk % 3) switch { 0 => 1e16, 1 => -1e16, _ => 1.0 + chunk };

    private static (Recorder Work, double Sum, float[] Outputs, int[] Predictions) RunOnce(int count, int chunkSize, long multiplyAddsPerSample, int spinPerChunkTenthsOfMs = 0)
    {
        var work = new Recorder { SpinPerChunkTenthsOfMs = spinPerChunkTenthsOfMs, ChunkSize = chunkSize };
        float[] inputs = Enumerable.Range(0, count).Select(i => (float)i).ToArray();
        int[] labels = Enumerable.Range(0, count).Select(i => i % 7).ToArray();
        float[] targets = Enumerable.Range(0, count).Select(i => 0.5f * i).ToArray();
        var outputs = new float[count];
        var predictions = new int[count];
        double sum = SampleChunks.Run(work, 3, count, chunkSize, multiplyAddsPerSample, inputs, labels, targets, outputs, predictions);
        return (work, sum, outputs, predictions);
    }

    private static double SumInChunkOrder(int chunks, bool reverse = false)
    {
        double sum = 0;
        for (int c = 0; c < chunks; c++)
            sum += ChunkResult(reverse ? chunks - 1 - c : c);
        return sum;
    }

    [Theory]
    [InlineData(1000, 100, 1_000_000)] // large: split when a second kernel thread is allowed
    [InlineData(1001, 100, 1_000_000)] // a short last chunk
    [InlineData(250, 100, 10)] // too little work to split: in order on the caller
    [InlineData(5, 100, 1_000_000)] // one chunk
    public void Every_sample_is_computed_once_and_results_add_in_chunk_order(int count, int chunkSize, long multiplyAddsPerSample)
    {
        var (work, sum, outputs, predictions) = RunOnce(count, chunkSize, multiplyAddsPerSample);

        var starts = work.Chunks.Select(c => c.Start).OrderBy(s => s).ToArray();
        Assert.Equal(Enumerable.Range(0, (count + chunkSize - 1) / chunkSize).Select(c => c * chunkSize).ToArray(), starts);
        Assert.All(work.Chunks, c => Assert.Equal(Math.Min(chunkSize, count - c.Start), c.Count));
        Assert.All(work.Chunks, c => Assert.Equal(3, c.Operation));
        for (int i = 0; i < count; i++)
        {
            Assert.Equal(i * 2 + 0.5f * i, outputs[i]);
            Assert.Equal(i % 7 + 1, predictions[i]);
        }
        int chunks = (count + chunkSize - 1) / chunkSize;
        Assert.Equal(SumInChunkOrder(chunks), sum);
        if (chunks >= 5)
            Assert.NotEqual(SumInChunkOrder(chunks, reverse: true), sum); // the order is what the check can see
    }

    [SkippableFact]
    public void A_split_run_gives_each_thread_its_own_buffers_and_unsplit_kernels()
    {
        Skip.If(Environment.ProcessorCount < 2, "needs two processors");
        int saved = KernelThreads.Count;
        KernelThreads.Count = 2;
        try
        {
            // Other tests may hold the kernel workers, or set the thread count, for a moment (the run then stays on the
            // caller): try for up to five seconds.
            Recorder? split = null;
            var clock = System.Diagnostics.Stopwatch.StartNew();
            while (split is null && clock.Elapsed.TotalSeconds < 5)
            {
                KernelThreads.Count = 2;
                var (work, _, _, _) = RunOnce(4000, 100, 1_000_000, spinPerChunkTenthsOfMs: 1);
                if (work.Chunks.Any(c => c.Thread == 1))
                    split = work;
            }
            Assert.NotNull(split);
            Assert.Equal(2, split!.PreparedThreads);
            // Buffer set 0 is the caller's and set 1 the worker's: each index on one thread, and different threads.
            Assert.All(split.Chunks.Where(c => c.Thread == 0), c => Assert.Equal(Environment.CurrentManagedThreadId, c.OsThread));
            int worker = split.Chunks.First(c => c.Thread == 1).OsThread;
            Assert.NotEqual(Environment.CurrentManagedThreadId, worker);
            Assert.All(split.Chunks.Where(c => c.Thread == 1), c => Assert.Equal(worker, c.OsThread));
            // Inside a chunk of a split run the kernels see one thread: the samples are already shared out.
            Assert.All(split.Chunks, c => Assert.Equal(1, c.KernelThreads));
            // And outside it, the calling thread's kernels may split again.
            Assert.False(KernelThreads.t_insideSampleChunk);
        }
        finally
        {
            KernelThreads.Count = saved;
        }
    }

    [Fact]
    public void Too_little_work_never_prepares_a_second_buffer_set()
    {
        var (work, _, _, _) = RunOnce(250, 100, 10);
        Assert.Equal(0, work.PreparedThreads);
        Assert.All(work.Chunks, c => Assert.Equal(0, c.Thread));
    }
}
