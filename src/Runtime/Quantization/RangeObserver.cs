using System;
using System.Collections.Generic;

namespace SourceNet.Quantization;

/// <summary>
/// Watches the values one tensor takes during calibration and answers its range: the extremes, or percentiles of a
/// regular sample of at most <see cref="MaxKept"/> values (every value when fewer were seen), which keeps memory
/// bounded for large activations.
/// </summary>
internal sealed class RangeObserver
{
    /// <summary>Values kept for percentiles.</summary>
    public const int MaxKept = 1 << 21;

    private readonly List<float>? _kept;
    private readonly long _stride;
    private long _seen;

    /// <summary>An observer for about <paramref name="expected"/> values; keeps a sample when percentiles are wanted.</summary>
    public RangeObserver(long expected, bool keepSample)
    {
        if (keepSample)
        {
            _stride = Math.Max(1, (expected + MaxKept - 1) / MaxKept);
            _kept = new List<float>((int)Math.Min(expected, MaxKept));
        }
    }

    /// <summary>The smallest value seen.</summary>
    public float Min { get; private set; } = float.PositiveInfinity;

    /// <summary>The largest value seen.</summary>
    public float Max { get; private set; } = float.NegativeInfinity;

    /// <summary>Takes in <paramref name="values"/>; returns the index of the first that is not finite, or -1.</summary>
    public int Observe(ReadOnlySpan<float> values)
    {
        float min = Min, max = Max;
        for (int i = 0; i < values.Length; i++)
        {
            float v = values[i];
            if (!float.IsFinite(v))
                return i;
            if (v < min) min = v;
            if (v > max) max = v;
            if (_kept is not null && _seen++ % _stride == 0)
                _kept.Add(v);
        }
        Min = min;
        Max = max;
        return -1;
    }

    /// <summary>The byte range for <paramref name="method"/>.</summary>
    public TensorQuantization Quantization(CalibrationMethod method, double percentile)
    {
        if (float.IsInfinity(Min))
            throw new InvalidOperationException("No values were observed.");
        if (method == CalibrationMethod.MinMax || _kept is null || _kept.Count == 0)
            return TensorQuantization.FromRange(Min, Max);
        float[] sorted = _kept.ToArray();
        Array.Sort(sorted);
        float high = sorted[Rank(sorted.Length, percentile)];
        float low = sorted[Rank(sorted.Length, 100 - percentile)];
        return TensorQuantization.FromRange(low, high);
    }

    /// <summary>The index of the <paramref name="percentile"/>-th percentile in a sorted array (nearest rank).</summary>
    private static int Rank(int count, double percentile) =>
        Math.Clamp((int)Math.Ceiling(percentile / 100 * count) - 1, 0, count - 1);
}
