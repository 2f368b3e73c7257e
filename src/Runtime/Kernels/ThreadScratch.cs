using System;

namespace SourceNet.Kernels;

/// <summary>
/// Per-channel scratch space for kernels (batch normalisation, global pooling), taken on the calling thread: one
/// array per thread, grown the first time a larger one is asked for, so a step allocates nothing however many
/// channels a layer has. A span is valid until the same thread asks again.
/// </summary>
internal static class ThreadScratch
{
    [ThreadStatic]
    private static double[]? t_doubles;

    [ThreadStatic]
    private static float[]? t_floats;

    [ThreadStatic]
    private static double[]? t_partials;

    /// <summary><paramref name="length"/> doubles, cleared.</summary>
    public static Span<double> Doubles(int length)
    {
        if (t_doubles is null || t_doubles.Length < length)
            t_doubles = new double[length];
        Span<double> span = t_doubles.AsSpan(0, length);
        span.Clear();
        return span;
    }

    /// <summary><paramref name="length"/> doubles apart from <see cref="Doubles"/>'s, not cleared: partial sums that a
    /// pass computes (possibly on other threads) and then adds into sums taken from <see cref="Doubles"/>.</summary>
    public static Span<double> PartialSums(int length)
    {
        if (t_partials is null || t_partials.Length < length)
            t_partials = new double[length];
        return t_partials.AsSpan(0, length);
    }

    /// <summary><paramref name="length"/> floats, not cleared.</summary>
    public static Span<float> Floats(int length)
    {
        if (t_floats is null || t_floats.Length < length)
            t_floats = new float[length];
        return t_floats.AsSpan(0, length);
    }
}
