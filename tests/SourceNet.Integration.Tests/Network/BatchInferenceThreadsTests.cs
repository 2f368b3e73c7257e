using System.Reflection;
using SourceNet.Data;
using SourceNet.Integration.Tests.Convolution;
using SourceNet.Kernels;

namespace SourceNet.Integration.Tests.Network;

/// <summary>
/// Batch inference (Forward, Predict, Evaluate, ComputeLoss) splits its chunks over the kernel threads, each thread
/// on buffers of its own (a replica of the network). The results must be the same bits as on one thread, for
/// dense, convolutional (with dropout, inference mode) and regression networks, with a short last chunk.
/// </summary>
[Collection(KernelThreadsCollection.Name)]
public class BatchInferenceThreadsTests
{
    private static readonly Lazy<MnistDataset> s_mnist = new(() => MnistDataset.Load(RepoPaths.MnistData, maxTrain: 1, maxTest: 1050));

    private sealed record Results(int[] Outputs, int[] Predictions, float Accuracy, int Loss, bool Replicated, bool ReplicaComputed);

    private static T AtThreads<T>(int threads, Func<T> run)
    {
        int saved = KernelThreads.Count;
        KernelThreads.Count = threads;
        try
        {
            return run();
        }
        finally
        {
            KernelThreads.Count = saved;
        }
    }

    private static int[] Bits(float[] values) => values.Select(BitConverter.SingleToInt32Bits).ToArray();

