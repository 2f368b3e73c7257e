using SourceNet.Integration.Tests.Convolution;
using SourceNet.Integration.Tests.Graphs;
using SourceNet.Checkpoints;
using SourceNet.Kernels;

namespace SourceNet.Integration.Tests.Network;

/// <summary>
/// Training steps split by samples (<see cref="TrainingChunks"/>): a batch of 32 or more runs as two chunks, each on
/// buffers of its own, whose gradients are added in chunk order. The result must not depend on the thread count or on
/// how the step was split, and the summed gradient must be the batch's (checked against finite differences in
/// <see cref="GradientTests"/> and <see cref="GraphGradientTests"/>).
/// </summary>
[Collection(KernelThreadsCollection.Name)]
public class SampleChunkTrainingTests
{
    private static float[] RandomInputs(int count, int seed)
    {
        var values = new float[count];
        new SeededRandom(seed).FillNormal(values, 0f, 1f);
        return values;
    }

    /// <summary>Trains <paramref name="steps"/> steps of a fixed sequence of batches and returns every parameter's bits.</summary>
    private static int[] Train<TNetwork>(Func<TNetwork> create, int threads, bool adaptive, int batch, int steps, Func<TNetwork, float[], int[], Optimizer, float> step)
        where TNetwork : INetwork
    {
        int savedCount = KernelThreads.Count;
        bool savedAdaptive = KernelThreads.Adaptive;
        KernelThreads.Count = threads;
        KernelThreads.Adaptive = adaptive;
        try
        {
            TNetwork network = create();
            var optimizer = new Adam(2e-3f);
            for (int s = 0; s < steps; s++)
            {
                float[] inputs = RandomInputs(batch * network.InputSize, seed: 1000 + s);
                int[] labels = Enumerable.Range(0, batch).Select(i => (i * 7 + s) % network.OutputSize).ToArray();
                Assert.True(float.IsFinite(step(network, inputs, labels, optimizer)));
            }
            return network.Parameters.SelectMany(p => p.Value).Select(BitConverter.SingleToInt32Bits).ToArray();
        }
        finally
        {
            KernelThreads.Count = savedCount;
            KernelThreads.Adaptive = savedAdaptive;
        }
    }

    /// <summary>
    /// One thread; two threads always split by samples; two threads adaptive, whose first steps take every way in turn
    /// (samples, products, one thread) and whose first look times each for a block: all three give the same bits.
    /// </summary>
    private static void AssertSameOnAnyThreads<TNetwork>(Func<TNetwork> create, int batch, int steps, Func<TNetwork, float[], int[], Optimizer, float> step)
        where TNetwork : INetwork
    {
        int[] one = Train(create, threads: 1, adaptive: true, batch, steps, step);
        int[] samples = Train(create, threads: 2, adaptive: false, batch, steps, step);
        int[] everyWay = Train(create, threads: 2, adaptive: true, batch, steps, step);
        Assert.Equal(one, samples);
        Assert.Equal(one, everyWay);
    }

    [Fact]
    public void Mlp_steps_are_bit_identical_on_one_and_two_threads()
    {
        Assert.Equal(2, SampleChunks.TrainingChunksFor(37));
        AssertSameOnAnyThreads(() => new MnistNetwork(seed: 3, maxBatchSize: 40), batch: 37, steps: 9,
            (n, x, y, o) => n.TrainStep(x, y, o));
    }

    [Fact]
    public void Cnn_with_dropout_steps_are_bit_identical_on_one_and_two_threads()
    {
        AssertSameOnAnyThreads(() => new MnistConvNet(seed: 5, maxBatchSize: 33), batch: 33, steps: 8,
            (n, x, y, o) => n.TrainStep(x, y, o));
    }

    [Fact]
    public void Graph_network_steps_are_bit_identical_on_one_and_two_threads()
    {
        AssertSameOnAnyThreads(() => new ChunkedGraphNet(seed: 9, maxBatchSize: 36), batch: 35, steps: 9,
            (n, x, y, o) => n.TrainStep(x, y, o));
    }

    [Fact]
    public void Networks_with_batch_statistics_keep_the_whole_batch()
    {
        // BatchNorm couples the samples of a batch: such a network is not split by samples.
        Assert.False(typeof(ITrainingChunk).IsAssignableFrom(typeof(ResidualBlockNet)));
        Assert.True(typeof(ITrainingChunk).IsAssignableFrom(typeof(ChunkedGraphNet)));
        Assert.True(typeof(ITrainingChunk).IsAssignableFrom(typeof(MnistConvNet)));
    }

