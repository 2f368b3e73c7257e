using SourceNet.Checkpoints;
using SourceNet.Data;
using SourceNet.Onnx;
using SourceNet.Samples.CommandLine;
using SourceNet.Samples.Reports;
using SourceNet.Training;

namespace SourceNet.Samples.Runs;

/// <summary>
/// Writes what a finished run was asked to write, most precious first: the checkpoint (the trained model,
/// which nothing else can give back), then the ONNX model, then the report. A failure is one line on the
/// error writer and does not stop the others.
/// </summary>
public static class RunOutputs
{
    /// <summary>Writes the checkpoint, the ONNX model and the report that <paramref name="settings"/> ask for.</summary>
    /// <returns>Whether every write succeeded.</returns>
    public static bool Write<TNetwork>(TrainingSample<TNetwork> sample, TrainingSettings settings, TNetwork model, Optimizer optimizer,
        BatchSampler sampler, int epochReached, IReadOnlyList<EpochResult> results, TextWriter output, TextWriter error)
        where TNetwork : IClassifier
    {
        ArgumentNullException.ThrowIfNull(sample);
        ArgumentNullException.ThrowIfNull(settings);
        bool ok = true;
        if (settings.CheckpointPath is { } checkpoint)
        {
            // With Adam's moments, the sampler, the epoch reached and the batch settings, --resume continues bit for bit.
            ok &= TryWrite(output, error, "the checkpoint", checkpoint, $"Saved the trained network to {checkpoint}.",
                () => Checkpoint.Save(checkpoint, model, optimizer, ResumePoint.Metadata(epochReached, sampler, settings)));
        }
        if (settings.OnnxPath is { } onnx)
        {
            ok &= TryWrite(output, error, "the ONNX model", onnx, $"Exported the trained network to {onnx} (ONNX).",
                () => OnnxExporter.Export(onnx, model));
        }
        if (settings.ReportFolder is { } report)
        {
            ok &= TryWrite(output, error, "the training report", report, $"Wrote the training report to {report}.",
                () => TrainingReport.Write(report, sample.Name, results, model, sample.MermaidGraph));
        }
        return ok;
    }

    private static bool TryWrite(TextWriter output, TextWriter error, string what, string path, string done, Action write)
    {
        try
        {
            write();
            output.WriteLine(done);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or NotSupportedException or ArgumentException)
        {
            error.WriteLine($"Could not write {what} to '{path}': {ResumePoint.OneLine(e.Message)}");
            return false;
        }
    }
}
