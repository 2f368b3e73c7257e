using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace SourceNet.Kernels;

/// <summary>
/// The conversions around an int8 product: floats to unsigned bytes with a scale and zero point
/// (q = clamp(round(x / s) + z, 0, 255), rounding half to even), and int32 sums back to floats. The vector and
/// scalar loops do the same float operations in the same order (no fused multiply-add), so they agree bit for bit.
/// </summary>
internal static class Int8Requantize
{
    /// <summary>
    /// q[i] = clamp(round(values[i] · <paramref name="inverseScale"/>) + <paramref name="zeroPoint"/>, 0, 255).
    /// <paramref name="vector"/> false runs the scalar loop alone (tests compare the two).
    /// </summary>
    public static void Quantize(ReadOnlySpan<float> values, float inverseScale, int zeroPoint, Span<byte> q, bool vector = true)
    {
        if (q.Length < values.Length)
            throw new ArgumentException($"{values.Length} values need as many bytes; got {q.Length}.", nameof(q));
        ref float x = ref MemoryMarshal.GetReference(values);
        ref byte y = ref MemoryMarshal.GetReference(q);
        int i = 0, n = values.Length;
        float zero = zeroPoint;
        if (vector && Vector256.IsHardwareAccelerated)
        {
            Vector256<float> inv = Vector256.Create(inverseScale), z = Vector256.Create(zero);
            Vector256<float> low = Vector256<float>.Zero, high = Vector256.Create(255f);
            for (; i <= n - 32; i += 32)
            {
                // Whole numbers in [0, 255]: the plain conversion is exact.
                Vector256<int> a = Vector256.ConvertToInt32Native(Vector256.MinNative(Vector256.MaxNative(Vector256.Round(Vector256.LoadUnsafe(ref x, (nuint)i) * inv) + z, low), high));
                Vector256<int> b = Vector256.ConvertToInt32Native(Vector256.MinNative(Vector256.MaxNative(Vector256.Round(Vector256.LoadUnsafe(ref x, (nuint)i + 8) * inv) + z, low), high));
                Vector256<int> c = Vector256.ConvertToInt32Native(Vector256.MinNative(Vector256.MaxNative(Vector256.Round(Vector256.LoadUnsafe(ref x, (nuint)i + 16) * inv) + z, low), high));
                Vector256<int> d = Vector256.ConvertToInt32Native(Vector256.MinNative(Vector256.MaxNative(Vector256.Round(Vector256.LoadUnsafe(ref x, (nuint)i + 24) * inv) + z, low), high));
                Int8Epilogue.Pack(a, b, c, d).StoreUnsafe(ref y, (nuint)i);
            }
        }
        for (; i < n; i++)
            Unsafe.Add(ref y, i) = QuantizeOne(Unsafe.Add(ref x, i), inverseScale, zero);
    }

    /// <summary>One value of <see cref="Quantize"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static byte QuantizeOne(float value, float inverseScale, float zeroPoint) =>
        (byte)(int)Math.Min(Math.Max(MathF.Round(value * inverseScale) + zeroPoint, 0f), 255f);

    /// <summary>
    /// values[j] = (float)(sums[j] − offsets[j]) · scales[j] + bias[j] for j &lt; values.Length: an int8 product's
    /// sums with the input's zero point taken out (offsets = zero point · Σ_k W[k, j]), scaled back to floats.
    /// </summary>
    public static void Dequantize(ReadOnlySpan<int> sums, ReadOnlySpan<int> offsets, ReadOnlySpan<float> scales, ReadOnlySpan<float> bias,
        Span<float> values, bool vector = true)
    {
        int n = values.Length;
        if (sums.Length < n || offsets.Length < n || scales.Length < n || bias.Length < n)
            throw new ArgumentException($"{n} outputs need {n} sums, offsets, scales and biases; got {sums.Length}, {offsets.Length}, {scales.Length}, {bias.Length}.");
        ref int s = ref MemoryMarshal.GetReference(sums);
        ref int o = ref MemoryMarshal.GetReference(offsets);
        ref float k = ref MemoryMarshal.GetReference(scales);
        ref float b = ref MemoryMarshal.GetReference(bias);
        ref float y = ref MemoryMarshal.GetReference(values);
        int i = 0;
        if (vector && Vector256.IsHardwareAccelerated)
        {
            for (; i <= n - 8; i += 8)
            {
                Vector256<float> exact = Vector256.ConvertToSingle(Vector256.LoadUnsafe(ref s, (nuint)i) - Vector256.LoadUnsafe(ref o, (nuint)i));
                (exact * Vector256.LoadUnsafe(ref k, (nuint)i) + Vector256.LoadUnsafe(ref b, (nuint)i)).StoreUnsafe(ref y, (nuint)i);
            }
        }
        for (; i < n; i++)
            Unsafe.Add(ref y, i) = (float)(Unsafe.Add(ref s, i) - Unsafe.Add(ref o, i)) * Unsafe.Add(ref k, i) + Unsafe.Add(ref b, i);
    }

    /// <summary>values[i] = (q[i] − <paramref name="zeroPoint"/>) · <paramref name="scale"/>.</summary>
    public static void ToFloats(ReadOnlySpan<byte> q, float scale, int zeroPoint, Span<float> values)
    {
        for (int i = 0; i < values.Length; i++)
            values[i] = (q[i] - zeroPoint) * scale;
    }
}
