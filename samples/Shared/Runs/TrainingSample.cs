using SourceNet.Samples.CommandLine;
using SourceNet.Data;
using SourceNet.Training;

namespace SourceNet.Samples.Runs;

/// <summary>
/// What a training sample is: its network and its defaults. Everything else (the command line, data, resume,
/// the training loop, the checkpoint, ONNX export, the report) is the same for every sample and lives in
/// <see cref="SampleProgram"/>, so a new sample is this record and one line:
/// <c>return SampleProgram.Run(args, Console.Out, Console.Error, TrainingConsole.IsTerminal, sample);</c>.
/// </summary>
/// <typeparam name="TNetwork">The generated classifier.</typeparam>
public sealed record TrainingSample<TNetwork> where TNetwork : IClassifier
{
    /// <summary>The network's name, for the report's titles.</summary>
    public string Name => typeof(TNetwork).Name;

    /// <summary>The command's description in <c>--help</c>.</summary>
    public required string Description { get; init; }

    /// <summary>The default of <c>--epochs</c>.</summary>
    public required int Epochs { get; init; }

    /// <summary>The default of <c>--batch-size</c>.</summary>
    public required int BatchSize { get; init; }

    /// <summary>The default of <c>--learning-rate</c>: Adam's (or <see cref="CreateOptimizer"/>'s) learning rate.</summary>
    public float LearningRate { get; init; } = 1e-3f;

    /// <summary>Creates the network: <c>(seed, maxBatchSize) => new MyNetwork(seed, maxBatchSize)</c>.</summary>
    public required Func<int, int, TNetwork> Create { get; init; }

    /// <summary>The generated <c>Summary()</c>, printed before training.</summary>
    public required string Summary { get; init; }

    /// <summary>The generated <c>MermaidGraph</c> for the report; null for none.</summary>
    public string? MermaidGraph { get; init; }

    /// <summary>The optimizer for the run's settings; null: Adam at <c>--learning-rate</c>.</summary>
    public Func<TrainingSettings, Optimizer>? CreateOptimizer { get; init; }

    /// <summary>Sets up the training batches (an augmentation) before any resume restores their state; null: none.</summary>
    public Action<BatchSampler, TrainingSettings>? ConfigureSampler { get; init; }

    /// <summary>What the run adds to the optimizer's description on the "Training on" line (<c>with cosine decay</c>); null: nothing.</summary>
    public string? TrainingNote { get; init; }
}
