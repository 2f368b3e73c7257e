using SourceNet.Data;

namespace SourceNet.Integration.Tests.Network;

/// <summary>The generated training step end to end: it must learn, deterministically, without allocating.</summary>
public class TrainingTests
{
    private static readonly Lazy<MnistDataset> s_subset = new(() => MnistDataset.Load(RepoPaths.MnistData, maxTrain: 10000, maxTest: 2000));

    [Fact]
    public void Mnist_network_learns_from_a_subset()
    {
        MnistDataset data = s_subset.Value;
        var model = new MnistNetwork(seed: 3);
        var optimizer = new Adam(1e-3f);
        var sampler = new BatchSampler(data.TrainImages, data.TrainLabels, MnistDataset.ImageSize, new SeededRandom(4));
        var images = new float[100 * MnistDataset.ImageSize];
        var labels = new int[100];

        float before = model.Evaluate(data.TestImages, data.TestLabels);
        float firstLoss = 0, lastLoss = 0;
        for (int step = 0; step < 400; step++)
        {
            sampler.NextRandomBatch(images, labels);
            float loss = model.TrainStep(images, labels, optimizer);
            if (step < 20) firstLoss += loss / 20;
            if (step >= 380) lastLoss += loss / 20;
        }
        float after = model.Evaluate(data.TestImages, data.TestLabels);

        Assert.InRange(before, 0f, 0.3f); // an untrained network is near chance (10%)
        Assert.True(after > 0.90f, $"Test accuracy after 400 steps on 10,000 images: {after:P2}; expected > 90%.");
        Assert.True(lastLoss < firstLoss / 3, $"Loss fell only from {firstLoss:F3} to {lastLoss:F3}.");
        Assert.Equal(after, 1f - ErrorRate(model, data), 4);
    }

    private static float ErrorRate(MnistNetwork model, MnistDataset data)
    {
        var predictions = new int[data.TestCount];
        model.Predict(data.TestImages, predictions);
        return predictions.Where((p, i) => p != data.TestLabels[i]).Count() / (float)data.TestCount;
    }

    [Fact]
    public void Same_seed_gives_the_same_run_bit_for_bit()
    {
        float[] Train(int seed)
        {
            var model = new TinyClassifier(seed, maxBatchSize: 8);
            var optimizer = new Adam(1e-2f);
            var random = new SeededRandom(seed + 100);
            var inputs = new float[8 * TinyClassifier.InputCount];
            var labels = new int[8];
            for (int step = 0; step < 30; step++)
            {
                random.FillNormal(inputs, 0, 1);
                for (int i = 0; i < labels.Length; i++) labels[i] = random.NextInt(TinyClassifier.OutputCount);
                model.TrainStep(inputs, labels, optimizer);
            }
            return model.Parameters.SelectMany(p => p.Value).ToArray();
        }

        Assert.Equal(Train(1), Train(1));
        Assert.NotEqual(Train(1), Train(2));
    }

    [Fact]
    public void Training_step_and_inference_allocate_nothing_after_warm_up()
    {
        var model = new MnistNetwork(seed: 1);
        var optimizer = new Adam();
        var inputs = new float[100 * MnistNetwork.InputCount];
        new SeededRandom(1).FillNormal(inputs, 0.2f, 0.3f);
        var labels = Enumerable.Range(0, 100).Select(i => i % 10).ToArray();
        var predictions = new int[100];
        for (int i = 0; i < 3; i++)
        {
            model.TrainStep(inputs, labels, optimizer);
            model.Predict(inputs.AsSpan(0, MnistNetwork.InputCount));
            model.Predict(inputs, predictions);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 5; i++)
        {
            model.TrainStep(inputs, labels, optimizer);
            model.Predict(inputs.AsSpan(0, MnistNetwork.InputCount));
            model.Predict(inputs, predictions);
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void A_non_finite_input_is_rejected_and_changes_no_parameter()
    {
        var model = new TinyClassifier(seed: 1, maxBatchSize: 4);
        var inputs = new float[2 * TinyClassifier.InputCount];
        inputs[3] = float.NaN;
        float[] before = model.Parameters.SelectMany(p => p.Value).ToArray();

        var error = Assert.Throws<ArgumentException>(() => model.TrainStep(inputs, new[] { 0, 1 }, new Adam()));

        Assert.Contains("Input value 3 (sample 0, feature 3) is NaN", error.Message);
        Assert.Throws<ArgumentException>(() => model.Predict(inputs.AsSpan(0, TinyClassifier.InputCount)));
        Assert.Equal(before, model.Parameters.SelectMany(p => p.Value).ToArray());
    }

    [Fact]
    public void Bad_arguments_get_clear_errors()
    {
        var model = new TinyClassifier(seed: 1, maxBatchSize: 4);
        var adam = new Adam();
        var tooMany = Assert.Throws<ArgumentException>(() => model.TrainStep(new float[5 * 5], new int[5], adam));
        Assert.Contains("1 to 4 samples", tooMany.Message);
        var wrongLength = Assert.Throws<ArgumentException>(() => model.TrainStep(new float[7], new int[2], adam));
        Assert.Contains("need 10 input values; got 7", wrongLength.Message);
        var badLabel = Assert.Throws<ArgumentOutOfRangeException>(() => model.TrainStep(new float[10], new[] { 0, 4 }, adam));
        Assert.Contains("labels must be in 0..3", badLabel.Message);
        Assert.Throws<ArgumentException>(() => model.Predict(new float[4]));
        // A batch inference checks every label first, and names the sample by its place in the whole set (here in
        // the third chunk of 4), not in its chunk.
        var labels = new int[11];
        labels[9] = -1;
        var lossLabel = Assert.Throws<ArgumentOutOfRangeException>(() => model.ComputeLoss(new float[11 * 5], labels));
        Assert.Contains("Label of sample 9 is -1", lossLabel.Message);
    }
}
