using System;
using System.Globalization;

namespace SourceNet.Kernels;

/// <summary>
/// How many threads the matrix kernels and the optimizers may use. Work is split by <b>output columns</b> with a
/// fixed partition, so the same thread always owns the same slice of a weight matrix (forward, backward and
/// the optimizer update), and results are bit-identical for any thread count.
/// </summary>
/// <remarks>
/// Defaults to <c>min(Environment.ProcessorCount, 2)</c>; the environment variable
/// <c>SOURCENET_THREADS</c> (a positive integer) overrides the default at start-up. Only products large enough
/// to repay the hand-off (see <see cref="MinParallelMultiplyAdds"/>) are split.
/// </remarks>
public static class KernelThreads
{
    /// <summary>The environment variable read once at start-up.</summary>
    public const string EnvironmentVariable = "SOURCENET_THREADS";

    /// <summary>The largest accepted thread count.</summary>
    public const int MaxCount = 64;

    /// <summary>Products with fewer multiply-adds than this run on the calling thread alone: below it the
    /// hand-off to the worker (about a microsecond) costs more than the half of the work it saves.</summary>
    public const long MinParallelMultiplyAdds = 96 * 1024;

    private static int s_count = ReadDefault();

    /// <summary>Set on a thread while it runs one chunk of samples of a split <see cref="SampleChunks"/> run: the
    /// threads already share the work by samples, so the kernels inside do not split again.</summary>
    [ThreadStatic]
    internal static bool t_insideSampleChunk;

    /// <summary>Threads the kernels may use, 1 to <see cref="MaxCount"/>. 1 turns splitting off. Reads 1 on a thread
    /// that is running a chunk of a split batch inference (<see cref="SampleChunks"/>).</summary>
    public static int Count
    {
        get => t_insideSampleChunk ? 1 : s_count;
        set
        {
            if (value < 1 || value > MaxCount)
                throw new ArgumentOutOfRangeException(nameof(value), value, $"The kernel thread count must be between 1 and {MaxCount}.");
            s_count = value;
        }
    }

    /// <summary>
    /// Whether products large enough to split may instead run on the calling thread when, timed on this machine
    /// in this process, that is faster for the products being run (one process-wide choice, re-checked as load
    /// changes; see the remarks of the internal SplitController class). Default on;
    /// <c>SOURCENET_ADAPTIVE_SPLIT=0</c> turns it off at start-up (always split). Results are the same bits either way.
    /// </summary>
    public static bool Adaptive
    {
        get => AdaptiveSplit.Enabled;
        set => AdaptiveSplit.Enabled = value;
    }

    /// <summary>The default: <c>SOURCENET_THREADS</c> if set to a valid count, else min(processors, 2).</summary>
    internal static int ReadDefault()
    {
        string? text = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(text)
            && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int parsed)
            && parsed >= 1 && parsed <= MaxCount)
            return parsed;
        return Math.Min(Environment.ProcessorCount, 2);
    }

    /// <summary>Number of column slices for a product of <paramref name="multiplyAdds"/> with
    /// <paramref name="columns"/> output columns, given <paramref name="threads"/>.</summary>
    internal static int PartsFor(long multiplyAdds, int columns, int threads)
    {
        if (threads <= 1 || multiplyAdds < MinParallelMultiplyAdds)
            return 1;
        // Each slice keeps at least 32 columns, so after rounding to 16 it still holds full vectors.
        return Math.Max(1, Math.Min(threads, columns / 32));
    }

    /// <summary>
    /// First column of slice <paramref name="part"/> of <paramref name="parts"/> over <paramref name="columns"/>
    /// (the slice ends where the next begins). Inner boundaries are multiples of 16 floats, one 64-byte cache
    /// line, so two threads never write the same line of a row-major output or weight matrix.
    /// </summary>
    internal static int SliceStart(int columns, int part, int parts)
    {
        if (part <= 0)
            return 0;
        if (part >= parts)
            return columns;
        long nearest = ((long)columns * part + (long)parts * 8) / ((long)parts * 16) * 16;
        return (int)Math.Min(nearest, columns);
    }
}
