using System.CommandLine;
using System.Globalization;
using SourceNet.Checkpoints;
using SourceNet.Data;
using SourceNet.Samples.CommandLine;
using SourceNet.Samples.Reports;
using SourceNet.Samples.Terminal;
using SourceNet.Training;

namespace SourceNet.Samples.Mnist;

/// <summary>The sample: parse the command line, load MNIST, train, print one line per epoch, optionally report and save.</summary>
public static class MnistApp
{
    /// <summary>Runs the sample with <paramref name="args"/>, writing to <paramref name="output"/> and <paramref name="error"/>.</summary>
    /// <param name="args">The command line.</param>
    /// <param name="output">Normal output: the summary and the epoch lines.</param>
    /// <param name="error">Errors and usage.</param>
    /// <param name="interactive">Show a progress bar (a terminal); false prints the epoch lines only.</param>
    /// <returns>The exit code: 0, 1 if the data cannot be loaded, 2 for a bad command line.</returns>
    public static int Run(string[] args, TextWriter output, TextWriter error, bool interactive) =>
        SampleCommandLine.Run(MnistCommand.Create(), args, output, error,
            result => Train(MnistCommand.Read(result), output, error, interactive));

    private static int Train(TrainingOptions options, TextWriter output, TextWriter error, bool interactive)
    {
        if (SampleData.TryLoad(options.DataFolder, error) is not { } data)
        {
            return 1;
        }

        var model = new MnistMlp(seed: options.Seed, maxBatchSize: options.BatchSize);
        var optimizer = new Adam(learningRate: options.LearningRate);
        var sampler = new BatchSampler(data.TrainPixels, data.TrainLabels, MnistDataset.ImageSize, new SeededRandom(options.Seed + 1));
        int firstEpoch = 1;
        if (options.ResumePath is not null)
        {
            if (options.UseTrainer)
            {
                error.WriteLine("--resume continues the tutorial's loop; it cannot be combined with --trainer.");
                return 2;
            }
            try
            {
                // Loads everything or nothing: a checkpoint of another network is refused before any value changes.
                CheckpointMetadata saved = Checkpoint.Load(options.ResumePath, model, optimizer);
                sampler.RestoreState(saved.GetBytes(SamplerKey));
                firstEpoch = checked((int)saved.GetInt64(EpochKey)) + 1;
            }
            catch (Exception e) when (e is FileFormatException or FileNotFoundException or DirectoryNotFoundException or KeyNotFoundException or InvalidOperationException)
            {
                error.WriteLine($"Cannot resume from '{options.ResumePath}': {e.Message}");
                return 1;
            }
        }

        output.WriteLine(MnistMlp.Summary());
        output.WriteLine($"Training on {data.TrainCount:N0} images, testing on {data.TestCount:N0}; {options.Epochs} epochs of {options.BatchesPerEpoch} batches of {options.BatchSize}, Adam lr={options.LearningRate.ToString(CultureInfo.InvariantCulture)}, seed {options.Seed}.");
        output.WriteLine();

        TrainingConsole console = TrainingConsole.Create(output, interactive);
        IReadOnlyList<EpochResult> results = console.Run(() => options.UseTrainer
            ? TrainWithTrainer(options, model, optimizer, sampler, data, console)
            : TrainByHand(options, firstEpoch, model, optimizer, sampler, data, console));

        output.WriteLine();
        output.WriteLine("Training complete!");

        if (options.ReportFolder is not null)
        {
            TrainingReport.Write(options.ReportFolder, nameof(MnistMlp), results, model, MnistMlp.MermaidGraph);
            output.WriteLine($"Wrote the training report to {options.ReportFolder}.");
        }
        if (options.CheckpointPath is not null)
        {
            // With Adam's moments, the sampler and the epoch reached, --resume continues bit for bit.
            Checkpoint.Save(options.CheckpointPath, model, optimizer, new CheckpointMetadata
            {
                { EpochKey, Math.Max(firstEpoch - 1, options.Epochs) },
                { SamplerKey, sampler.GetState() },
            });
            output.WriteLine($"Saved the trained network to {options.CheckpointPath}.");
        }
        if (options.OnnxPath is not null)
        {
            SourceNet.Onnx.OnnxExporter.Export(model, options.OnnxPath);
            output.WriteLine($"Exported the trained network to {options.OnnxPath} (ONNX).");
        }
        return 0;
    }

    /// <summary>
    /// The TensorFlow 2 tutorial's loop, written out: random batches drawn with replacement, one training
    /// step each, then the test-set accuracy after each epoch. The monitor only keeps the books (loss,
    /// time, throttled progress) and allocates nothing per step.
    /// </summary>
    private const string EpochKey = "epoch";
    private const string SamplerKey = "sampler";

    private static List<EpochResult> TrainByHand(TrainingOptions options, int firstEpoch, MnistMlp model, Optimizer optimizer, BatchSampler sampler, MnistDataset data, TrainingConsole console)
    {
        float[] batchImages = new float[options.BatchSize * MnistDataset.ImageSize];
        int[] batchLabels = new int[options.BatchSize];
        var monitor = new TrainingMonitor(options.Epochs, console);
        var results = new List<EpochResult>(options.Epochs);
        for (int epoch = firstEpoch; epoch <= options.Epochs; epoch++)
        {
            monitor.BeginEpoch(epoch, options.BatchesPerEpoch);
            for (int step = 0; step < options.BatchesPerEpoch; step++)
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

    /// <summary>The same training through <see cref="Trainer"/>: same batches, same steps, same results for the same seed.</summary>
    private static IReadOnlyList<EpochResult> TrainWithTrainer(TrainingOptions options, MnistMlp model, Optimizer optimizer, BatchSampler sampler, MnistDataset data, TrainingConsole console)
    {
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
        return trainer.Fit(sampler, data.TestImages, data.TestLabels);
    }
}
