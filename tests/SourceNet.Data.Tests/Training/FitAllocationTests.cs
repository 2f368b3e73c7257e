using SourceNet.Training;

namespace SourceNet.Data.Tests.Training;

/// <summary>Trainer.Fit allocates its batch once per trainer, not per call: nothing lands on the large-object heap per Fit.</summary>
public class FitAllocationTests
{
    [Fact]
    public void A_second_Fit_allocates_less_than_a_batch()
    {
        // MNIST's shapes, batches of 100: before the batch moved into the trainer, every Fit allocated 314,648
        // bytes here, the batch's 313,600 on the large-object heap.
        const int Batch = 100, Inputs = 784;
        var random = new SeededRandom(3);
        var features = new float[300 * Inputs];
        random.FillNormal(features, 0, 1);
        int[] labels = Enumerable.Range(0, 300).Select(i => i % 10).ToArray();
        var trainer = new Trainer(new MnistShapedNet(seed: 1, maxBatchSize: Batch), new Adam(1e-3f),
            new TrainerOptions { Epochs = 1, BatchSize = Batch, BatchesPerEpoch = 2 });

        long Allocated()
        {
            var sampler = new BatchSampler(features, labels, Inputs, new SeededRandom(2));
            long before = GC.GetAllocatedBytesForCurrentThread();
            trainer.Fit(sampler, features, labels);
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }

        Allocated(); // warm-up: JIT, the optimizer's moment buffers, the batch-inference replicas
        long second = Allocated();

        // What a Fit needs of its own is a few small objects (the monitor, the results list); 16 KB leaves room
        // for the runtime's own bookkeeping and is a twentieth of one batch.
        Assert.True(second < 16 * 1024, $"The second Fit allocated {second} bytes.");
    }
}
