using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Threading;

namespace SourceNet.Kernels;

/// <summary>
/// A training step split by samples, for one network. The batch is cut into a number of chunks that depends on the
/// batch size alone (<see cref="SampleChunks.TrainingChunksFor"/>), never on the thread count; chunk c always runs on
/// buffer set c (0: the network's own, c: replica c), so it computes the same bits on any thread. After every chunk's
/// backward pass, each parameter's gradient is the chunks' gradients added in chunk order (g0 + g1 + ...), then the
/// optimizer updates. So a step gives the same bits on one thread or two, whichever way it is split:
/// <list type="bullet">
/// <item>by samples: each kernel thread runs whole chunks, its kernels on one thread; the cores share only the
/// gradients' sum;</item>
/// <item>by products: the chunks run in order on the calling thread, each product split over the kernel threads;</item>
/// <item>on one thread: the chunks in order, nothing split.</item>
/// </list>
/// A per-network <see cref="TrainingSplitController"/> times the three and keeps the fastest. Split by samples, a thread
/// whose chunks are done helps with the others' recurrent weight gradients (<see cref="ChunkHelp"/>), block by block,
/// each block the same values on any thread.
/// <para>A network's largest dense layer may leave its weight gradient out of the chunks
/// (<see cref="ITrainingChunk.DeferredWeight"/>): the sum-and-update pass then computes it, block of rows by block of
/// rows on every thread, each chunk's rows and then their sum and update while they are in that core's cache. In the
/// tutorial's MLP that product (784x300 from each chunk's 50 samples) is half a step's multiply-adds; computed in the
/// chunks, each chunk wrote all 940 KB of it and the sum read both copies back, half of each from the other core. In
/// the deep MNIST CNN (3136x1024) each copy was 12.8 MB, and the replicas no longer hold one.
/// Each row is the same chain of multiply-adds whichever block or thread computes it: the same bits.</para>
/// </summary>
/// <remarks>
/// <para>Dropout masks: chunk 0 draws from the network's own generators, chunk c from its replica's, which are
/// reseeded from the network's generators at the start of every step. The network's generators therefore still
/// hold the whole random state (a checkpoint resumes bit for bit).</para>
/// <para>Made once per network, on the first split step; its replicas, jobs and tables are made then, so a steady
/// training loop allocates nothing.</para>
/// </remarks>
public sealed class TrainingChunks
{
    /// <summary>Gradient values per work item of the sum-and-update pass: 32 KiB, so an item's gradient is still in
    /// cache when the optimizer reads it.</summary>
    internal const int SumBlock = 8192;

    private readonly ITrainingChunk _network;
    private readonly IReadOnlyList<Parameter> _parameters;
    private readonly TrainingSplitController _controller = new(TrainingSplitSchedule.Default, Stopwatch.GetTimestamp);
    private readonly ChunkJob _chunkJob = new();
    private readonly SumJob _sumJob;
    private readonly double[] _losses = new double[SampleChunks.MaxTrainingChunks];

    private ITrainingChunk[] _replicas = Array.Empty<ITrainingChunk>(); // chunk c >= 1 runs on _replicas[c - 1]
    private int _replicaCapacity;
    private SeededRandom[] _generators = Array.Empty<SeededRandom>();   // the network's own, in layer order
    private SeededRandom[][] _replicaGenerators = Array.Empty<SeededRandom[]>();

    /// <summary>Prepares the split training of <paramref name="network"/>; the replicas are made on the first step.</summary>
    public TrainingChunks(ITrainingChunk network)
    {
        ArgumentNullException.ThrowIfNull(network);
        _network = network;
        _parameters = network.Parameters;
        _sumJob = new SumJob(_parameters, network.DeferredWeight);
    }

