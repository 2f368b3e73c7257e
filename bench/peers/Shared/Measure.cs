// Statistics and the peak-memory probe every benchmark process of bench/compare.sh reports with,
// SourceNet's included: one definition, so every row of the table is measured the same way.
using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;

namespace SourceNet.Bench.Peers;

/// <summary>Statistics and process probes for the RESULT line.</summary>
internal static class Measure
{
    public static double Median(IEnumerable<double> values)
    {
        var sorted = new List<double>(values);
        sorted.Sort();
        int n = sorted.Count;
        return n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
    }

    public static double Min(IEnumerable<double> values)
    {
        double min = double.PositiveInfinity;
        foreach (double value in values)
        {
            min = Math.Min(min, value);
        }
        return min;
    }

    public static double Max(IEnumerable<double> values)
    {
        double max = double.NegativeInfinity;
        foreach (double value in values)
        {
            max = Math.Max(max, value);
        }
        return max;
    }

    /// <summary>Peak resident set, MiB: VmHWM, the figure /usr/bin/time -v reports as maximum resident set size.</summary>
    public static double PeakRssMiB()
    {
        foreach (string line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                string[] parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                return double.Parse(parts[1], CultureInfo.InvariantCulture) / 1024.0;
            }
        }
        return double.NaN;
    }
}
