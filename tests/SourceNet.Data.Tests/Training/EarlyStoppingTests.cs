using SourceNet.Checkpoints;
using SourceNet.Training;

namespace SourceNet.Data.Tests.Training;

/// <summary>Trainer's early stopping: Keras' counting of patience and min delta, the best parameters restored and saved.</summary>
public class EarlyStoppingTests
{
    [Fact]
    public void Stops_after_patience_epochs_without_improvement_and_restores_the_best()
    {
        var net = new ScriptedClassifier(accuracies: [0.5, 0.6, 0.6, 0.59, 0.9, 0.9]);

        TrainingHistory history = net.Fit(6, new EarlyStopping { Metric = ValidationMetric.Accuracy, Patience = 2 });

        Assert.Equal(4, history.Count); // epoch 3 ties (no improvement), epoch 4 is worse: two in a row
        Assert.Equal(2, history.BestEpoch);
        Assert.True(history.StoppedEarly);
        Assert.True(history.RestoredBest);
        Assert.Equal(2f, net.StepsTaken); // the parameters as they were after epoch 2
    }

    [Fact]
    public void An_improvement_must_exceed_min_delta_on_the_loss()
    {
        var net = new ScriptedClassifier(losses: [1.0, 0.95, 0.94, 0.5]);

        TrainingHistory history = net.Fit(4, new EarlyStopping { Metric = ValidationMetric.Loss, MinDelta = 0.1, Patience = 2 });

        Assert.Equal(3, history.Count); // 0.95 and 0.94 are within 0.1 of 1.0
        Assert.Equal(1, history.BestEpoch);
        Assert.Equal(1f, net.StepsTaken);
        Assert.Equal([1.0, 0.95, 0.94], history.Select(r => Math.Round(r.ValidationLoss, 6)));
    }

    [Fact]
    public void Without_min_delta_any_decrease_of_the_loss_improves()
    {
        var net = new ScriptedClassifier(losses: [1.0, 0.95, 0.94, 0.5]);

        TrainingHistory history = net.Fit(4, new EarlyStopping { Metric = ValidationMetric.Loss, Patience = 1 });

        Assert.Equal(4, history.Count);
        Assert.Equal(4, history.BestEpoch);
        Assert.False(history.StoppedEarly);
        Assert.False(history.RestoredBest); // the last epoch is the best: nothing to put back
        Assert.Equal(4f, net.StepsTaken);
    }

    [Fact]
    public void Patience_zero_stops_at_the_first_epoch_without_improvement_as_in_Keras()
    {
        var net = new ScriptedClassifier(accuracies: [0.5, 0.7, 0.6, 0.8]);

        TrainingHistory history = net.Fit(4, new EarlyStopping { Metric = ValidationMetric.Accuracy });

        Assert.Equal(3, history.Count);
        Assert.Equal(2, history.BestEpoch);
        Assert.Equal(2f, net.StepsTaken);
    }

    [Fact]
    public void Without_restoring_the_last_parameters_stay()
    {
        var net = new ScriptedClassifier(accuracies: [0.5, 0.7, 0.6, 0.6]);

        TrainingHistory history = net.Fit(4, new EarlyStopping { Metric = ValidationMetric.Accuracy, Patience = 2, RestoreBestParameters = false });

        Assert.Equal((4, 2, false), (history.Count, history.BestEpoch, history.RestoredBest));
        Assert.Equal(4f, net.StepsTaken);
    }

    [Fact]
    public void A_NaN_metric_never_improves()
    {
        var net = new ScriptedClassifier(losses: [0.9, double.NaN, double.NaN, 0.1]);

        TrainingHistory history = net.Fit(4, new EarlyStopping { Patience = 2 });

        Assert.Equal((3, 1), (history.Count, history.BestEpoch));
        Assert.Equal(1f, net.StepsTaken);
    }

    [Fact]
    public void Early_stopping_needs_validation_data()
    {
        var net = new PointNet(seed: 1, maxBatchSize: 4);
        var trainer = new Trainer(net, new Adam(), new TrainerOptions { BatchSize = 4, EarlyStopping = new EarlyStopping() });
        var data = new LabeledData(new float[8], [0, 1, 0, 1], [2]);

        var error = Assert.Throws<ArgumentException>(() => trainer.Fit(data, new SeededRandom(1)));
        Assert.StartsWith("Early stopping watches a validation metric: give validation data or set ValidationSplit.", error.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new TrainerOptions { EarlyStopping = new EarlyStopping { Patience = -1 } }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new TrainerOptions { EarlyStopping = new EarlyStopping { MinDelta = double.NaN } }.Validate());
    }

    [Fact]
    public void On_a_plateau_a_real_network_stops_and_gets_its_best_epoch_back_and_saved()
    {
        // Two overlapping clouds: the validation loss falls, then flattens; with a min delta of 0.01 it plateaus.
        var random = new SeededRandom(21);
        var features = new float[600 * 2];
        var labels = new int[600];
        for (int i = 0; i < labels.Length; i++)
        {
            labels[i] = i % 2;
            features[2 * i] = random.NextNormal(labels[i] == 1 ? 0.7f : -0.7f, 1f);
            features[2 * i + 1] = random.NextNormal(0f, 1f);
        }
        var data = new LabeledData(features, labels, [2]);
        using var folder = new TempFolder();
        string checkpoint = Path.Combine(folder.Path, "best.sncp");
        var options = new TrainerOptions
        {
            Epochs = 100,
            BatchSize = 20,
            Sampling = BatchSampling.ShuffledEpochs,
            ValidationSplit = 0.3,
            ValidationSeed = 4,
            EarlyStopping = new EarlyStopping { Metric = ValidationMetric.Loss, MinDelta = 0.01, Patience = 3, CheckpointPath = checkpoint },
        };
        var model = new PointNet(seed: 1, maxBatchSize: 20);

        TrainingHistory history = new Trainer(model, new Adam(1e-2f), options).Fit(data, new SeededRandom(2));

        Assert.True(history.StoppedEarly, $"Ran all {history.Count} epochs.");
        Assert.Equal(history.BestEpoch + 3, history.Count);
        Assert.True(history.RestoredBest);
        (_, LabeledData validation) = data.Split(0.3, 4);
        // The restored parameters give the best epoch's validation loss, bit for bit, not the last epoch's.
        Assert.Equal(history[history.BestEpoch - 1].ValidationLoss, model.ComputeLoss(validation.Features, validation.Labels));
        Assert.NotEqual(history[^1].ValidationLoss, model.ComputeLoss(validation.Features, validation.Labels));
        double best = history[history.BestEpoch - 1].ValidationLoss;
        Assert.All(history, r => Assert.True(r.ValidationLoss >= best - 0.01, $"Epoch {r.Epoch}'s loss {r.ValidationLoss} beat the best, {best}, by more than MinDelta."));

        var reloaded = new PointNet(seed: 99, maxBatchSize: 20);
        CheckpointMetadata metadata = Checkpoint.Load(checkpoint, reloaded);
        Assert.Equal(history.BestEpoch, metadata.GetInt64("epoch"));
        Assert.Equal("val_loss", metadata.GetString("metric"));
        Assert.Equal(model.Parameters.SelectMany(p => p.Value), reloaded.Parameters.SelectMany(p => p.Value));
    }
}
