using System;
using System.Globalization;
using SourceNet.Kernels;

namespace SourceNet.Quantization;

/// <summary>
/// Symmetric per-output-channel weight quantisation: column j of a [k, n] matrix gets the scale
/// max_k |W[k, j]| / <see cref="Int8Gemm.WeightLimit"/> and its weights become round(W / scale) in
/// [−<see cref="Int8Gemm.WeightLimit"/>, <see cref="Int8Gemm.WeightLimit"/>]. A scale per column keeps a unit with
/// small weights from losing them to a unit with large ones; no zero point keeps the product's correction to the
/// input's zero point alone.
/// </summary>
internal static class WeightQuantization
{
    /// <summary>Quantises <paramref name="weights"/> [<paramref name="k"/>, <paramref name="n"/>]; returns the bytes and
    /// writes each column's scale. An all-zero column gets scale 1 (its bytes are 0 whatever the scale).</summary>
    /// <exception cref="ArgumentException">A weight is not finite; the message names the tensor and the position.</exception>
    public static sbyte[] Quantize(string name, ReadOnlySpan<float> weights, int k, int n, Span<float> scales)
    {
        if (weights.Length != (long)k * n)
            throw new ArgumentException($"{name} has {weights.Length} values; a [{k}, {n}] matrix has {(long)k * n}.", nameof(weights));
        if (scales.Length != n)
            throw new ArgumentException($"{n} columns need {n} scales; got {scales.Length}.", nameof(scales));
        scales.Clear();
        for (int row = 0; row < k; row++)
        {
            for (int column = 0; column < n; column++)
            {
                float w = weights[row * n + column];
                if (!float.IsFinite(w))
                    throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                        $"{name}[{row}, {column}] is {w}: a network with weights that are not finite cannot be quantised."), nameof(weights));
                scales[column] = Math.Max(scales[column], Math.Abs(w));
            }
        }
        for (int column = 0; column < n; column++)
            scales[column] = ScaleFor(scales[column]);

        var q = new sbyte[weights.Length];
        for (int row = 0; row < k; row++)
        {
            for (int column = 0; column < n; column++)
                q[row * n + column] = ToInt8(weights[row * n + column], scales[column]);
        }
        return q;
    }

    /// <summary>The scale of a channel whose largest |weight| is <paramref name="largest"/>: it maps to
    /// <see cref="Int8Gemm.WeightLimit"/>; an all-zero channel gets 1.</summary>
    public static float ScaleFor(float largest) => largest > 0 ? largest / Int8Gemm.WeightLimit : 1f;

    /// <summary>A weight's int8 value at <paramref name="scale"/>: rounded half to even, clamped to ±<see cref="Int8Gemm.WeightLimit"/>.</summary>
    public static sbyte ToInt8(float weight, float scale) =>
        (sbyte)Math.Clamp(MathF.Round(weight / scale), -Int8Gemm.WeightLimit, Int8Gemm.WeightLimit);

    /// <summary>The floats the bytes stand for: q · scale of their column.</summary>
    public static float[] Dequantize(ReadOnlySpan<sbyte> q, int k, int n, ReadOnlySpan<float> scales)
    {
        var values = new float[q.Length];
        for (int row = 0; row < k; row++)
        {
            for (int column = 0; column < n; column++)
                values[row * n + column] = q[row * n + column] * scales[column];
        }
        return values;
    }
}
