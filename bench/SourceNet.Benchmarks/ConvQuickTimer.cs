using System;
using System.Globalization;
using System.IO;
using System.Linq;

namespace SourceNet.Benchmarks;

/// <summary>
/// <c>--conv</c>: the convolution kernels at the reference network's layers, both forward methods side by side in
/// the same run, with the FMA limit measured by <see cref="FmaProbe"/> in that run, and the CPU and load printed.
/// </summary>
public static class ConvQuickTimer
{
    public static void Run(int[] threadCounts)
    {
        Console.WriteLine($"CPU: {CpuInfo("model name")}, family {CpuInfo("cpu family")}, model {CpuInfo("model")}; {Environment.ProcessorCount} logical CPUs");
        Console.WriteLine($"load average at start: {Load()}");
        var peaks = threadCounts.Distinct().ToDictionary(t => t, t => FmaProbe.Measure(t));
        foreach ((int threads, double peak) in peaks)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"FMA probe (12 chains of Vector512 FMA), {threads} thread(s): {peak:F1} GFLOP/s"));
        Console.WriteLine($"{"layer",-26} {"batch",5} {"kernel",-20} {"threads",7} {"best us",10} {"median us",10} {"GFLOP/s",8} {"% peak",7}");
        foreach (int layer in new[] { 1, 2 })
            foreach (int batch in new[] { 50, 100 })
                foreach (int threads in threadCounts)
                {
                    var bench = new ConvBenchmarks { Layer = layer, Batch = batch, Threads = threads };
                    bench.Setup();
                    string name = layer == 1 ? "28x28x1 -> 5x5x32 Same" : "14x14x32 -> 5x5x64 Same";
                    void Row(string kernel, Action action)
                    {
                        (double best, double median) = QuickTimer.Time(action);
                        double gflops = bench.Flops / best / 1e3;
                        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                            $"{name,-26} {batch,5} {kernel,-20} {threads,7} {best,10:F1} {median,10:F1} {gflops,8:F1} {100 * gflops / peaks[threads],6:F0}%"));
                    }
                    Row("Forward direct", bench.ForwardDirect);
                    Row("Forward im2col+GEMM", bench.ForwardIm2Col);
                    Row("BackwardInput", bench.BackwardInput);
                    Row("BackwardFilter", bench.BackwardFilter);
                }
        Console.WriteLine($"load average at end: {Load()}");
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
