using System.Reflection;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using SourceNet.Bench;

namespace SourceNet.Benchmarks;

/// <summary>GFLOP/s from the mean time and the method's <see cref="FlopsAttribute"/>; with a measured peak, the
/// fraction of that peak at the case's thread count instead.</summary>
public sealed class GflopsColumn : IColumn
{
    private readonly FmaPeak? _peak;

    /// <summary>The GFLOP/s column.</summary>
    public GflopsColumn() { }

    /// <summary>The "of peak" column: GFLOP/s over <paramref name="peak"/> at the case's <c>Threads</c>.</summary>
    public GflopsColumn(FmaPeak peak) => _peak = peak;

    public string Id => nameof(GflopsColumn) + (_peak is null ? "" : "OfPeak");
    public string ColumnName => _peak is null ? "GFLOP/s" : "of peak";
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => _peak is null ? 0 : 1;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => "Useful floating-point operations per second (2 per multiply-add), from the mean";

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    public bool IsAvailable(Summary summary) => true;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) =>
        GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        double? flops = benchmarkCase.Descriptor.WorkloadMethod.GetCustomAttribute<FlopsAttribute>()?.Flops
            ?? FlopsFromParameters(benchmarkCase);
        double? meanNs = summary[benchmarkCase]?.ResultStatistics?.Mean;
        if (flops is null || meanNs is not > 0)
            return "-";
        double gflops = flops.Value / meanNs.Value;
        if (_peak is null)
            return gflops.ToString("F1", System.Globalization.CultureInfo.InvariantCulture);
        int threads = benchmarkCase.Parameters["Threads"] is int t ? t : 1;
        return (gflops / _peak.GflopsFor(threads)).ToString("P0", System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>For benchmarks whose work depends on their parameters: a public static
    /// <c>double FlopsPerCall(ParameterInstances)</c> on the benchmark class.</summary>
    private static double? FlopsFromParameters(BenchmarkCase benchmarkCase)
    {
        MethodInfo? method = benchmarkCase.Descriptor.Type.GetMethod("FlopsPerCall", BindingFlags.Public | BindingFlags.Static,
            new[] { typeof(BenchmarkDotNet.Parameters.ParameterInstances) });
        return method?.Invoke(null, new object[] { benchmarkCase.Parameters }) as double?;
    }
}