    [Fact]
    public void A_split_step_updates_as_the_global_step_does()
    {
        // The sum of the chunks' gradients, then Adam (fused into the sum) against ComputeGradients then Adam.Step: the same bits.
        const int batch = 34;
        float[] inputs = RandomInputs(batch * MnistConvNet.InputCount, seed: 41);
        int[] labels = Enumerable.Range(0, batch).Select(i => i % 10).ToArray();
        var fused = new MnistConvNet(seed: 8, maxBatchSize: batch);
        var global = new MnistConvNet(seed: 8, maxBatchSize: batch);
        var fusedAdam = new Adam(1e-3f);
        var globalAdam = new Adam(1e-3f);

        float loss = fused.TrainStep(inputs, labels, fusedAdam);
        float sameLoss = global.ComputeGradients(inputs, labels);
        globalAdam.Step(global.Parameters);

        Assert.Equal(BitConverter.SingleToInt32Bits(sameLoss), BitConverter.SingleToInt32Bits(loss));
        for (int p = 0; p < fused.Parameters.Count; p++)
            Assert.Equal(global.Parameters[p].Value, fused.Parameters[p].Value);
    }

    [Fact]
    public void A_split_step_with_clipping_takes_the_global_step()
    {
        const int batch = 40;
        float[] inputs = RandomInputs(batch * MnistNetwork.InputCount, seed: 42);
        int[] labels = Enumerable.Range(0, batch).Select(i => (i * 3) % 10).ToArray();
        var stepped = new MnistNetwork(seed: 8, maxBatchSize: batch);
        var reference = new MnistNetwork(seed: 8, maxBatchSize: batch);
        var clipping = new Adam(1e-2f) { MaxGradientNorm = 0.05f };
        var referenceClipping = new Adam(1e-2f) { MaxGradientNorm = 0.05f };

        stepped.TrainStep(inputs, labels, clipping);
        reference.ComputeGradients(inputs, labels);
        referenceClipping.Step(reference.Parameters);

        Assert.True(clipping.LastGradientNorm > 0.05f, $"the norm {clipping.LastGradientNorm} was not clipped");
        Assert.Equal(BitConverter.SingleToInt32Bits(referenceClipping.LastGradientNorm), BitConverter.SingleToInt32Bits(clipping.LastGradientNorm));
        for (int p = 0; p < stepped.Parameters.Count; p++)
            Assert.Equal(reference.Parameters[p].Value, stepped.Parameters[p].Value);
    }

