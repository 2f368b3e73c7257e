using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using SourceNet.Bench;

namespace SourceNet.Benchmarks;

/// <summary>
/// <c>--conv</c>: the convolution kernels at the reference network's layers, both forward methods side by side in
/// the same run, with the FMA limit measured by <see cref="FmaPeak"/> in that run, and the CPU and load printed.
/// </summary>
public static class ConvQuickTimer
{
    /// <summary>Times the kernels at each of <paramref name="threadCounts"/> and batch sizes (default 50 and 100).</summary>
    public static void Run(int[] threadCounts, int[]? batches = null)
    {
        Console.WriteLine($"CPU: {CpuInfo("model name")}, family {CpuInfo("cpu family")}, model {CpuInfo("model")}; {Environment.ProcessorCount} logical CPUs");
        Console.WriteLine($"load average at start: {Load()}");
        FmaPeak before = FmaPeak.Measure();
        var peaks = threadCounts.Distinct().ToDictionary(t => t, before.GflopsFor);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"FMA peak ({before.Vector}): {before.OneThreadGflops:F1} GFLOP/s on 1 thread, {before.TwoThreadGflops:F1} on 2"));
        var rows = new System.Collections.Generic.List<(string Text, double Gflops, int Threads)>();
        foreach (int layer in new[] { 1, 2 })
            foreach (int batch in batches ?? new[] { 50, 100 })
                foreach (int threads in threadCounts)
                {
                    var bench = new ConvBenchmarks { Layer = layer, Batch = batch, Threads = threads };
                    bench.Setup();
                    string name = layer == 1 ? "28x28x1 -> 5x5x32 Same" : "14x14x32 -> 5x5x64 Same";
                    (string Name, Action Call)[] kernels =
                    {
                        ("Forward direct", bench.ForwardDirect),
                        ("Forward im2col+GEMM", bench.ForwardIm2Col),
                        ("BackwardInput direct", bench.BackwardInputDirect),
                        ("BackwardInput im2col", bench.BackwardInputIm2Col),
                        ("BackwardFilter direct", bench.BackwardFilter),
                        ("BackwardFilter im2col", bench.BackwardFilterIm2Col),
                    };
                    double[][] samples = Interleaved(kernels.Select(k => k.Call).ToArray());
                    for (int k = 0; k < kernels.Length; k++)
                    {
                        Array.Sort(samples[k]);
                        double best = samples[k][0], median = samples[k][samples[k].Length / 2];
                        double gflops = bench.Flops / best / 1e3;
                        rows.Add((string.Create(CultureInfo.InvariantCulture,
                            $"{name,-26} {batch,5} {kernels[k].Name,-22} {threads,7} {best,10:F1} {median,10:F1} {gflops,8:F1}"), gflops, threads));
                    }
                }
        // The probe again, after the kernels: on a busy machine the higher of the two is the better estimate.
        FmaPeak after = FmaPeak.Measure();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"FMA peak again: {after.OneThreadGflops:F1} GFLOP/s on 1 thread, {after.TwoThreadGflops:F1} on 2"));
        foreach (int threads in peaks.Keys.ToArray())
        {
            peaks[threads] = Math.Max(peaks[threads], after.GflopsFor(threads));
        }
        Console.WriteLine($"load average at end: {Load()}");
        Console.WriteLine($"{"layer",-26} {"batch",5} {"kernel",-22} {"threads",7} {"best us",10} {"median us",10} {"GFLOP/s",8} {"% peak",7}");
        foreach ((string text, double gflops, int threads) in rows)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{text} {100 * gflops / peaks[threads],6:F0}%"));
    }

    /// <summary>
    /// Microseconds per call of each action, measured in rounds that time every action once in turn, so that the
    /// methods being compared see the same machine load (others build on this machine); a round's sample is the
    /// best of three calls.
    /// </summary>
    private static double[][] Interleaved(Action[] actions, int rounds = 25)
    {
        foreach (Action action in actions)
            for (int i = 0; i < 3; i++)
                action();
        var samples = new double[actions.Length][];
        for (int k = 0; k < actions.Length; k++)
            samples[k] = new double[rounds];
        for (int round = 0; round < rounds; round++)
            for (int k = 0; k < actions.Length; k++)
            {
                double best = double.MaxValue;
                for (int call = 0; call < 3; call++)
                {
                    long t0 = Stopwatch.GetTimestamp();
                    actions[k]();
                    best = Math.Min(best, Stopwatch.GetElapsedTime(t0).TotalMicroseconds);
                }
                samples[k][round] = best;
            }
        return samples;
    }

    private static string CpuInfo(string key)
    {
        try
        {
            foreach (string line in File.ReadLines("/proc/cpuinfo"))
                if (line.StartsWith(key, StringComparison.Ordinal) && line[key.Length..].TrimStart().StartsWith(':'))
                    return line[(line.IndexOf(':') + 1)..].Trim();
        }
        catch (IOException)
        {
        }
        return "?";
    }

    private static string Load()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Trim();
        }
        catch (IOException)
        {
            return "?";
        }
    }
}
