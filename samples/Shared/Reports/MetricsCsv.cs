using System.Globalization;
using SourceNet.Training;

namespace SourceNet.Samples.Reports;

/// <summary>Per-epoch metrics as CSV: <c>epoch,mean_loss,test_accuracy,epoch_time_s,steps_per_s</c>, invariant culture, full precision.</summary>
public static class MetricsCsv
{
    /// <summary>The header line.</summary>
    public const string Header = "epoch,mean_loss,test_accuracy,epoch_time_s,steps_per_s";

    /// <summary>Writes <paramref name="results"/> to <paramref name="path"/>.</summary>
    public static void Write(string path, IReadOnlyList<EpochResult> results)
    {
        using var writer = new StreamWriter(path) { NewLine = "\n" };
        writer.WriteLine(Header);
        foreach (EpochResult r in results)
        {
            writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{r.Epoch},{r.MeanLoss:R},{r.TestAccuracy:R},{r.TrainingTime.TotalSeconds:R},{r.StepsPerSecond:R}"));
        }
    }
}
