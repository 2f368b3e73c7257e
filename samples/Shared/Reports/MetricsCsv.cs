using System.Globalization;
using SourceNet.Training;

namespace SourceNet.Samples.Reports;

/// <summary>Per-epoch metrics as CSV: <c>epoch,mean_loss,test_accuracy,epoch_time_s,steps_per_s</c>, invariant culture, each value in the shortest text that reads back exactly (<see cref="Number"/>).</summary>
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
                $"{r.Epoch},{Number(r.MeanLoss)},{Number(r.TestAccuracy)},{Number(r.TrainingTime.TotalSeconds)},{Number(r.StepsPerSecond)}"));
        }
    }

    /// <summary>
    /// The shortest text that reads back as the same value: a value that is exactly a float (an accuracy the
    /// network computed as a float) is written as that float, 0.9487, not as its double expansion 0.9487000107765198.
    /// </summary>
    public static string Number(double value) =>
        (double)(float)value == value
            ? ((float)value).ToString("R", CultureInfo.InvariantCulture)
            : value.ToString("R", CultureInfo.InvariantCulture);
}
