using SourceNet.Kernels;

namespace SourceNet.Integration.Tests.Sequences;

/// <summary>
/// Token input, the embedding and per-step softmax cross-entropy: gradients against central differences of
/// <see cref="TokenLmReference"/>, the loss and accuracy against independent computations, bad ids, allocations.
/// </summary>
public class TokenNetworkTests
{
    private static int[] Tokens(int count, int vocabulary, int seed)
    {
        var random = new SeededRandom(seed);
        return Enumerable.Range(0, count).Select(_ => random.NextInt(vocabulary)).ToArray();
    }

    private static void AssertClose(double expected, double actual, double relative, double absolute, string what)
    {
        double tolerance = absolute + relative * Math.Abs(expected);
        Assert.True(Math.Abs(expected - actual) <= tolerance, $"{what}: expected {expected:G9}, generated {actual:G9} (tolerance {tolerance:G3})");
    }

    private static void CheckGradients(INetwork network, TokenLmReference reference, Func<int[], int[], float> computeGradients, int[] tokens, int[] labels)
    {
        float loss = computeGradients(tokens, labels);
        AssertClose(reference.Loss(tokens, labels), loss, 1e-5, 1e-6, "loss");
        IReadOnlyList<double[]> values = reference.Parameters;
        Assert.Equal(network.Parameters.Count, values.Count);
        for (int p = 0; p < values.Count; p++)
        {
            Parameter parameter = network.Parameters[p];
            for (int i = 0; i < parameter.Length; i++)
            {
                AssertClose(reference.NumericalGradient(tokens, labels, values[p], i), parameter.Gradient[i], 2e-3, 2e-5, $"{parameter.Name}[{i}]");
            }
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void Embedding_and_per_step_dense_gradients_match_central_differences(int batch)
    {
        var network = new TinyTokenLm(seed: 3, maxBatchSize: 4);
        // Ids repeat within and across samples, so the scatter-add must sum several steps into one row.
        int[] tokens = Tokens(batch * 3, 4, seed: 10 + batch);
        int[] labels = Tokens(batch * 3, 6, seed: 20 + batch);
        CheckGradients(network, new TokenLmReference(network.Embed, network.Logits), (x, y) => network.ComputeGradients(x, y), tokens, labels);
        // Rows of ids that never occur get no gradient.
        for (int id = 4; id < 7; id++)
            Assert.All(network.Embed.Weight.Gradient.AsSpan(id * 5, 5).ToArray(), g => Assert.Equal(0f, g));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void A_hidden_per_step_layer_passes_its_input_gradient_back_to_the_embedding(int batch)
    {
        var network = new HiddenTokenLm(seed: 5, maxBatchSize: 4);
        int[] tokens = Tokens(batch * 3, 7, seed: 30 + batch);
        int[] labels = Tokens(batch * 3, 6, seed: 40 + batch);
        CheckGradients(network, new TokenLmReference(network.Embed, network.Hidden, network.Logits), (x, y) => network.ComputeGradients(x, y), tokens, labels);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void Embedding_LSTM_and_per_step_logits_gradients_match_central_differences(int batch)
    {
        // The character model's architecture: the LSTM's input gradient must reach the embedding's table.
        var network = new LstmTokenLm(seed: 12, maxBatchSize: 3);
        int[] tokens = Tokens(batch * 3, 7, seed: 110 + batch);
        int[] labels = Tokens(batch * 3, 6, seed: 120 + batch);
        float loss = network.ComputeGradients(tokens, labels);
        var reference = new LstmTokenLmReference(network);
        AssertClose(reference.Loss(tokens, labels), loss, 1e-5, 1e-6, "loss");
        IReadOnlyList<double[]> values = reference.Parameters;
        Assert.Equal(network.Parameters.Count, values.Count);
        for (int p = 0; p < values.Count; p++)
        {
            Parameter parameter = network.Parameters[p];
            for (int i = 0; i < parameter.Length; i++)
                AssertClose(reference.NumericalGradient(tokens, labels, values[p], i), parameter.Gradient[i], 2e-3, 2e-5, $"{parameter.Name}[{i}]");
        }
        Assert.Contains(network.Embed.Weight.Gradient, g => g != 0f);
    }

    [Fact]
    public void The_per_step_loss_is_the_mean_over_samples_and_steps_in_training_and_inference()
    {
        var network = new HiddenTokenLm(seed: 6, maxBatchSize: 4);
        // 9 samples: three chunks of at most 4, the last short.
        int[] tokens = Tokens(9 * 3, 7, seed: 50);
        int[] labels = Tokens(9 * 3, 6, seed: 51);
        var reference = new TokenLmReference(network.Embed, network.Hidden, network.Logits);
        AssertClose(reference.Loss(tokens, labels), network.ComputeLoss(tokens, labels), 1e-5, 1e-6, "ComputeLoss");

        var outputs = new float[9 * HiddenTokenLm.OutputCount];
        network.Forward(tokens, outputs);
        double[][] logits = reference.Logits(tokens);
        for (int r = 0; r < logits.Length; r++)
            for (int j = 0; j < 6; j++)
                AssertClose(logits[r][j], outputs[r * 6 + j], 1e-5, 1e-6, $"step row {r} logit {j}");

        // Evaluate counts steps whose argmax is their label, over every step of every sample.
        int correct = Enumerable.Range(0, logits.Length).Count(r => Array.IndexOf(logits[r], logits[r].Max()) == labels[r]);
        Assert.Equal((float)((double)correct / logits.Length), network.Evaluate(tokens, labels));
        var predictions = new int[9 * 3];
        network.Predict(tokens, predictions);
        Assert.Equal(logits.Select(row => Array.IndexOf(row, row.Max())), predictions);
    }

    [Fact]
    public void A_token_classifier_takes_one_label_per_sample()
    {
        var network = new TokenClassifier(seed: 2, maxBatchSize: 4);
        int[] tokens = Tokens(3 * 3, 6, seed: 60);
        int[] labels = { 0, 3, 1 };
        float before = network.ComputeLoss(tokens, labels);
        var adam = new Adam(0.05f);
        for (int step = 0; step < 40; step++)
            network.TrainStep(tokens, labels, adam);
        Assert.True(network.ComputeLoss(tokens, labels) < before / 4, "the classifier learns three samples");
        Assert.Equal(1f, network.Evaluate(tokens, labels));
    }

    [Fact]
    public void A_token_id_outside_the_vocabulary_is_rejected_naming_sample_step_and_value_and_changes_nothing()
    {
        var network = new HiddenTokenLm(seed: 7, maxBatchSize: 4);
        int[] tokens = Tokens(2 * 3, 7, seed: 70);
        int[] labels = Tokens(2 * 3, 6, seed: 71);
        float[][] before = network.Parameters.Select(p => (float[])p.Value.Clone()).ToArray();
        var adam = new Adam(0.1f);
        foreach (int bad in new[] { 7, -1 })
        {
            tokens[5] = bad;
            var e = Assert.Throws<ArgumentOutOfRangeException>(() => network.TrainStep(tokens, labels, adam));
            Assert.Equal("inputs", e.ParamName);
            Assert.Contains($"Token id of sample 1, step 2 is {bad}; token ids must be in 0..6 (the vocabulary).", e.Message);
            Assert.Throws<ArgumentOutOfRangeException>(() => network.ComputeGradients(tokens, labels));
            Assert.Throws<ArgumentOutOfRangeException>(() => network.ComputeLoss(tokens, labels));
            Assert.Throws<ArgumentOutOfRangeException>(() => network.Evaluate(tokens, labels));
            Assert.Throws<ArgumentOutOfRangeException>(() => network.Forward(tokens, new float[2 * HiddenTokenLm.OutputCount]));
            Assert.Throws<ArgumentOutOfRangeException>(() => network.Predict(tokens, new int[6]));
        }
        for (int p = 0; p < before.Length; p++)
            Assert.Equal(before[p], network.Parameters[p].Value);

        // A declared InputVocabulary narrower than the table bounds the ids.
        var classifier = new TokenClassifier(seed: 1, maxBatchSize: 2);
        var narrow = Assert.Throws<ArgumentOutOfRangeException>(() => classifier.Forward(new[] { 0, 6, 1 }, new float[4]));
        Assert.Contains("sample 0, step 1 is 6; token ids must be in 0..5", narrow.Message);
    }

    [Fact]
    public void Per_step_labels_come_a_whole_number_of_samples_and_in_range()
    {
        var network = new TinyTokenLm(seed: 1, maxBatchSize: 4);
        int[] tokens = Tokens(2 * 3, 7, seed: 80);
        var count = Assert.Throws<ArgumentException>(() => network.ComputeGradients(tokens, new int[5]));
        Assert.Contains("Labels come 3 per sample (one per step); got 5, not a multiple of 3.", count.Message);
        var range = Assert.Throws<ArgumentOutOfRangeException>(() => network.ComputeGradients(tokens, new[] { 0, 1, 2, 3, 6, 0 }));
        Assert.Contains("Label 4 (sample 1, step 1) is 6; labels must be in 0..5.", range.Message);
    }

    [Fact]
    public void A_training_step_allocates_nothing()
    {
        var network = new HiddenTokenLm(seed: 8, maxBatchSize: 4);
        int[] tokens = Tokens(4 * 3, 7, seed: 90);
        int[] labels = Tokens(4 * 3, 6, seed: 91);
        var adam = new Adam(1e-2f);
        var predictions = new int[12];
        for (int i = 0; i < 3; i++)
        {
            network.TrainStep(tokens, labels, adam);
            network.Predict(tokens, predictions);
        }
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 5; i++)
        {
            network.TrainStep(tokens, labels, adam);
            network.Predict(tokens, predictions);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void The_per_step_model_learns_a_shifted_sequence()
    {
        // Each label is the next id of a cycle: a lookup the embedding and one dense layer can represent exactly.
        var network = new TinyTokenLm(seed: 4, maxBatchSize: 4);
        int[] tokens = Tokens(4 * 3, 6, seed: 95);
        int[] labels = tokens.Select(t => (t + 1) % 6).ToArray();
        var adam = new Adam(0.05f);
        float first = network.TrainStep(tokens, labels, adam);
        for (int step = 0; step < 150; step++)
            network.TrainStep(tokens, labels, adam);
        Assert.True(network.ComputeLoss(tokens, labels) < first / 10, "the loss falls tenfold");
        Assert.Equal(1f, network.Evaluate(tokens, labels));
    }
}

/// <summary>Training at 1 and 2 kernel threads gives the same bits: the scatter-add runs in one order, and the products do not depend on the split.</summary>
[Collection(KernelThreadsCollection.Name)]
public class TokenNetworkThreadsTests
{
    private static int[] Train(int threads)
    {
        int saved = KernelThreads.Count;
        KernelThreads.Count = threads;
        try
        {
            var network = new WideTokenLm(seed: 9, maxBatchSize: 32);
            var random = new SeededRandom(100);
            var tokens = new int[32 * 16];
            var labels = new int[32 * 16];
            var adam = new Adam(1e-2f);
            for (int step = 0; step < 4; step++)
            {
                for (int i = 0; i < tokens.Length; i++)
                {
                    tokens[i] = random.NextInt(29);
                    labels[i] = random.NextInt(29);
                }
                network.TrainStep(tokens, labels, adam);
            }
            var outputs = new float[70 * WideTokenLm.OutputCount];
            var many = new int[70 * 16];
            for (int i = 0; i < many.Length; i++)
                many[i] = random.NextInt(29);
            network.Forward(many, outputs);
            return network.Parameters.SelectMany(p => p.Value).Concat(outputs).Select(BitConverter.SingleToInt32Bits).ToArray();
        }
        finally
        {
            KernelThreads.Count = saved;
        }
    }

    [Fact]
    public void Training_and_inference_are_bit_identical_at_one_and_two_threads() =>
        Assert.Equal(Train(1), Train(2));
}
