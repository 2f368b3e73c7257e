using System;

namespace SourceNet.Quantization;

/// <summary>Settings of <see cref="QuantizedNetwork.Create"/>.</summary>
public sealed record QuantizationOptions
{
    /// <summary>How each tensor's range is taken from the calibration samples. <see cref="CalibrationMethod.MinMax"/> by default.</summary>
    public CalibrationMethod Method { get; init; } = CalibrationMethod.MinMax;

    /// <summary>For <see cref="CalibrationMethod.Percentile"/>: the percentile of the upper bound, in (50, 100]; the
    /// lower bound is its mirror. 99.99 by default.</summary>
    public double Percentile { get; init; } = 99.99;

    /// <summary>The largest batch the quantised network's buffers hold; 0 (the default) takes the float network's.</summary>
    public int MaxBatchSize { get; init; }

    internal void Validate()
    {
        if (!Enum.IsDefined(Method))
            throw new ArgumentOutOfRangeException(nameof(Method), Method, "Unknown calibration method.");
        if (!(Percentile > 50 && Percentile <= 100))
            throw new ArgumentOutOfRangeException(nameof(Percentile), Percentile, "A calibration percentile is in (50, 100].");
        ArgumentOutOfRangeException.ThrowIfNegative(MaxBatchSize);
    }
}
