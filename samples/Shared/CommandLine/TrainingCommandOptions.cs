using System.CommandLine;

namespace SourceNet.Samples.CommandLine;

/// <summary>What one training run of a sample is told, whatever the network.</summary>
/// <param name="Epochs">Number of epochs (with <paramref name="ResumePath"/>, the total, counting those already done).</param>
/// <param name="BatchSize">Samples per batch.</param>
/// <param name="BatchesPerEpoch">Random batches per epoch.</param>
/// <param name="LearningRate">Adam's learning rate.</param>
/// <param name="Seed">Seed of the initial weights; the batches use <c>Seed + 1</c>.</param>
/// <param name="DataFolder">Folder with the MNIST IDX files.</param>
/// <param name="CheckpointPath">Where to save the trained network; null for nowhere.</param>
/// <param name="ReportFolder">Where to write the training report; null for no report.</param>
/// <param name="ResumePath">A checkpoint to continue from; null to start afresh.</param>
/// <param name="OnnxPath">Where to export the trained network as ONNX; null for nowhere.</param>
/// <param name="UseTrainer">Train with <see cref="Training.Trainer"/> instead of the explicit loop.</param>
public sealed record TrainingSettings(
    int Epochs, int BatchSize, int BatchesPerEpoch, float LearningRate, int Seed, string DataFolder,
    string? CheckpointPath, string? ReportFolder, string? ResumePath = null, string? OnnxPath = null, bool UseTrainer = false);

/// <summary>
/// The options every training sample takes (epochs, batch size, batches, learning rate, seed, data, save,
/// resume, export-onnx, report, trainer), declared once with each sample's defaults, so every sample offers
/// the same flags with the same meaning.
/// </summary>
public sealed class TrainingCommandOptions
{
    private readonly Option<int> _epochs;
    private readonly Option<int> _batchSize;
    private readonly Option<int?> _batches;
    private readonly Option<float> _learningRate;
    private readonly Option<int> _seed = new("--seed") { Description = "Seed of the initial weights (and dropout masks) and of the batches", HelpName = "N", DefaultValueFactory = _ => 1 };
    private readonly Option<string?> _data = new("--data") { Description = "Folder with the MNIST IDX files, raw or .gz [default: the repo's data/mnist]", HelpName = "DIR" };
    private readonly Option<string?> _save = new("--save") { Description = "Write a checkpoint of the trained network, Adam's state, the batch sampler and the epoch reached to FILE (written first, whatever else fails)", HelpName = "FILE" };
    private readonly Option<string?> _resume = new("--resume") { Description = "Continue from a checkpoint written by --save, bit for bit (--epochs counts the total; --batch-size and --batches must be the saved ones)", HelpName = "FILE" };
    private readonly Option<string?> _exportOnnx = new("--export-onnx") { Description = "Write the trained network as an ONNX model (opset 17) to FILE", HelpName = "FILE" };
    private readonly Option<string?> _report = new("--report") { Description = "Write metrics.csv, curves.png and the network's picture into DIR", HelpName = "DIR" };
    private readonly Option<bool> _trainer = new("--trainer") { Description = "Train with SourceNet.Training.Trainer instead of the explicit loop (same batches, same results)" };

    /// <summary>The options, with a sample's default epochs, batch size and learning rate (batches per epoch default to 60000 / batch size).</summary>
    public TrainingCommandOptions(int epochs, int batchSize, float learningRate = 1e-3f)
    {
        _epochs = SampleOptions.PositiveInt("--epochs", "Number of epochs", epochs);
        _batchSize = SampleOptions.PositiveInt("--batch-size", "Samples per batch", batchSize);
        _batches = SampleOptions.OptionalPositiveInt("--batches", $"Random batches per epoch [default: 60000 / batch size = {60000 / batchSize}]");
        _learningRate = SampleOptions.PositiveFloat("--learning-rate", "Adam's learning rate", learningRate);
    }

    /// <summary>The options in the order of the help text.</summary>
    public IEnumerable<Option> All => new Option[] { _epochs, _batchSize, _batches, _learningRate, _seed, _data, _save, _resume, _exportOnnx, _report, _trainer };

    /// <summary>A root command with <see cref="All"/> options.</summary>
    public RootCommand CreateCommand(string description)
    {
        var command = new RootCommand(description);
        foreach (Option option in All)
        {
            command.Options.Add(option);
        }
        return command;
    }

    /// <summary>The settings of a parse without errors.</summary>
    public TrainingSettings Read(ParseResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        int batchSize = result.GetValue(_batchSize);
        return new TrainingSettings(
            Epochs: result.GetValue(_epochs),
            BatchSize: batchSize,
            BatchesPerEpoch: result.GetValue(_batches) ?? Math.Max(1, 60000 / batchSize),
            LearningRate: result.GetValue(_learningRate),
            Seed: result.GetValue(_seed),
            DataFolder: result.GetValue(_data) ?? DataFolders.FindDefault(),
            CheckpointPath: result.GetValue(_save),
            ReportFolder: result.GetValue(_report),
            ResumePath: result.GetValue(_resume),
            OnnxPath: result.GetValue(_exportOnnx),
            UseTrainer: result.GetValue(_trainer));
    }
}
