using SourceNet.Data;
using SourceNet.Integration.Tests.Network;
using SourceNet.Kernels;

namespace SourceNet.Integration.Tests.Convolution;

/// <summary>A small CNN of the sample's structure on an MNIST subset: it must learn, allocate nothing per step, and not depend on the thread count.</summary>
[Collection(KernelThreadsCollection.Name)]
public class ConvolutionTrainingTests
{
    private static readonly Lazy<MnistDataset> s_subset = new(() => MnistDataset.Load(RepoPaths.MnistData, maxTrain: 6000, maxTest: 1000));

    [Fact]
    public void Small_cnn_learns_mnist_from_a_subset()
    {
        MnistDataset data = s_subset.Value;
        var model = new MnistConvNet(seed: 3, maxBatchSize: 32);
        var optimizer = new Adam(2e-3f);
        var sampler = new BatchSampler(data.TrainImages, data.TrainLabels, MnistDataset.ImageSize, new SeededRandom(4));
        var images = new float[32 * MnistDataset.ImageSize];
        var labels = new int[32];

        float before = model.Evaluate(data.TestImages, data.TestLabels);
        float firstLoss = 0, lastLoss = 0;
        const int steps = 250;
        long allocated = 0;
        for (int step = 0; step < steps; step++)
        {
            sampler.NextRandomBatch(images, labels);
            // The calling thread's count: the generated step and the kernels it runs inline. (The kernel
            // worker's own thread is counted by the runtime's allocation tests.)
            long start = GC.GetAllocatedBytesForCurrentThread();
            float loss = model.TrainStep(images, labels, optimizer);
            if (step >= 2) allocated += GC.GetAllocatedBytesForCurrentThread() - start; // past the optimizer's first-use state
            if (step < 20) firstLoss += loss / 20;
            if (step >= steps - 20) lastLoss += loss / 20;
        }
        float after = model.Evaluate(data.TestImages, data.TestLabels);

        Assert.InRange(before, 0f, 0.3f);
        Assert.True(after > 0.90f, $"Test accuracy after {steps} steps of 32: {after:P2}; expected > 90%.");
        Assert.True(lastLoss < firstLoss / 3, $"Loss fell only from {firstLoss:F3} to {lastLoss:F3}.");
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Training_is_bit_identical_for_one_and_two_kernel_threads()
    {
        int[] Train(int threads)
        {
            int saved = KernelThreads.Count;
            bool adaptive = KernelThreads.Adaptive;
            KernelThreads.Count = threads;
            KernelThreads.Adaptive = false; // split whenever two threads are allowed, not as timings choose
            try
            {
                MnistDataset data = s_subset.Value;
                var model = new MnistConvNet(seed: 6, maxBatchSize: 32);
                var optimizer = new Adam(1e-3f);
                var sampler = new BatchSampler(data.TrainImages, data.TrainLabels, MnistDataset.ImageSize, new SeededRandom(7));
                var images = new float[32 * MnistDataset.ImageSize];
                var labels = new int[32];
                for (int step = 0; step < 5; step++)
                {
                    sampler.NextRandomBatch(images, labels);
                    model.TrainStep(images, labels, optimizer);
                }
                return model.Parameters.SelectMany(p => p.Value).Select(BitConverter.SingleToInt32Bits).ToArray();
            }
            finally
            {
                KernelThreads.Count = saved;
                KernelThreads.Adaptive = adaptive;
            }
        }

        Assert.Equal(Train(1), Train(2));
    }
}

/// <summary>The sample's structure, narrower: conv 8 and 16 filters, dense 64.</summary>
[Network(InputShape = new[] { 28, 28, 1 })]
public sealed partial class MnistConvNet
{
    [Conv2D(8, 5, Activation.ReLU, Padding = Padding.Same, WeightStdDev = 0.28f, BiasStdDev = 0f)] public partial Conv2DLayer Conv1 { get; }
    [MaxPool2D(2)] public partial Pool2DLayer Pool1 { get; }
    [Conv2D(16, 5, Activation.ReLU, Padding = Padding.Same, WeightStdDev = 0.1f, BiasStdDev = 0f)] public partial Conv2DLayer Conv2 { get; }
    [MaxPool2D(2)] public partial Pool2DLayer Pool2 { get; }
    [Dense(64, Activation.ReLU, Flatten = true, WeightStdDev = 0.05f, BiasStdDev = 0f)] public partial DenseLayer Hidden { get; }
    [Dropout(0.25f)] public partial DropoutLayer Drop { get; }
    [Dense(10, WeightStdDev = 0.1f, BiasStdDev = 0f)] public partial DenseLayer Output { get; }
}