    /// <summary>Whether the network made a replica: a split was chosen (whether the worker was free is up to the machine).</summary>
    private static bool Replicated(object network) =>
        network.GetType().GetField("_replicas", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(network) is Array { Length: > 0 };

    /// <summary>Whether a replica computed a chunk: its logits buffer holds something (a new buffer is all zeros).</summary>
    private static bool ReplicaComputed(object network)
    {
        if (network.GetType().GetField("_replicas", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(network) is not Array { Length: > 0 } replicas)
            return false;
        object replica = replicas.GetValue(0)!;
        var logits = (float[])replica.GetType().GetField("_outputActivations", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(replica)!;
        return logits.Any(v => v != 0f);
    }

    /// <summary>A two-thread run in which the worker computed chunks on the replica. Whether it gets to, before the
    /// caller has taken them all, is up to the machine: up to ten tries, each on a fresh network.</summary>
    private static T WithReplicaWork<T>(Func<T> run, Func<T, bool> replicaComputed)
    {
        T result = run();
        for (int attempt = 1; attempt < 10 && !replicaComputed(result); attempt++)
            result = run();
        if (Environment.ProcessorCount >= 2)
            Assert.True(replicaComputed(result), "no chunk ran on the replica in ten runs");
        return result;
    }

    [Fact]
    public void Mlp_batch_inference_is_bit_identical_on_one_and_two_threads()
    {
        MnistDataset data = s_mnist.Value;
        Results Run(int threads) => AtThreads(threads, () =>
        {
            var model = new MnistNetwork(seed: 11, maxBatchSize: 100); // 1050 images: 11 chunks, the last of 50
            var outputs = new float[data.TestCount * MnistNetwork.OutputCount];
            var predictions = new int[data.TestCount];
            model.Forward(data.TestImages, outputs);
            model.Predict(data.TestImages, predictions);
            float accuracy = model.Evaluate(data.TestImages, data.TestLabels);
            float loss = model.ComputeLoss(data.TestImages, data.TestLabels);
            return new Results(Bits(outputs), predictions, accuracy, BitConverter.SingleToInt32Bits(loss), Replicated(model), ReplicaComputed(model));
        });

        Results one = Run(1), two = WithReplicaWork(() => Run(2), r => r.ReplicaComputed);
        Assert.False(one.Replicated);
        Assert.True(two.Replicated);
        Assert.Equal(one.Outputs, two.Outputs);
        Assert.Equal(one.Predictions, two.Predictions);
        Assert.Equal(one.Accuracy, two.Accuracy);
        Assert.Equal(one.Loss, two.Loss);
        // The predictions are those of the logits, and the accuracy counts them.
        var model = new MnistNetwork(seed: 11, maxBatchSize: 100);
        var single = new float[MnistNetwork.OutputCount];
        for (int i = 0; i < data.TestCount; i += 97)
        {
            model.Forward(data.TestImages.AsSpan(i * MnistDataset.ImageSize, MnistDataset.ImageSize), single);
            Assert.Equal(one.Outputs.AsSpan(i * 10, 10).ToArray(), Bits(single));
            Assert.Equal(Array.IndexOf(single, single.Max()), two.Predictions[i]);
        }
        int correct = two.Predictions.Where((p, i) => p == data.TestLabels[i]).Count();
        Assert.Equal((float)correct / data.TestCount, two.Accuracy);
    }

    [Fact]
    public void Cnn_with_dropout_batch_inference_is_bit_identical_on_one_and_two_threads()
    {
        MnistDataset data = s_mnist.Value;
        const int Count = 70; // 5 chunks of 16, the last of 6
        float[] images = data.TestImages.AsSpan(0, Count * MnistDataset.ImageSize).ToArray();
        int[] labels = data.TestLabels.AsSpan(0, Count).ToArray();
        Results Run(int threads) => AtThreads(threads, () =>
        {
            var model = new MnistConvNet(seed: 5, maxBatchSize: 16);
            var outputs = new float[Count * MnistConvNet.OutputCount];
            var predictions = new int[Count];
            model.Forward(images, outputs);
            model.Predict(images, predictions);
            float accuracy = model.Evaluate(images, labels);
            float loss = model.ComputeLoss(images, labels);
            return new Results(Bits(outputs), predictions, accuracy, BitConverter.SingleToInt32Bits(loss), Replicated(model), ReplicaComputed(model));
        });

        Results one = Run(1), two = WithReplicaWork(() => Run(2), r => r.ReplicaComputed);
        Assert.True(two.Replicated);
        Assert.Equal(one.Outputs, two.Outputs);
        Assert.Equal(one.Predictions, two.Predictions);
        Assert.Equal(one.Accuracy, two.Accuracy);
        Assert.Equal(one.Loss, two.Loss);
    }

    [Fact]
    public void Regressor_batch_inference_is_bit_identical_on_one_and_two_threads()
    {
        // A tiny network splits only with many samples: 40,000 of 4 values.
        const int Count = 40_000;
        var random = new SeededRandom(9);
        var inputs = new float[Count * TinyRegressor.InputCount];
        var targets = new float[Count * TinyRegressor.OutputCount];
        random.FillNormal(inputs, 0f, 1f);
        for (int i = 0; i < targets.Length; i++) targets[i] = random.NextSingle();
        (int[] Outputs, int Loss, bool Replicated, bool ReplicaComputed) Run(int threads) => AtThreads(threads, () =>
        {
            var model = new TinyRegressor(seed: 2, maxBatchSize: 64);
            var outputs = new float[Count * TinyRegressor.OutputCount];
            model.Forward(inputs, outputs);
            return (Bits(outputs), BitConverter.SingleToInt32Bits(model.ComputeLoss(inputs, targets)), Replicated(model), ReplicaComputed(model));
        });

        var one = Run(1);
        var two = WithReplicaWork(() => Run(2), r => r.ReplicaComputed);
        Assert.True(two.Replicated);
        Assert.Equal(one.Outputs, two.Outputs);
        Assert.Equal(one.Loss, two.Loss);
    }

    [Fact]
    public void Repeated_batch_inference_allocates_nothing_on_the_calling_thread()
    {
        MnistDataset data = s_mnist.Value;
        AtThreads(2, () =>
        {
            var model = new MnistNetwork(seed: 1, maxBatchSize: 100);
            var predictions = new int[data.TestCount];
            // The first split runs make the replica and the job's buffers, and grow each thread's kernel buffers.
            for (int i = 0; i < 3; i++)
            {
                model.Predict(data.TestImages, predictions);
                model.Evaluate(data.TestImages, data.TestLabels);
                model.ComputeLoss(data.TestImages, data.TestLabels);
            }
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 3; i++)
            {
                model.Predict(data.TestImages, predictions);
                model.Evaluate(data.TestImages, data.TestLabels);
                model.ComputeLoss(data.TestImages, data.TestLabels);
            }
            Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
            return 0;
        });
    }
}
