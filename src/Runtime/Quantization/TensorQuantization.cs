using System;
using System.Globalization;
using SourceNet.Kernels;

namespace SourceNet.Quantization;

/// <summary>
/// How one tensor's floats map to unsigned bytes: <c>q = clamp(round(x / Scale) + ZeroPoint, 0, 255)</c> and back
/// <c>x ≈ (q − ZeroPoint) · Scale</c> (asymmetric, per tensor). The zero point is a whole byte, so 0.0 is
/// represented exactly: convolution padding and ReLU's zeros lose nothing.
/// </summary>
/// <param name="Scale">The step between two consecutive bytes, positive.</param>
/// <param name="ZeroPoint">The byte that stands for 0.0, in [0, 255].</param>
public readonly record struct TensorQuantization(float Scale, int ZeroPoint)
{
    /// <summary>The quantisation that spreads [<paramref name="min"/>, <paramref name="max"/>] (widened to include 0)
    /// over the 256 bytes. An all-zero range gets scale 1.</summary>
    /// <exception cref="ArgumentException">A bound is not finite.</exception>
    public static TensorQuantization FromRange(float min, float max)
    {
        if (!float.IsFinite(min) || !float.IsFinite(max))
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"A quantisation range needs finite bounds; got [{min}, {max}]."));
        float low = Math.Min(min, 0f), high = Math.Max(max, 0f);
        if (high == low)
            return new TensorQuantization(1f, 0);
        float scale = (high - low) / 255f;
        int zeroPoint = (int)Math.Clamp(MathF.Round(-low / scale), 0f, 255f);
        return new TensorQuantization(scale, zeroPoint);
    }

    /// <summary>The byte for <paramref name="value"/> (rounded half to even, clamped to [0, 255]).</summary>
    public byte Quantize(float value) => Int8Requantize.QuantizeOne(value, 1f / Scale, ZeroPoint);

    /// <summary>The float a byte stands for.</summary>
    public float Dequantize(byte value) => (value - ZeroPoint) * Scale;

    /// <summary>The smallest float the bytes can represent.</summary>
    public float Min => -ZeroPoint * Scale;

    /// <summary>The largest float the bytes can represent.</summary>
    public float Max => (255 - ZeroPoint) * Scale;

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"scale {Scale:G4}, zero point {ZeroPoint} ([{Min:G4}, {Max:G4}])");
}
