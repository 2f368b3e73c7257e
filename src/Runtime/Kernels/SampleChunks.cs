using System;
using System.Runtime.CompilerServices;
using System.ComponentModel;

namespace SourceNet.Kernels;

/// <summary>
/// Work over many samples that a generated network cuts into chunks of at most its batch size: inference
/// (<c>Forward</c>, <c>Predict</c>, <c>Evaluate</c>, <c>ComputeLoss</c>). Chunks are independent, so each thread of
/// a split run computes whole chunks with buffers of its own: the weights are only read, and no thread ever reads
/// what another wrote. That is what makes two cores pay for inference where splitting every product by columns
/// does not (docs/performance.md, "Round 4").
/// </summary>
/// <remarks>Implemented by generated networks; not meant to be called by user code.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface ISampleChunks
{
    /// <summary>Makes buffer sets 0 to <paramref name="threads"/> - 1 ready (0: the network's own). Called on the
    /// calling thread before any chunk runs, so a later run of the same size allocates nothing.</summary>
    void PrepareThreads(int threads);

    /// <summary>
    /// Runs <paramref name="operation"/> on samples [<paramref name="start"/>, <paramref name="start"/> +
    /// <paramref name="count"/>) with buffer set <paramref name="thread"/>, reading and writing the given spans at
    /// those samples' positions. Returns the chunk's share of the run's result (correct predictions, summed loss),
    /// or 0.
    /// </summary>
    double RunChunk(int operation, int thread, int start, int count,
        ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels, ReadOnlySpan<float> targets, Span<float> outputs, Span<int> predictions);
}

/// <summary>What a generated network's replica constructor takes: the network whose layers the replica shares. A type
/// of its own, so the constructor cannot clash with one the user's class declares.</summary>
/// <param name="Source">The network to replicate.</param>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly record struct ReplicaOf<TNetwork>(TNetwork Source)
    where TNetwork : class;

