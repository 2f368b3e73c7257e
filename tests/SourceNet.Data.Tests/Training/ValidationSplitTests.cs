using SourceNet.Training;

namespace SourceNet.Data.Tests.Training;

/// <summary>LabeledData.Split and Trainer's ValidationSplit: seeded, disjoint, complete, and the same as splitting by hand.</summary>
public class ValidationSplitTests
{
    /// <summary>n samples whose label and both features are the sample's index, so any mix-up shows.</summary>
    private static LabeledData Indexed(int n)
    {
        var features = new float[2 * n];
        var labels = new int[n];
        for (int i = 0; i < n; i++)
        {
            labels[i] = i;
            features[2 * i] = features[2 * i + 1] = i;
        }
        return new LabeledData(features, labels, [2]);
    }

    [Fact]
    public void A_split_is_disjoint_complete_in_order_and_decided_by_its_seed()
    {
        LabeledData data = Indexed(100);

        (LabeledData train, LabeledData validation) = data.Split(0.3, seed: 7);
        (LabeledData train2, LabeledData validation2) = data.Split(0.3, seed: 7);
        (_, LabeledData other) = data.Split(0.3, seed: 8);

        Assert.Equal((70, 30), (train.Count, validation.Count));
        Assert.Equal(Enumerable.Range(0, 100), train.Labels.Concat(validation.Labels).Order());
        Assert.Equal(train.Labels.Order(), train.Labels);
        Assert.Equal(validation.Labels.Order(), validation.Labels);
        Assert.Equal(train.Labels.SelectMany(i => new float[] { i, i }), train.Features);
        Assert.Equal(validation.Labels.SelectMany(i => new float[] { i, i }), validation.Features);
        Assert.Equal(validation.Labels, validation2.Labels);
        Assert.Equal(train.Labels, train2.Labels);
        Assert.NotEqual(validation.Labels, other.Labels);
        Assert.NotEqual(Enumerable.Range(70, 30), validation.Labels); // not Keras' last 30%
    }

    [Fact]
    public void The_held_out_count_is_rounded_and_neither_part_may_be_empty()
    {
        Assert.Equal(3, Indexed(10).Split(0.25, 1).Validation.Count); // 2.5 rounds up
        Assert.Throws<ArgumentOutOfRangeException>(() => Indexed(10).Split(0.01, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Indexed(10).Split(0.99, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Indexed(10).Split(0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Indexed(10).Split(1, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TrainerOptions { ValidationSplit = 1 }.Validate());
    }

    [Fact]
    public void Fit_with_a_validation_split_is_fit_on_the_split_made_by_hand()
    {
        var random = new SeededRandom(5);
        var features = new float[2 * 240];
        random.FillNormal(features, 0, 1);
        int[] labels = Enumerable.Range(0, 240).Select(i => features[2 * i] * features[2 * i + 1] > 0 ? 1 : 0).ToArray();
        var data = new LabeledData(features, labels, [2]);
        var options = new TrainerOptions { Epochs = 3, BatchSize = 16, ValidationSplit = 0.25, ValidationSeed = 3 };

        var viaSplit = new PointNet(seed: 1, maxBatchSize: 16);
        TrainingHistory split = new Trainer(viaSplit, new Adam(1e-2f), options).Fit(data, new SeededRandom(2));

        var byHand = new PointNet(seed: 1, maxBatchSize: 16);
        (LabeledData train, LabeledData validation) = data.Split(0.25, 3);
        TrainingHistory hand = new Trainer(byHand, new Adam(1e-2f), options with { ValidationSplit = 0 })
            .Fit(new BatchSampler(train.Features, train.Labels, 2, new SeededRandom(2)), validation.Features, validation.Labels);

        Assert.Equal(hand.Select(r => (r.MeanLoss, r.TestAccuracy, r.Steps)), split.Select(r => (r.MeanLoss, r.TestAccuracy, r.Steps)));
        Assert.Equal(byHand.Parameters.SelectMany(p => p.Value), viaSplit.Parameters.SelectMany(p => p.Value));
        Assert.All(split, r => Assert.Equal(180 / 16, r.Steps)); // 240 - 60 held out, drawn at random in batches of 16
    }

    [Fact]
    public void A_split_and_explicit_validation_data_do_not_mix()
    {
        var net = new PointNet(seed: 1, maxBatchSize: 4);
        var trainer = new Trainer(net, new Adam(), new TrainerOptions { BatchSize = 4, ValidationSplit = 0.5 });
        var data = new LabeledData(new float[8], [0, 1, 0, 1], [2]);

        Assert.Throws<ArgumentException>(() => trainer.Fit(data, new SeededRandom(1), validation: data));
        var error = Assert.Throws<InvalidOperationException>(() => trainer.Fit(data.CreateSampler(new SeededRandom(1))));
        Assert.StartsWith("ValidationSplit holds out samples before batches are drawn", error.Message);
    }
}