    [Fact]
    public void A_checkpoint_resumes_split_steps_with_dropout_bit_for_bit()
    {
        // The second chunk's masks come from a replica generator reseeded from the network's every step: the
        // network's own generator state, which the checkpoint holds, is all a resumed run needs.
        const int batch = 32;
        float[] Batch(int step) => RandomInputs(batch * MnistConvNet.InputCount, seed: 500 + step);
        int[] labels = Enumerable.Range(0, batch).Select(i => i % 10).ToArray();
        string path = Path.Combine(Path.GetTempPath(), $"sourcenet-chunks-{Guid.NewGuid():N}.ckpt");
        try
        {
            var straight = new MnistConvNet(seed: 4, maxBatchSize: batch);
            var straightAdam = new Adam(1e-3f);
            for (int s = 0; s < 3; s++)
                straight.TrainStep(Batch(s), labels, straightAdam);
            Checkpoint.Save(path, straight, straightAdam);
            for (int s = 3; s < 6; s++)
                straight.TrainStep(Batch(s), labels, straightAdam);

            var resumed = new MnistConvNet(seed: 99, maxBatchSize: batch);
            var resumedAdam = new Adam(1e-3f);
            Checkpoint.Load(path, resumed, resumedAdam);
            for (int s = 3; s < 6; s++)
                resumed.TrainStep(Batch(s), labels, resumedAdam);

            for (int p = 0; p < straight.Parameters.Count; p++)
                Assert.Equal(straight.Parameters[p].Value, resumed.Parameters[p].Value);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_diverging_split_step_changes_no_parameter()
    {
        const int batch = 32;
        var network = new MnistNetwork(seed: 2, maxBatchSize: batch);
        float[] before = network.Parameters.SelectMany(p => p.Value).ToArray();
        float[] inputs = RandomInputs(batch * MnistNetwork.InputCount, seed: 5);
        inputs.AsSpan(17 * MnistNetwork.InputCount, MnistNetwork.InputCount).Fill(3e38f); // sample 17, in the second chunk: an infinite loss

        var error = Assert.Throws<InvalidOperationException>(() => network.TrainStep(inputs, Enumerable.Repeat(1, batch).ToArray(), new Adam(1e-3f)));
        Assert.Contains("inputs reach", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, network.Parameters.SelectMany(p => p.Value).ToArray());
    }

    [Fact]
    public void A_bad_label_in_the_second_chunk_is_named_and_changes_nothing()
    {
        const int batch = 32;
        var network = new MnistNetwork(seed: 2, maxBatchSize: batch);
        float[] before = network.Parameters.SelectMany(p => p.Value).ToArray();
        int[] labels = Enumerable.Repeat(1, batch).ToArray();
        labels[30] = 10;

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => network.TrainStep(RandomInputs(batch * MnistNetwork.InputCount, 6), labels, new Adam(1e-3f)));
        Assert.Contains("sample 30", error.Message);
        Assert.Equal(before, network.Parameters.SelectMany(p => p.Value).ToArray());
    }

    [Fact]
    public void Split_steps_allocate_nothing_in_any_way_of_splitting()
    {
        AssertStepsAllocateNothing(new MnistConvNet(seed: 1, maxBatchSize: 40), MnistConvNet.InputCount, (n, x, y, o) => n.TrainStep(x, y, o));
    }

    [Fact]
    public void Split_steps_with_a_deferred_weight_gradient_allocate_nothing()
    {
        // The MLP's first layer leaves its weight gradient to the sum-and-update pass (ITrainingChunk.DeferredWeight).
        var network = new MnistNetwork(seed: 1, maxBatchSize: 40);
        Assert.Same(network.Hidden.Weight, ((ITrainingChunk)network).DeferredWeight);
        AssertStepsAllocateNothing(network, MnistNetwork.InputCount, (n, x, y, o) => n.TrainStep(x, y, o));
    }

    [Fact]
    public void A_cnn_defers_its_largest_dense_weight_gradient_and_its_replicas_keep_no_array_for_it()
    {
        // Not the first layer: the hidden dense layer after the convolutions, the largest weight (784 x 64 against 64 x 10).
        var network = new MnistConvNet(seed: 1, maxBatchSize: 40);
        var chunk = (ITrainingChunk)network;
        Assert.Same(network.Hidden.Weight, chunk.DeferredWeight);
        ITrainingChunk replica = chunk.CreateTrainingReplica(20);
        for (int p = 0; p < network.Parameters.Count; p++)
        {
            Parameter own = replica.Parameters[p];
            Assert.Same(network.Parameters[p].Value, own.Value);
            bool deferred = ReferenceEquals(network.Parameters[p], network.Hidden.Weight);
            Assert.Equal(deferred ? 0 : own.Length, own.Gradient.Length);
            Assert.NotSame(network.Parameters[p].Gradient, own.Gradient);
        }
        Assert.Equal(network.Hidden.Weight.Length, network.Hidden.Weight.Gradient.Length);
    }

    private static void AssertStepsAllocateNothing<TNetwork>(TNetwork network, int inputCount, Func<TNetwork, float[], int[], Optimizer, float> step)
    {
        int savedCount = KernelThreads.Count;
        bool savedAdaptive = KernelThreads.Adaptive;
        KernelThreads.Count = 2;
        KernelThreads.Adaptive = true;
        try
        {
            const int batch = 40;
            var optimizer = new Adam(1e-3f);
            float[] inputs = RandomInputs(batch * inputCount, seed: 2);
            int[] labels = Enumerable.Range(0, batch).Select(i => i % 10).ToArray();
            // Past the warm-up that takes every way once (what each makes on first use) and the optimizer's first state.
            for (int s = 0; s < 8; s++)
                step(network, inputs, labels, optimizer);
            // The calling thread runs chunk 0, the gradients' sum and the update, and every chunk when not split by
            // samples. (The test host's own threads allocate now and then, so the process-wide count cannot be
            // asserted here; bench/SourceNet.Compare reports it: 0 bytes per step on all threads.)
            long before = GC.GetAllocatedBytesForCurrentThread();
            // Through the first look: every way, timed.
            for (int s = 0; s < 30; s++)
                step(network, inputs, labels, optimizer);
            Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        finally
        {
            KernelThreads.Count = savedCount;
            KernelThreads.Adaptive = savedAdaptive;
        }
    }
}
