using SourceNet.Samples.CommandLine;

namespace SourceNet.Samples.Mnist;

/// <summary>The sample's settings, read from the command line by <see cref="MnistCommand"/>; the defaults are the tutorial's.</summary>
/// <param name="Settings">What every training sample takes: epochs, batches, learning rate, seed, data, save, report.</param>
/// <param name="ResumePath">A checkpoint to continue from; null to start afresh.</param>
/// <param name="OnnxPath">Where to export the trained network as ONNX; null for nowhere.</param>
/// <param name="UseTrainer">Train with <see cref="Training.Trainer"/> instead of the tutorial's explicit loop.</param>
internal sealed record TrainingOptions(TrainingSettings Settings, string? ResumePath, string? OnnxPath, bool UseTrainer)
{
    public int Epochs => Settings.Epochs;

    public int BatchSize => Settings.BatchSize;

    public int BatchesPerEpoch => Settings.BatchesPerEpoch;

    public float LearningRate => Settings.LearningRate;

    public int Seed => Settings.Seed;

    public string DataFolder => Settings.DataFolder;

    public string? CheckpointPath => Settings.CheckpointPath;

    public string? ReportFolder => Settings.ReportFolder;
}
