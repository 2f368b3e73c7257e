using System.CommandLine;
using System.Globalization;
using SourceNet.Data;
using SourceNet.Samples.CommandLine;
using SourceNet.Samples.Terminal;
using SourceNet.Training;

namespace SourceNet.Samples.Runs;

/// <summary>
/// A training sample's whole program, the same for every sample: parse the command line, check every path
/// the run will write, create the network, load MNIST, resume if asked, train with one line per epoch, then
/// write the checkpoint, the ONNX model and the report. Nothing is lost to a bad flag, path or file: each is
/// one line, before training where it can be known then.
/// </summary>
/// <remarks>Exit codes: 0 done; 1 the data, the checkpoint to resume from, the training or a write failed;
/// 2 the command line cannot be run (a bad value, a path that cannot be written, a batch too large).</remarks>
public static class SampleProgram
{
    /// <summary>Runs <paramref name="sample"/> with <paramref name="args"/>.</summary>
    /// <param name="args">The command line.</param>
    /// <param name="output">Normal output: the summary, the epoch lines, what was written.</param>
    /// <param name="error">Errors and usage.</param>
    /// <param name="interactive">Show a progress bar (a terminal); false prints the epoch lines only.</param>
    /// <param name="sample">The network and its defaults.</param>
    /// <returns>The exit code.</returns>
    public static int Run<TNetwork>(string[] args, TextWriter output, TextWriter error, bool interactive, TrainingSample<TNetwork> sample)
        where TNetwork : IClassifier
    {
        ArgumentNullException.ThrowIfNull(sample);
        var options = new TrainingCommandOptions(sample.Epochs, sample.BatchSize, sample.LearningRate);
        RootCommand command = options.CreateCommand(sample.Description);
        string version = SampleCommandLine.VersionLine(typeof(TNetwork).Assembly);
        return SampleCommandLine.Run(command, args, output, error, version,
            result => Train(sample, command, options.Read(result), output, error, interactive));
    }

    private static int Train<TNetwork>(TrainingSample<TNetwork> sample, RootCommand command, TrainingSettings settings,
        TextWriter output, TextWriter error, bool interactive)
        where TNetwork : IClassifier
    {
        if (CheckCommandLine(settings) is { } refusal)
        {
            return SampleCommandLine.Refuse(command, error, refusal);
        }
        if (TryCreate(sample, settings, out TNetwork? model) is { } tooLarge)
        {
            return SampleCommandLine.Refuse(command, error, tooLarge);
        }
        if (SampleData.TryLoad(settings.DataFolder, error) is not { } data)
        {
            return 1;
        }

        Optimizer optimizer = sample.CreateOptimizer?.Invoke(settings) ?? new Adam(learningRate: settings.LearningRate);
        var sampler = new BatchSampler(data.TrainPixels, data.TrainLabels, MnistDataset.ImageSize, new SeededRandom(settings.Seed + 1));
        sample.ConfigureSampler?.Invoke(sampler, settings);
        int firstEpoch = 1;
        if (settings.ResumePath is { } resume)
        {
            if (ResumePoint.TryLoad(resume, model!, optimizer, sampler, settings, error) is not int next)
            {
                return 1;
            }
            firstEpoch = next;
        }

        output.WriteLine(sample.Summary);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Training on {data.TrainCount:N0} images, testing on {data.TestCount:N0}; {settings.Epochs} epochs of {settings.BatchesPerEpoch} batches of {settings.BatchSize}, Adam lr={settings.LearningRate}{(sample.TrainingNote is null ? "" : " " + sample.TrainingNote)}, seed {settings.Seed}."));
        if (firstEpoch > 1)
        {
            output.WriteLine($"Resuming from {settings.ResumePath} at epoch {firstEpoch}.");
        }
        output.WriteLine();

        TrainingConsole console = TrainingConsole.Create(output, interactive);
        IReadOnlyList<EpochResult> results;
        try
        {
            results = console.Run(() => settings.UseTrainer
                ? TrainingLoop.WithTrainer(settings, model!, optimizer, sampler, data, console)
                : TrainingLoop.ByHand(settings, firstEpoch, model!, optimizer, sampler, data, console));
        }
        catch (InvalidOperationException e)
        {
            // A diverging loss: the step that found it changed nothing, but the epoch is unfinished, so nothing is saved.
            error.WriteLine($"Training stopped: {ResumePoint.OneLine(e.Message)}");
            return 1;
        }
        catch (OutOfMemoryException)
        {
            // The batch buffers of a batch size the network accepted but the memory does not hold.
            error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Training stopped: batches of {settings.BatchSize} do not fit in the memory available; give a smaller --batch-size."));
            return 1;
        }

        output.WriteLine();
        output.WriteLine("Training complete!");
        return RunOutputs.Write(sample, settings, model!, optimizer, sampler, settings.Epochs, results, output, error) ? 0 : 1;
    }

    /// <summary>What the parser cannot see: paths that cannot be written, and combinations that cannot work.</summary>
    private static string? CheckCommandLine(TrainingSettings settings)
    {
        if (settings.ResumePath is not null && settings.UseTrainer)
            return "--resume continues the explicit training loop; it cannot be combined with --trainer.";
        return (settings.CheckpointPath is { } save ? OutputPaths.CheckFile("--save", save) : null)
            ?? (settings.OnnxPath is { } onnx ? OutputPaths.CheckFile("--export-onnx", onnx) : null)
            ?? (settings.ReportFolder is { } report ? OutputPaths.CheckFolder("--report", report) : null);
    }

    /// <summary>Creates the network for the batch size; a batch its buffers cannot hold is a command-line error naming the limit.</summary>
    private static string? TryCreate<TNetwork>(TrainingSample<TNetwork> sample, TrainingSettings settings, out TNetwork? model)
        where TNetwork : IClassifier
    {
        model = default;
        try
        {
            model = sample.Create(settings.Seed, settings.BatchSize);
            return null;
        }
        catch (ArgumentException e)
        {
            // The generated constructor states the largest batch its buffers allow.
            string reason = ResumePoint.OneLine(e.Message).Replace($" (Parameter '{e.ParamName}')", "", StringComparison.Ordinal);
            return $"Option --batch-size {settings.BatchSize.ToString(CultureInfo.InvariantCulture)} is too large for {sample.Name}: {reason}";
        }
        catch (OutOfMemoryException)
        {
            return $"Option --batch-size {settings.BatchSize.ToString(CultureInfo.InvariantCulture)} is too large for {sample.Name}: its buffers do not fit in the memory available.";
        }
    }
}
