using System.Collections.Generic;
using System.IO;
using System.Globalization;
using System.Text.Json;

namespace SourceNet.Bench.LstmLatency;

/// <summary>One setting timed in one round, with the load average (1, 5, 15 minutes) before and after.</summary>
internal sealed record Measurement(string System, string Setting, int Threads, int Round, Latency Latency, double? BatchMs, string LoadBefore, string LoadAfter)
{
    public string ToJson() => JsonSerializer.Serialize(new Dictionary<string, object?>
    {
        ["system"] = System,
        ["setting"] = Setting,
        ["threads"] = Threads,
        ["round"] = Round,
        ["median_us"] = Latency.MedianUs,
        ["p10_us"] = Latency.P10Us,
        ["p90_us"] = Latency.P90Us,
        ["alloc_bytes_per_call"] = Latency.AllocatedBytesPerCall,
        ["batch_10000_ms"] = BatchMs,
        ["load_before"] = LoadBefore,
        ["load_after"] = LoadAfter,
    });

    /// <summary>The first three fields of /proc/loadavg ("?" where there is none).</summary>
    public static string LoadAverage()
    {
        try
        {
            string[] fields = File.ReadAllText("/proc/loadavg").Split(' ');
            return string.Join(' ', fields[0], fields[1], fields[2]);
        }
        catch (IOException)
        {
            return "?";
        }
    }

    public static string Us(double value) => value.ToString(value < 100 ? "F1" : "F0", CultureInfo.InvariantCulture);
}
