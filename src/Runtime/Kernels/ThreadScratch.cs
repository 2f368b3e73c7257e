using System;

namespace SourceNet.Kernels;

/// <summary>
/// Per-channel scratch space for kernels that run on the calling thread (batch normalisation, global pooling): one
/// array per thread, grown the first time a larger one is asked for, so a step allocates nothing however many
/// channels a layer has. A span is valid until the same thread asks again.
/// </summary>
internal static class ThreadScratch
{
    [ThreadStatic]
    private static double[]? t_doubles;

    [ThreadStatic]
    private static float[]? t_floats;

    /// <summary><paramref name="length"/> doubles, cleared.</summary>
    public static Span<double> Doubles(int length)
    {
        if (t_doubles is null || t_doubles.Length < length)
            t_doubles = new double[length];
        Span<double> span = t_doubles.AsSpan(0, length);
        span.Clear();
        return span;
    }

    /// <summary><paramref name="length"/> floats, not cleared.</summary>
    public static Span<float> Floats(int length)
    {
        if (t_floats is null || t_floats.Length < length)
            t_floats = new float[length];
        return t_floats.AsSpan(0, length);
    }
}
