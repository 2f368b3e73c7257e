namespace SourceNet.Samples.Mnist;

/// <summary>The sample's settings, read from the command line by <see cref="MnistCommand"/>; the defaults are the tutorial's.</summary>
/// <param name="Epochs">Number of epochs.</param>
/// <param name="BatchSize">Samples per batch.</param>
/// <param name="BatchesPerEpoch">Random batches per epoch.</param>
/// <param name="LearningRate">Adam's learning rate.</param>
/// <param name="Seed">Seed of the initial weights; the batches use <c>Seed + 1</c>.</param>
/// <param name="DataFolder">Folder with the MNIST IDX files.</param>
/// <param name="CheckpointPath">Where to save the trained network, with what a resumed run needs; null for nowhere.</param>
/// <param name="ResumePath">A checkpoint to continue from; null to start afresh.</param>
/// <param name="OnnxPath">Where to export the trained network as ONNX; null for nowhere.</param>
/// <param name="ReportFolder">Where to write the training report; null for no report.</param>
/// <param name="UseTrainer">Train with <see cref="Training.Trainer"/> instead of the tutorial's explicit loop.</param>
internal sealed record TrainingOptions(
    int Epochs, int BatchSize, int BatchesPerEpoch, float LearningRate, int Seed, string DataFolder,
    string? CheckpointPath, string? ResumePath, string? OnnxPath, string? ReportFolder, bool UseTrainer);