    /// <summary>
    /// One training step over <paramref name="batch"/> samples in <see cref="SampleChunks.TrainingChunksFor"/> chunks:
    /// forward, loss and backward per chunk, the gradients summed in chunk order into the network's parameters, then
    /// the optimizer's update (fused into the sum where the optimizer updates ranges, else its global
    /// <see cref="Optimizer.Step"/> or one <see cref="Optimizer.Update"/> per parameter). With no optimizer the
    /// gradients are left summed (<c>ComputeGradients</c>).
    /// </summary>
    /// <returns>The batch's mean loss before the update.</returns>
    /// <exception cref="InvalidOperationException">The loss is not finite; no parameter was changed.</exception>
    public unsafe float Step(int batch, ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels, ReadOnlySpan<float> targets, Optimizer? optimizer)
    {
        int chunks = SampleChunks.TrainingChunksFor(batch);
        PrepareReplicas(chunks, batch);
        // Every step, on this thread and before any chunk draws: the replicas' masks follow from the network's state.
        for (int r = 0; r < chunks - 1; r++)
        {
            SeededRandom[] own = _replicaGenerators[r];
            for (int g = 0; g < own.Length; g++)
                own[g].Reseed(unchecked((long)_generators[g].NextUInt64()));
        }

        int threads = KernelThreads.Count;
        TrainingSplit split = threads <= 1 ? TrainingSplit.OneThread
            : AdaptiveSplit.Enabled ? _controller.Next()
            : TrainingSplit.Samples;
        long started = Stopwatch.GetTimestamp();
        float loss;
        // Pinned through both passes: the deferred weight gradient reads the chunks' inputs again in the second.
        fixed (float* pInputs = inputs)
        fixed (int* pLabels = labels)
        fixed (float* pTargets = targets)
        {
            RunChunks(split, chunks, batch, pInputs, inputs.Length, pLabels, labels.Length, pTargets, targets.Length);
            double total = 0;
            for (int c = 0; c < chunks; c++)
                total += _losses[c];
            loss = (float)(total * (1f / batch));
            // Before any parameter changes (the deferred gradient changes none either), so a diverging step loses nothing.
            if (!float.IsFinite(loss))
                NetworkGuards.ThrowNonFiniteLoss(loss, inputs, _parameters);
            SumAndUpdate(split == TrainingSplit.OneThread ? 1 : threads, chunks, batch, pInputs, inputs.Length, optimizer);
        }
        if (threads > 1 && AdaptiveSplit.Enabled)
            _controller.Record(split, Stopwatch.GetTimestamp() - started);
        return loss;
    }

    /// <summary>Makes the replicas chunks 1 to <paramref name="chunks"/> - 1 need (once; again only if a chunk outgrows them).</summary>
    private void PrepareReplicas(int chunks, int batch)
    {
        int largest = (batch + chunks - 1) / chunks;
        if (_replicas.Length >= chunks - 1 && _replicaCapacity >= largest)
            return;
        // Sized for the network's largest batch, so a later, larger batch never makes them again.
        int capacity = Math.Max(largest, (_network.MaxBatchSize + chunks - 1) / chunks);
        var replicas = new ITrainingChunk[chunks - 1];
        for (int r = 0; r < replicas.Length; r++)
            replicas[r] = _network.CreateTrainingReplica(capacity);
        _generators = GeneratorsOf(_network);
        var replicaGenerators = new SeededRandom[replicas.Length][];
        for (int r = 0; r < replicas.Length; r++)
        {
            replicaGenerators[r] = GeneratorsOf(replicas[r]);
            if (replicaGenerators[r].Length != _generators.Length)
                throw new InvalidOperationException($"A training replica has {replicaGenerators[r].Length} random generators; its network has {_generators.Length}.");
        }
        var gradients = new float[replicas.Length][][];
        for (int r = 0; r < replicas.Length; r++)
        {
            IReadOnlyList<Parameter> own = replicas[r].Parameters;
            gradients[r] = new float[own.Count][];
            for (int i = 0; i < own.Count; i++)
                gradients[r][i] = own[i].Gradient;
        }
        _replicas = replicas;
        _replicaCapacity = capacity;
        _replicaGenerators = replicaGenerators;
        _sumJob.ReplicaGradients = gradients;
        // The workers too, so that the first split step (which the controller may try late) allocates nothing.
        KernelWorkers.Prepare(KernelThreads.Count);
    }

    private static SeededRandom[] GeneratorsOf(INetwork network)
    {
        var generators = new List<SeededRandom>();
        foreach (Layer layer in network.Layers)
            generators.AddRange(layer.Generators);
        return generators.ToArray();
    }

