using SourceNet.Kernels;

namespace SourceNet.Integration.Tests.Graphs;

/// <summary>An LSTM large enough that the kernels split its products over two threads (64 sequences of 12 steps).</summary>
[Network(InputSequence = new[] { 12, 20 })]
public sealed partial class ThreadedLstmNet
{
    [Lstm(40, ReturnSequences = true)] public partial LstmLayer Lower { get; }
    [Dropout(0.1f)] public partial DropoutLayer Drop { get; }
    [Gru(24)] public partial GruLayer Upper { get; }
    [Dense(10)] public partial DenseLayer Logits { get; }
}

/// <summary>
/// Training steps of recurrent layers on more than one thread: the same bits at 1 and 2 kernel threads, and nothing
/// allocated per step on the calling thread once warm; and a small LSTM that learns.
/// </summary>
[Collection(KernelThreadsCollection.Name)]
public class RecurrentTrainingTests
{
    private const int Batch = 64;

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

    private static (float[] Inputs, int[] Labels) Data(int seed)
    {
        var inputs = new float[Batch * ThreadedLstmNet.InputCount];
        new SeededRandom(seed).FillNormal(inputs, 0f, 1f);
        return (inputs, Enumerable.Range(0, Batch).Select(i => (i * 7 + seed) % 10).ToArray());
    }

    private static float[] Train(int threads) => AtThreads(threads, () =>
    {
        var model = new ThreadedLstmNet(seed: 3, maxBatchSize: Batch);
        var adam = new Adam(1e-2f);
        for (int step = 0; step < 4; step++)
        {
            (float[] inputs, int[] labels) = Data(step);
            model.TrainStep(inputs, labels, adam);
        }
        var outputs = new float[Batch * ThreadedLstmNet.OutputCount];
        model.Forward(Data(9).Inputs, outputs);
        return model.Parameters.SelectMany(p => p.Value).Concat(outputs).ToArray();
    });

    [Fact]
    public void Training_gives_the_same_bits_on_one_and_two_threads()
    {
        float[] one = Train(1);
        float[] two = Train(2);
        Assert.Equal(one.Length, two.Length);
        for (int i = 0; i < one.Length; i++)
        {
            Assert.True(BitConverter.SingleToInt32Bits(one[i]) == BitConverter.SingleToInt32Bits(two[i]), $"value {i}: {one[i]:R} on 1 thread, {two[i]:R} on 2");
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void A_training_step_and_inference_allocate_nothing_after_warm_up(int threads) => AtThreads(threads, () =>
    {
        var model = new ThreadedLstmNet(seed: 1, maxBatchSize: Batch);
        var adam = new Adam();
        (float[] inputs, int[] labels) = Data(1);
        var outputs = new float[Batch * ThreadedLstmNet.OutputCount];
        // Enough steps for tiered compilation to settle (each step calls the per-step kernels dozens of times).
        for (int i = 0; i < 20; i++)
        {
            model.TrainStep(inputs, labels, adam);
            model.Forward(inputs, outputs);
        }
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 5; i++)
        {
            model.TrainStep(inputs, labels, adam);
            model.Forward(inputs, outputs);
        }
        // The calling thread runs every step's cell kernels and its share of each split product. (The process-wide count,
        // GC.GetTotalAllocatedBytes, moves by a few hundred bytes here even at one thread, where no worker runs: the test
        // host's and the runtime's own threads; it cannot tell this test's allocations apart.)
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        return 0;
    });

    [Fact]
    public void An_lstm_learns_to_carry_a_sum_through_the_steps()
    {
        // The label is the sign of the first feature summed over the six steps: the state must carry it to the end.
        const int batch = 32, size = SumLstmNet.InputCount;
        var model = new SumLstmNet(seed: 2, maxBatchSize: batch);
        var adam = new Adam(1e-2f);
        var random = new SeededRandom(4);
        (float[] Inputs, int[] Labels) Draw()
        {
            var inputs = new float[batch * size];
            random.FillNormal(inputs, 0f, 1f);
            var labels = new int[batch];
            for (int s = 0; s < batch; s++)
            {
                float sum = 0;
                for (int t = 0; t < 6; t++) sum += inputs[s * size + t * 4];
                labels[s] = sum > 0 ? 1 : 0;
            }
            return (inputs, labels);
        }
        (float[] testInputs, int[] testLabels) = Draw();
        var predictions = new int[batch];
        model.Predict(testInputs, predictions);
        int before = predictions.Zip(testLabels).Count(p => p.First == p.Second);
        for (int step = 0; step < 300; step++)
        {
            (float[] inputs, int[] labels) = Draw();
            model.TrainStep(inputs, labels, adam);
        }
        model.Predict(testInputs, predictions);
        int correct = predictions.Zip(testLabels).Count(p => p.First == p.Second);
        Assert.True(correct >= 0.9 * batch, $"{correct} of {batch} right after 300 steps ({before} before)");
    }
}

/// <summary>Six steps of four features into an LSTM, then two logits.</summary>
[Network(InputSequence = new[] { 6, 4 })]
public sealed partial class SumLstmNet
{
    [Lstm(16)] public partial LstmLayer Recurrent { get; }
    [Dense(2, WeightStdDev = 0.3f)] public partial DenseLayer Logits { get; }
}
