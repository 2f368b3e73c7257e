using SourceNet.Data;
using SourceNet.Samples.CommandLine;
using SourceNet.Samples.Terminal;
using SourceNet.Training;

namespace SourceNet.Samples.Runs;

/// <summary>
/// The TensorFlow 2 tutorial's loop, written out: random batches drawn with replacement, one training step
/// each, then the test-set accuracy after each epoch. The monitor only keeps the books (loss, time,
/// throttled progress) and allocates nothing per step. <see cref="WithTrainer"/> is the same training
/// through <see cref="Trainer"/>: same batches, same steps, same results for the same seed.
/// </summary>
public static class TrainingLoop
{
    /// <summary>Trains epochs <paramref name="firstEpoch"/> to <see cref="TrainingSettings.Epochs"/>.</summary>
    public static List<EpochResult> ByHand(TrainingSettings settings, int firstEpoch, IClassifier model, Optimizer optimizer,
        BatchSampler sampler, MnistDataset data, TrainingConsole console)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(sampler);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(console);
        float[] batchImages = new float[settings.BatchSize * model.InputSize];
        int[] batchLabels = new int[settings.BatchSize];
        var monitor = new TrainingMonitor(settings.Epochs, console);
        var results = new List<EpochResult>(settings.Epochs - firstEpoch + 1);
        for (int epoch = firstEpoch; epoch <= settings.Epochs; epoch++)
        {
            monitor.BeginEpoch(epoch, settings.BatchesPerEpoch);
            for (int step = 0; step < settings.BatchesPerEpoch; step++)
            {
                sampler.NextRandomBatch(batchImages, batchLabels);
                monitor.Step(model.TrainStep(batchImages, batchLabels, optimizer));
            }
            // The epoch's time ends at its last step: the test pass below is not counted.
            float accuracy = model.Evaluate(data.TestImages, data.TestLabels);
            EpochResult result = monitor.EndEpoch(accuracy);
            results.Add(result);
            console.Report(result);
        }
        return results;
    }

    /// <summary>All epochs through <see cref="Trainer"/>.</summary>
    public static IReadOnlyList<EpochResult> WithTrainer(TrainingSettings settings, IClassifier model, Optimizer optimizer,
        BatchSampler sampler, MnistDataset data, TrainingConsole console)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(data);
        var trainer = new Trainer(model, optimizer, new TrainerOptions
        {
            Epochs = settings.Epochs,
            BatchSize = settings.BatchSize,
            BatchesPerEpoch = settings.BatchesPerEpoch,
            Sampling = BatchSampling.RandomWithReplacement,
        })
        {
            Progress = console,
            EpochCompleted = console,
        };
        return trainer.Fit(sampler, data.TestImages, data.TestLabels);
    }
}
