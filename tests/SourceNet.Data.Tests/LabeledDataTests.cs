namespace SourceNet.Data.Tests;

/// <summary>LabeledData refuses samples whose sizes or labels do not agree, and feeds a BatchSampler as it is.</summary>
public class LabeledDataTests
{
    [Fact]
    public void Sizes_and_labels_that_do_not_agree_are_refused_with_the_numbers()
    {
        var wrongSize = Assert.Throws<ArgumentException>(() => new LabeledData(new float[7], [0, 1], [2, 2]));
        Assert.StartsWith("2 samples of shape [2, 2] need 8 floats; the features hold 7.", wrongSize.Message);
        var negative = Assert.Throws<ArgumentException>(() => new LabeledData(new float[4], [0, -1], [2]));
        Assert.StartsWith("Label 1 is -1; labels are class indices, 0 or more.", negative.Message);
        var unnamed = Assert.Throws<ArgumentException>(() => new LabeledData(new float[4], [0, 2], [2], ["a", "b"]));
        Assert.StartsWith("Label 1 is 2; labels are class indices, 0..1.", unnamed.Message);
        Assert.Throws<ArgumentException>(() => new LabeledData(new float[4], [0, 1], [2, 0]));
        Assert.Throws<ArgumentException>(() => new LabeledData(new float[4], [0, 1], []));
    }

    [Fact]
    public void Its_sampler_draws_its_samples()
    {
        var data = new LabeledData([10, 11, 20, 21, 30, 31], [0, 1, 2], [2]);
        BatchSampler sampler = data.CreateSampler(new SeededRandom(1));
        sampler.BeginEpoch();
        var features = new float[6];
        var labels = new int[3];

        Assert.Equal(3, sampler.NextShuffledBatch(features, labels));
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(new float[] { 10 * (labels[i] + 1), 10 * (labels[i] + 1) + 1 }, features.AsSpan(2 * i, 2).ToArray());
        }
        Assert.Equal([0, 1, 2], labels.Order());
    }
}