/// <summary>
/// Runs an <see cref="ISampleChunks"/> operation over every chunk of a set of samples, on the kernel threads when
/// the work is large enough (<see cref="KernelThreads.Count"/>), else in order on the calling thread. Results do not
/// depend on the split: each chunk is computed the same way wherever it runs (same chunk boundaries, same
/// kernels, which do not split again inside a chunk), and the chunks' shares are added in chunk order.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class SampleChunks
{
    /// <summary>Runs below this many multiply-adds in all stay on the calling thread: a few hand-offs would cost more
    /// than the half they save.</summary>
    public const long MinParallelMultiplyAdds = 8 * KernelThreads.MinParallelMultiplyAdds;

    /// <summary>The most chunks a training step's batch is cut into (<see cref="TrainingChunksFor"/>): the cores this
    /// runtime splits a step over. Changing it changes the order in which weight gradients add up, so results.</summary>
    public const int MaxTrainingChunks = 2;

    /// <summary>The fewest samples a training chunk holds: below that a chunk's products are too short to pay for a
    /// second set of buffers.</summary>
    public const int MinTrainingChunkSamples = 16;

    /// <summary>
    /// The number of sample chunks a training step of <paramref name="batch"/> samples runs as
    /// (<see cref="TrainingChunks"/>): a function of the batch size alone, never of the thread count, so a step gives
    /// the same bits on any number of cores. 1 for batches under 2 x <see cref="MinTrainingChunkSamples"/> (the step
    /// then runs unsplit by samples, its updates fused into the backward pass), else <see cref="MaxTrainingChunks"/>.
    /// </summary>
    public static int TrainingChunksFor(int batch) => Math.Clamp(batch / MinTrainingChunkSamples, 1, MaxTrainingChunks);

    /// <summary>
    /// Runs <paramref name="operation"/> over <paramref name="count"/> samples in chunks of
    /// <paramref name="chunkSize"/> and returns the sum of the chunks' results, added in chunk order.
    /// </summary>
    /// <param name="work">The network.</param>
    /// <param name="operation">What to run, as the network numbers its operations.</param>
    /// <param name="count">Samples in all.</param>
    /// <param name="chunkSize">Samples per chunk (the last may hold fewer).</param>
    /// <param name="multiplyAddsPerSample">About how much work one sample is, to decide whether splitting pays.</param>
    /// <param name="inputs">The samples, or empty.</param>
    /// <param name="labels">Their class labels, or empty.</param>
    /// <param name="targets">Their target values, or empty.</param>
    /// <param name="outputs">Where outputs go, or empty.</param>
    /// <param name="predictions">Where predicted classes go, or empty.</param>
    public static unsafe double Run<TWork>(TWork work, int operation, int count, int chunkSize, long multiplyAddsPerSample,
        ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels, ReadOnlySpan<float> targets, Span<float> outputs, Span<int> predictions)
        where TWork : class, ISampleChunks
    {
        ArgumentNullException.ThrowIfNull(work);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(chunkSize);
        int chunks = (int)(((long)count + chunkSize - 1) / chunkSize);
        int threads = ThreadsFor(chunks, (long)count * Math.Max(multiplyAddsPerSample, 1));
        if (threads > 1)
        {
            // Before taking the workers: the buffer sets are made (once) whether or not the workers are free now.
            work.PrepareThreads(threads);
            SampleChunkJob job = SampleChunkJob.Shared;
            if (KernelWorkers.TryAcquire())
            {
                // The shared job and its results are only touched while the workers are held.
                try
                {
                    double[] results = job.Reserve(chunks);
                    fixed (float* pInputs = inputs)
                    fixed (int* pLabels = labels)
                    fixed (float* pTargets = targets)
                    fixed (float* pOutputs = outputs)
                    fixed (int* pPredictions = predictions)
                    {
                        job.Set(work, operation, count, chunkSize, chunks,
                            pInputs, inputs.Length, pLabels, labels.Length, pTargets, targets.Length, pOutputs, outputs.Length, pPredictions, predictions.Length);
                        try
                        {
                            KernelWorkers.Run(job, threads);
                        }
                        finally
                        {
                            job.Clear();
                        }
                    }
                    double total = 0;
                    for (int c = 0; c < chunks; c++)
                        total += results[c];
                    return total;
                }
                finally
                {
                    KernelWorkers.Release();
                }
            }
        }
        // One thread, or the workers are busy with another caller: the same chunks, in order, here.
        double sum = 0;
        for (int c = 0; c < chunks; c++)
        {
            int start = c * chunkSize;
            sum += work.RunChunk(operation, 0, start, Math.Min(chunkSize, count - start), inputs, labels, targets, outputs, predictions);
        }
        return sum;
    }

    /// <summary>Threads worth using for <paramref name="chunks"/> chunks holding <paramref name="multiplyAdds"/> in all.</summary>
    internal static int ThreadsFor(int chunks, long multiplyAdds)
    {
        if (chunks < 2 || multiplyAdds < MinParallelMultiplyAdds)
            return 1;
        int threads = Math.Min(KernelThreads.Count, chunks);
        // KernelWorkers counts a part's chunks in 16 bits; more than that per part run here, in order.
        return (chunks + threads - 1) / threads <= ushort.MaxValue ? threads : 1;
    }

    /// <summary>One run's arguments, shared by the threads; one instance, used while the workers are held.</summary>
    private sealed unsafe class SampleChunkJob : KernelJob
    {
        public static readonly SampleChunkJob Shared = new();

        private ISampleChunks? _work;
        private int _operation, _count, _chunkSize, _chunks;
        private float* _inputs, _targets, _outputs;
        private int* _labels, _predictions;
        private int _inputsLength, _labelsLength, _targetsLength, _outputsLength, _predictionsLength;
        private double[] _results = new double[64];

        /// <summary>The per-chunk results, grown to hold <paramref name="chunks"/> (never shrunk).</summary>
        public double[] Reserve(int chunks)
        {
            if (_results.Length < chunks)
                _results = new double[Math.Max(chunks, 2 * _results.Length)];
            return _results;
        }

        public void Set(ISampleChunks work, int operation, int count, int chunkSize, int chunks,
            float* inputs, int inputsLength, int* labels, int labelsLength, float* targets, int targetsLength, float* outputs, int outputsLength, int* predictions, int predictionsLength)
        {
            _work = work;
            _operation = operation;
            _count = count;
            _chunkSize = chunkSize;
            _chunks = chunks;
            _inputs = inputs;
            _inputsLength = inputsLength;
            _labels = labels;
            _labelsLength = labelsLength;
            _targets = targets;
            _targetsLength = targetsLength;
            _outputs = outputs;
            _outputsLength = outputsLength;
            _predictions = predictions;
            _predictionsLength = predictionsLength;
        }

        public void Clear() => Set(null!, 0, 0, 1, 0, null, 0, null, 0, null, 0, null, 0, null, 0);

        // Part p owns a contiguous range of chunks, so the caller computes the first samples and the worker the last.
        private int First(int part, int parts) => (int)((long)_chunks * part / parts);

        public override int ChunkCount(int part, int parts) => First(part + 1, parts) - First(part, parts);

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public override void RunChunk(int part, int parts, int chunk)
        {
            int c = First(part, parts) + chunk;
            int start = c * _chunkSize;
            KernelThreads.t_insideSampleChunk = true;
            try
            {
                _results[c] = _work!.RunChunk(_operation, KernelWorkers.CurrentThread, start, Math.Min(_chunkSize, _count - start),
                    new ReadOnlySpan<float>(_inputs, _inputsLength), new ReadOnlySpan<int>(_labels, _labelsLength), new ReadOnlySpan<float>(_targets, _targetsLength),
                    new Span<float>(_outputs, _outputsLength), new Span<int>(_predictions, _predictionsLength));
            }
            finally
            {
                KernelThreads.t_insideSampleChunk = false;
            }
        }
    }
}
