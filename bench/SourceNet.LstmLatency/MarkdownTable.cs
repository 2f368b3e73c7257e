using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace SourceNet.Bench.LstmLatency;

/// <summary>
/// The report's table: one row per setting, over its rounds: the median of the rounds' medians with their range, the
/// rounds' median p10 and p90, GFLOP/s of the LSTM's and the dense layer's products at the median (and as a fraction
/// of the FMA peak for that many threads, measured in the same run), the most managed bytes a call allocated, the
/// 10,000-image batch time, and SourceNet's median over ONNX Runtime's at the same thread count.
/// </summary>
internal static class MarkdownTable
{
    // Products of one sequence: the input projection [28, 28] x [28, 512], 28 recurrent [1, 128] x [128, 512], the dense [1, 128] x [128, 10].
    public const double FlopsPerSequence = 2.0 * (28 * 28 * 512 + 28 * 128 * 512 + 128 * 10);

    public static string Write(IReadOnlyList<Measurement> measurements, FmaPeak peak)
    {
        var text = new StringBuilder();
        text.AppendLine("| System | Call, threads | Median µs (rounds' range) | p10 µs | p90 µs | GFLOP/s (% of FMA peak) | Managed B/call | 10,000 images, ms (range) | SourceNet / ORT, same threads |");
        text.AppendLine("|---|---|---|---|---|---|---|---|---|");
        foreach (IGrouping<string, Measurement> setting in measurements.GroupBy(m => m.System + "|" + m.Setting))
        {
            Measurement first = setting.First();
            double median = Median(setting.Select(m => m.Latency.MedianUs));
            double gflops = FlopsPerSequence / (median * 1e3);
            int probeThreads = first.Threads > 0 ? first.Threads : Math.Min(Environment.ProcessorCount, 2);
            double[] batch = setting.Where(m => m.BatchMs.HasValue).Select(m => m.BatchMs!.Value).ToArray();
            text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {first.System} | {first.Setting} | {Measurement.Us(median)} ({Range(setting.Select(m => m.Latency.MedianUs))}) " +
                $"| {Measurement.Us(Median(setting.Select(m => m.Latency.P10Us)))} | {Measurement.Us(Median(setting.Select(m => m.Latency.P90Us)))} " +
                $"| {gflops:F1} ({100 * gflops / peak.GflopsFor(probeThreads):F0}%) | {setting.Max(m => m.Latency.AllocatedBytesPerCall):F0} " +
                $"| {(batch.Length == 0 ? "" : $"{Median(batch):F0} ({Range(batch, "F0")})")} | {Ratio(first, median, measurements)} |"));
        }
        return text.ToString();
    }

    // SourceNet's median over the ONNX Runtime setting with the same explicit thread count.
    private static string Ratio(Measurement row, double median, IReadOnlyList<Measurement> all)
    {
        if (row.System != "SourceNet")
        {
            return "";
        }
        double[] peer = all.Where(m => m.System != "SourceNet" && m.Threads == row.Threads).Select(m => m.Latency.MedianUs).ToArray();
        return peer.Length == 0 ? "" : (median / Median(peer)).ToString("F2", CultureInfo.InvariantCulture);
    }

    private static string Range(IEnumerable<double> values, string format = "")
    {
        double[] v = values.ToArray();
        return format.Length == 0 ? $"{Measurement.Us(v.Min())}–{Measurement.Us(v.Max())}"
            : string.Create(CultureInfo.InvariantCulture, $"{v.Min().ToString(format, CultureInfo.InvariantCulture)}–{v.Max().ToString(format, CultureInfo.InvariantCulture)}");
    }

    public static double Median(IEnumerable<double> values)
    {
        double[] sorted = values.Order().ToArray();
        int n = sorted.Length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