    private unsafe void RunChunks(TrainingSplit split, int chunks, int batch, float* inputs, int inputsLength, int* labels, int labelsLength, float* targets, int targetsLength)
    {
        if (split == TrainingSplit.Samples && KernelWorkers.TryAcquire())
        {
            // The job is only touched while the workers are held.
            try
            {
                _chunkJob.Set(this, chunks, batch, inputs, inputsLength, labels, labelsLength, targets, targetsLength);
                try
                {
                    KernelWorkers.Run(_chunkJob, Math.Min(KernelThreads.Count, chunks));
                }
                finally
                {
                    _chunkJob.Clear();
                }
            }
            finally
            {
                KernelWorkers.Release();
            }
            return;
        }
        // In order on this thread: by products (each product split), on one thread, or when another caller holds the
        // workers. The same chunks on the same buffers, so the same bits.
        bool products = split == TrainingSplit.Products;
        bool savedProducts = AdaptiveSplit.t_stepChoseProducts, savedInside = KernelThreads.t_insideSampleChunk;
        AdaptiveSplit.t_stepChoseProducts = products;
        KernelThreads.t_insideSampleChunk = !products;
        try
        {
            for (int c = 0; c < chunks; c++)
                RunChunk(c, chunks, batch, new ReadOnlySpan<float>(inputs, inputsLength), new ReadOnlySpan<int>(labels, labelsLength), new ReadOnlySpan<float>(targets, targetsLength));
        }
        finally
        {
            AdaptiveSplit.t_stepChoseProducts = savedProducts;
            KernelThreads.t_insideSampleChunk = savedInside;
        }
    }

    /// <summary>Chunk <paramref name="chunk"/> on its own buffer set, wherever it runs.</summary>
    private void RunChunk(int chunk, int chunks, int batch, ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels, ReadOnlySpan<float> targets)
    {
        int start = ChunkStart(batch, chunk, chunks);
        int end = ChunkStart(batch, chunk + 1, chunks);
        ITrainingChunk network = NetworkOf(chunk);
        _losses[chunk] = network.TrainChunk(start, end - start, batch, inputs, labels, targets);
    }

    private static int ChunkStart(int batch, int chunk, int chunks) => (int)((long)batch * chunk / chunks);

    /// <summary>The network whose buffers chunk <paramref name="chunk"/> runs on.</summary>
    private ITrainingChunk NetworkOf(int chunk) => chunk == 0 ? _network : _replicas[chunk - 1];

    /// <summary>Rows [<paramref name="firstRow"/>, + <paramref name="rowCount"/>) of the deferred weight gradient,
    /// summed over the chunks in chunk order into <paramref name="sum"/>: chunk 0's rows written there, each later
    /// chunk's into <paramref name="scratch"/> (this thread's, so the whole replica gradient is never written) and
    /// added.</summary>
    private void DeferredRows(int chunks, int batch, int firstRow, int rowCount, ReadOnlySpan<float> inputs, Span<float> sum, Span<float> scratch)
    {
        for (int c = 0; c < chunks; c++)
        {
            int start = ChunkStart(batch, c, chunks);
            Span<float> rows = c == 0 ? sum : scratch;
            NetworkOf(c).WeightGradientRows(firstRow, rowCount, start, ChunkStart(batch, c + 1, chunks) - start, inputs, rows);
            if (c > 0)
                TensorPrimitives.Add(sum, rows, sum);
        }
    }

    /// <summary>Computes the deferred weight gradient's rows, adds the replicas' gradients into the network's, in chunk
    /// order, and updates, in parallel blocks.</summary>
    private unsafe void SumAndUpdate(int threads, int chunks, int batch, float* inputs, int inputsLength, Optimizer? optimizer)
    {
        bool fused = optimizer is { NeedsGlobalStep: false, SupportsRangeUpdates: true };
        if (fused)
        {
            optimizer!.BeginStep();
            for (int i = 0; i < _parameters.Count; i++)
                optimizer.PrepareColumnUpdates(_parameters[i]);
        }
        _sumJob.Replicas = chunks - 1;
        _sumJob.Optimizer = fused ? optimizer : null;
        int parts = _sumJob.PartsFor(threads);
        _sumJob.SetStep(this, chunks, batch, inputs, inputsLength, parts);
        try
        {
            // Each gradient value's sum is g0 + g1 + ... whichever thread adds it: the split changes no bit.
            KernelWorkers.RunShared(_sumJob, parts);
        }
        finally
        {
            _sumJob.Optimizer = null;
            _sumJob.SetStep(null, 0, 0, null, 0, 0);
        }
        if (optimizer is null || fused)
            return;
        if (optimizer.NeedsGlobalStep)
        {
            optimizer.Step(_parameters);
            return;
        }
        optimizer.BeginStep();
        for (int i = 0; i < _parameters.Count; i++)
            optimizer.Update(_parameters[i]);
    }

