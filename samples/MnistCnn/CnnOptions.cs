namespace SourceNet.Samples.MnistCnn;

/// <summary>The sample's settings, read from the command line by <see cref="CnnCommand"/>.</summary>
/// <param name="Epochs">Number of epochs.</param>
/// <param name="BatchSize">Samples per batch.</param>
/// <param name="BatchesPerEpoch">Random batches per epoch.</param>
/// <param name="LearningRate">Adam's learning rate.</param>
/// <param name="Seed">Seed of the initial weights and the dropout masks; the batches use <c>Seed + 1</c>.</param>
/// <param name="DataFolder">Folder with the MNIST IDX files.</param>
/// <param name="CheckpointPath">Where to save the trained network; null for nowhere.</param>
/// <param name="ReportFolder">Where to write the training report; null for no report.</param>
internal sealed record CnnOptions(
    int Epochs, int BatchSize, int BatchesPerEpoch, float LearningRate, int Seed, string DataFolder,
    string? CheckpointPath, string? ReportFolder);
