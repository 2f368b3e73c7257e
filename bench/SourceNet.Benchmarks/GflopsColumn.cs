using System.Reflection;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace SourceNet.Benchmarks;

/// <summary>GFLOP/s from the mean time and the method's <see cref="FlopsAttribute"/>.</summary>
public sealed class GflopsColumn : IColumn
{
    public string Id => nameof(GflopsColumn);
    public string ColumnName => "GFLOP/s";
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => 0;
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
        return (flops.Value / meanNs.Value).ToString("F1", System.Globalization.CultureInfo.InvariantCulture);
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