    /// <summary>The chunks of one step, each on its own buffer set; part p runs a contiguous range of chunks.</summary>
    private sealed unsafe class ChunkJob : KernelJob
    {
        private TrainingChunks? _owner;
        private int _chunks, _batch;
        private float* _inputs, _targets;
        private int* _labels;
        private int _inputsLength, _labelsLength, _targetsLength;
        private int _started, _finished; // chunks of the step begun and ended, on any thread

        public void Set(TrainingChunks owner, int chunks, int batch, float* inputs, int inputsLength, int* labels, int labelsLength, float* targets, int targetsLength)
        {
            _started = 0;
            _finished = 0;
            _owner = owner;
            _chunks = chunks;
            _batch = batch;
            _inputs = inputs;
            _inputsLength = inputsLength;
            _labels = labels;
            _labelsLength = labelsLength;
            _targets = targets;
            _targetsLength = targetsLength;
        }

        public void Clear() => Set(null!, 0, 0, null, 0, null, 0, null, 0);

        private int First(int part, int parts) => (int)((long)_chunks * part / parts);

        public override int ChunkCount(int part, int parts) => First(part + 1, parts) - First(part, parts);

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public override void RunChunk(int part, int parts, int chunk)
        {
            int index = First(part, parts) + chunk;
            Interlocked.Increment(ref _started);
            // The threads share the work by samples: the kernels inside a chunk do not split again, but may offer
            // their weight gradients' blocks to a thread whose chunks are done (ChunkHelp).
            KernelThreads.t_insideSampleChunk = true;
            int savedHelp = ChunkHelp.Enter(parts > 1 ? index : -1);
            try
            {
                _owner!.RunChunk(index, _chunks, _batch,
                    new ReadOnlySpan<float>(_inputs, _inputsLength), new ReadOnlySpan<int>(_labels, _labelsLength), new ReadOnlySpan<float>(_targets, _targetsLength));
            }
            finally
            {
                ChunkHelp.Restore(savedHelp);
                KernelThreads.t_insideSampleChunk = false;
                Interlocked.Increment(ref _finished);
            }
            // This thread's own chunks are done: help the others finish theirs.
            if (parts > 1 && chunk == ChunkCount(part, parts) - 1)
                ChunkHelp.HelpWhileOthersRun(ref _started, ref _finished, _chunks);
        }
    }

    /// <summary>
    /// The gradients' sum and the fused update, in blocks of about <see cref="SumBlock"/> values of one parameter: for
    /// a parameter other than the deferred weight, from a multiple of the block size from its start; for the deferred
    /// weight (<see cref="ITrainingChunk.DeferredWeight"/>), blocks of whole rows (a multiple of 6, the product's tile
    /// height), whose gradient every chunk computes first, on the thread that sums and updates them. The blocks are
    /// the same whatever the split, and every value's sum is g0 + g1 + ... in chunk order.
    /// </summary>
    private sealed unsafe class SumJob : KernelJob
    {
        private readonly IReadOnlyList<Parameter> _parameters;
        private readonly int[] _blockParameter, _blockStart, _blockCount; // the work items, in parameter order
        private readonly int[] _blockFirstRow;                             // the deferred weight's blocks: first row; else -1
        private readonly int _largestDeferredBlock;
        private TrainingChunks? _owner;
        private int _chunks, _batch, _inputsLength;
        private float* _inputs;
        private float[][] _scratch = Array.Empty<float[]>();  // per kernel thread: one deferred block of a later chunk

