using System;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using SourceNet.Bench;

namespace SourceNet.Benchmarks;

/// <summary>Entry point: <c>dotnet run -c Release --project bench/SourceNet.Benchmarks -- --filter *</c>.</summary>
public static class Program
{
    public static void Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "--quick")
        {
            QuickTimer.Run(args.Length > 1 ? Array.ConvertAll(args[1].Split(','), int.Parse) : new[] { 1, 2 });
            return;
        }
        if (args.Length > 0 && args[0] == "--fma")
        {
            FmaPeak fma = FmaPeak.Measure();
            Console.WriteLine($"Measured FMA peak ({fma.Vector}): {fma.OneThreadGflops:F1} GFLOP/s on 1 thread, {fma.TwoThreadGflops:F1} on 2");
            return;
        }
        if (args.Length > 0 && args[0] == "--cross-core")
        {
            // --cross-core [MiB]: reading data the other core just wrote, against its own writes and memory.
            CrossCoreProbe.Run(args.Length > 1 ? int.Parse(args[1]) : 1);
            CrossCoreProbe.RunProduct(SourceNet.Data.MnistDataset.Load(KernelBenchmarks.MnistFolder, maxTrain: 1000, maxTest: 1).TrainImages);
            return;
        }
        if (args.Length > 0 && args[0] == "--conv")
        {
            // --conv [threads] [batches], e.g. --conv 1,2 50: bench/compare-cnn.sh times its own batch size only.
            ConvQuickTimer.Run(args.Length > 1 ? Array.ConvertAll(args[1].Split(','), int.Parse) : new[] { 1, 2 },
                args.Length > 2 ? Array.ConvertAll(args[2].Split(','), int.Parse) : null);
            return;
        }
        FmaPeak peak = FmaPeak.Measure();
        Console.WriteLine($"Measured FMA peak ({peak.Vector}): {peak.OneThreadGflops:F1} GFLOP/s on 1 thread, {peak.TwoThreadGflops:F1} on 2");
        // A short job: a few warm-up and measured iterations, in process, so the whole suite takes minutes.
        IConfig config = DefaultConfig.Instance
            .AddJob(Job.Default
                .WithWarmupCount(3)
                .WithIterationCount(10)
                .WithLaunchCount(1)
                .WithToolchain(InProcessEmitToolchain.Instance)
                .WithId("Short"))
            .AddColumn(new GflopsColumn(), new GflopsColumn(peak))
            .WithOptions(ConfigOptions.JoinSummary);
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
    }
}
