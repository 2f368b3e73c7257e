using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace SourceNet.Generator.Benchmarks;

/// <summary>Entry point: <c>dotnet run -c Release --project bench/SourceNet.Generator.Benchmarks -- --filter *</c>.</summary>
public static class Program
{
    public static void Main(string[] args)
    {
        // A short job, in process: the figures are for orders of magnitude (is an unrelated edit free?),
        // not for tracking small regressions.
        IConfig config = DefaultConfig.Instance
            .AddJob(Job.Default
                .WithWarmupCount(3)
                .WithIterationCount(10)
                .WithLaunchCount(1)
                .WithToolchain(InProcessEmitToolchain.Instance)
                .WithId("Short"))
            .WithOptions(ConfigOptions.JoinSummary);
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
    }
}