        public SumJob(IReadOnlyList<Parameter> parameters, Parameter? deferred)
        {
            _parameters = parameters;
            var items = new List<(int Parameter, int Start, int Count, int FirstRow)>();
            for (int i = 0; i < parameters.Count; i++)
            {
                Parameter p = parameters[i];
                if (ReferenceEquals(p, deferred))
                {
                    int rows = RowsPerBlock(p.Columns);
                    for (int row = 0; row < p.Rows;)
                    {
                        int count = Math.Min(rows, p.Rows - row);
                        // A short rest joins the block before: a product of fewer than 6 rows takes other kernels.
                        if (p.Rows - row - count is > 0 and < 6)
                            count = p.Rows - row;
                        items.Add((i, row * p.Columns, count * p.Columns, row));
                        row += count;
                    }
                    continue;
                }
                for (int start = 0; start < p.Length; start += SumBlock)
                    items.Add((i, start, Math.Min(SumBlock, p.Length - start), -1));
            }
            _blockParameter = new int[items.Count];
            _blockStart = new int[items.Count];
            _blockCount = new int[items.Count];
            _blockFirstRow = new int[items.Count];
            for (int b = 0; b < items.Count; b++)
            {
                (_blockParameter[b], _blockStart[b], _blockCount[b], _blockFirstRow[b]) = items[b];
                if (_blockFirstRow[b] >= 0)
                    _largestDeferredBlock = Math.Max(_largestDeferredBlock, _blockCount[b]);
            }
        }

        /// <summary>Rows of a deferred weight per block: about <see cref="SumBlock"/> values, a multiple of 6, at least 6.</summary>
        internal static int RowsPerBlock(int columns) => Math.Max(6, SumBlock / Math.Max(columns, 1) / 6 * 6);

        /// <summary>[replica][parameter]: the replicas' gradient arrays.</summary>
        public float[][][] ReplicaGradients { get; set; } = Array.Empty<float[][]>();

        /// <summary>Replicas whose gradients this step adds (chunks - 1).</summary>
        public int Replicas { get; set; }

        /// <summary>The optimizer whose range update follows each block's sum, or null.</summary>
        public Optimizer? Optimizer { get; set; }

        /// <summary>The step whose deferred weight gradient the blocks compute (its inputs pinned by the caller), in
        /// <paramref name="parts"/> parts. Makes the scratch blocks of threads not seen before, on the calling thread.</summary>
        public void SetStep(TrainingChunks? owner, int chunks, int batch, float* inputs, int inputsLength, int parts)
        {
            if (_largestDeferredBlock > 0 && _scratch.Length < parts)
            {
                var grown = new float[parts][];
                for (int t = 0; t < parts; t++)
                    grown[t] = t < _scratch.Length ? _scratch[t] : new float[_largestDeferredBlock];
                _scratch = grown;
            }
            _owner = owner;
            _chunks = chunks;
            _batch = batch;
            _inputs = inputs;
            _inputsLength = inputsLength;
        }

        /// <summary>Parts worth running: one per thread, while each gets a few blocks.</summary>
        public int PartsFor(int threads) => Math.Max(1, Math.Min(Math.Min(threads, _blockCount.Length / 2), ushort.MaxValue));

        private int First(int part, int parts) => (int)((long)_blockCount.Length * part / parts);

        public override int ChunkCount(int part, int parts) => First(part + 1, parts) - First(part, parts);

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public override void RunChunk(int part, int parts, int chunk)
        {
            int b = First(part, parts) + chunk;
            int i = _blockParameter[b], start = _blockStart[b], count = _blockCount[b];
            Parameter parameter = _parameters[i];
            Span<float> sum = parameter.Gradient.AsSpan(start, count);
            if (_blockFirstRow[b] >= 0)
            {
                // A chunk taken over from another part runs on this thread: the scratch goes by the thread.
                Span<float> scratch = _scratch[KernelWorkers.CurrentThread].AsSpan(0, count);
                _owner!.DeferredRows(_chunks, _batch, _blockFirstRow[b], count / parameter.Columns, new ReadOnlySpan<float>(_inputs, _inputsLength), sum, scratch);
            }
            else
            {
                for (int r = 0; r < Replicas; r++)
                    TensorPrimitives.Add(sum, ReplicaGradients[r][i].AsSpan(start, count), sum);
            }
            Optimizer?.UpdateRange(parameter, start, count);
        }
    }
}
