using System.CommandLine;
using System.Globalization;
using SourceNet.Checkpoints;
using SourceNet.Data;
using SourceNet.Samples.CommandLine;
using SourceNet.Samples.Reports;
using SourceNet.Samples.Terminal;
using SourceNet.Training;

namespace SourceNet.Samples.MnistResNet;

/// <summary>The sample: parse the command line, load MNIST, train the residual network with the runtime's <see cref="Trainer"/>, print one line per epoch.</summary>
public static class MnistResNetApp
{
    /// <summary>Runs the sample with <paramref name="args"/>, writing to <paramref name="output"/> and <paramref name="error"/>.</summary>
    /// <returns>The exit code: 0, 1 if the data cannot be loaded, 2 for a bad command line.</returns>
    public static int Run(string[] args, TextWriter output, TextWriter error, bool interactive) =>
        SampleCommandLine.Run(ResNetCommand.Create(), args, output, error,
            result => Train(ResNetCommand.Read(result), ResNetCommand.MaxShift(result), output, error, interactive));

    private static int Train(TrainingSettings options, int maxShift, TextWriter output, TextWriter error, bool interactive)
    {
        if (SampleData.TryLoad(options.DataFolder, error) is not { } data)
        {
            return 1;
        }

        var model = new MnistResNet(seed: options.Seed, maxBatchSize: options.BatchSize);
        // The learning rate rises over the first 300 steps, then follows a cosine down to 0 at the last step: the late,
        // small steps settle the weights and the running statistics of the batch normalisations.
        var optimizer = new Adam(learningRate: options.LearningRate)
        {
            Schedule = new CosineSchedule(warmupSteps: 300, totalSteps: options.Epochs * options.BatchesPerEpoch),
        };
        var sampler = new BatchSampler(data.TrainPixels, data.TrainLabels, MnistDataset.ImageSize, new SeededRandom(options.Seed + 1));
        if (maxShift > 0)
        {
            // Shifted copies of the training digits: the shifts have a generator of their own (seed + 2).
            sampler.Augmentation = new RandomShift(28, 28, 1, maxShift, new SeededRandom(options.Seed + 2));
        }

        output.WriteLine(MnistResNet.Summary());
        output.WriteLine($"Training on {data.TrainCount:N0} images, testing on {data.TestCount:N0}; {options.Epochs} epochs of {options.BatchesPerEpoch} batches of {options.BatchSize}, Adam lr={options.LearningRate.ToString(CultureInfo.InvariantCulture)} with warm-up and cosine decay, seed {options.Seed}, random shifts up to {maxShift} px.");
        output.WriteLine();

        TrainingConsole console = TrainingConsole.Create(output, interactive);
        var trainer = new Trainer(model, optimizer, new TrainerOptions
        {
            Epochs = options.Epochs,
            BatchSize = options.BatchSize,
            BatchesPerEpoch = options.BatchesPerEpoch,
            Sampling = BatchSampling.RandomWithReplacement,
        })
        {
            Progress = console,
            EpochCompleted = console,
        };
        IReadOnlyList<EpochResult> results = console.Run(() => trainer.Fit(sampler, data.TestImages, data.TestLabels));

        output.WriteLine();
        output.WriteLine("Training complete!");

        if (options.ReportFolder is not null)
        {
            TrainingReport.Write(options.ReportFolder, nameof(MnistResNet), results, model, MnistResNet.MermaidGraph);
            output.WriteLine($"Wrote the training report to {options.ReportFolder}.");
        }
        if (options.CheckpointPath is not null)
        {
            Checkpoint.Save(options.CheckpointPath, model);
            output.WriteLine($"Saved the trained network to {options.CheckpointPath}.");
        }
        return 0;
    }
}
