using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

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
/// A per-network <see cref="TrainingSplitController"/> times the three and keeps the fastest.
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
        _sumJob = new SumJob(_parameters);
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
    public float Step(int batch, ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels, ReadOnlySpan<float> targets, Optimizer? optimizer)
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
        RunChunks(split, chunks, batch, inputs, labels, targets);
        double total = 0;
        for (int c = 0; c < chunks; c++)
            total += _losses[c];
        float loss = (float)(total * (1f / batch));
        // Before any parameter changes, so a diverging step loses nothing.
        if (!float.IsFinite(loss))
            NetworkGuards.ThrowNonFiniteLoss(loss, inputs, _parameters);
        SumAndUpdate(split == TrainingSplit.OneThread ? 1 : threads, chunks, optimizer);
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

    private unsafe void RunChunks(TrainingSplit split, int chunks, int batch, ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels, ReadOnlySpan<float> targets)
    {
        if (split == TrainingSplit.Samples && KernelWorkers.TryAcquire())
        {
            // The job is only touched while the workers are held.
            try
            {
                fixed (float* pInputs = inputs)
                fixed (int* pLabels = labels)
                fixed (float* pTargets = targets)
                {
                    _chunkJob.Set(this, chunks, batch, pInputs, inputs.Length, pLabels, labels.Length, pTargets, targets.Length);
                    try
                    {
                        KernelWorkers.Run(_chunkJob, Math.Min(KernelThreads.Count, chunks));
                    }
                    finally
                    {
                        _chunkJob.Clear();
                    }
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
                RunChunk(c, chunks, batch, inputs, labels, targets);
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
        int start = (int)((long)batch * chunk / chunks);
        int end = (int)((long)batch * (chunk + 1) / chunks);
        ITrainingChunk network = chunk == 0 ? _network : _replicas[chunk - 1];
        _losses[chunk] = network.TrainChunk(start, end - start, batch, inputs, labels, targets);
    }

    /// <summary>Adds the replicas' gradients into the network's, in chunk order, and updates, in parallel blocks.</summary>
    private void SumAndUpdate(int threads, int chunks, Optimizer? optimizer)
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
        try
        {
            // Each gradient value's sum is g0 + g1 + ... whichever thread adds it: the split changes no bit.
            KernelWorkers.RunShared(_sumJob, parts);
        }
        finally
        {
            _sumJob.Optimizer = null;
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

        public void Set(TrainingChunks owner, int chunks, int batch, float* inputs, int inputsLength, int* labels, int labelsLength, float* targets, int targetsLength)
        {
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
            // The threads share the work by samples: the kernels inside a chunk do not split again.
            KernelThreads.t_insideSampleChunk = true;
            try
            {
                _owner!.RunChunk(First(part, parts) + chunk, _chunks, _batch,
                    new ReadOnlySpan<float>(_inputs, _inputsLength), new ReadOnlySpan<int>(_labels, _labelsLength), new ReadOnlySpan<float>(_targets, _targetsLength));
            }
            finally
            {
                KernelThreads.t_insideSampleChunk = false;
            }
        }
    }

    /// <summary>
    /// The gradients' sum and the fused update, in blocks of at most <see cref="SumBlock"/> values of one parameter,
    /// each block starting at a multiple of the block size from its parameter's start: the update sees the same
    /// aligned runs whatever the split.
    /// </summary>
    private sealed class SumJob : KernelJob
    {
        private readonly IReadOnlyList<Parameter> _parameters;
        private readonly int[] _blockParameter, _blockStart, _blockCount; // the work items, in parameter order

        public SumJob(IReadOnlyList<Parameter> parameters)
        {
            _parameters = parameters;
            int blocks = 0;
            foreach (Parameter p in parameters)
                blocks += (p.Length + SumBlock - 1) / SumBlock;
            _blockParameter = new int[blocks];
            _blockStart = new int[blocks];
            _blockCount = new int[blocks];
            int b = 0;
            for (int i = 0; i < parameters.Count; i++)
            {
                for (int start = 0; start < parameters[i].Length; start += SumBlock, b++)
                {
                    _blockParameter[b] = i;
                    _blockStart[b] = start;
                    _blockCount[b] = Math.Min(SumBlock, parameters[i].Length - start);
                }
            }
        }

        /// <summary>[replica][parameter]: the replicas' gradient arrays.</summary>
        public float[][][] ReplicaGradients { get; set; } = Array.Empty<float[][]>();

        /// <summary>Replicas whose gradients this step adds (chunks - 1).</summary>
        public int Replicas { get; set; }

        /// <summary>The optimizer whose range update follows each block's sum, or null.</summary>
        public Optimizer? Optimizer { get; set; }

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
            for (int r = 0; r < Replicas; r++)
                TensorPrimitives.Add(sum, ReplicaGradients[r][i].AsSpan(start, count), sum);
            Optimizer?.UpdateRange(parameter, start, count);
        }
    }
}
