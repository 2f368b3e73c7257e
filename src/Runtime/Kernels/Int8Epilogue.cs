using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SourceNet.Kernels;

/// <summary>
/// An int8 product's rows of int32 sums straight to the next layer's bytes in one pass: the steps of
/// <see cref="Int8Requantize.Dequantize"/>, the activation and <see cref="Int8Requantize.Quantize"/>, value by value
/// in registers, where the three separate passes write and read a block of floats. The float operations are the
/// same ones in the same order, so the bytes are the same as the three passes'; that holds for activations that give
/// the same bits at every vector width (<see cref="IActivation.ExactAtEveryWidth"/>: identity, ReLU, LeakyReLU),
/// which are the only ones this runs.
/// </summary>
internal static class Int8Epilogue
{
    /// <summary>
    /// output[r · <paramref name="outputStride"/> + j] = clamp(round(f((sums[r · <paramref name="ldc"/> + j] −
    /// offsets[j]) · scales[j] + bias[j]) · <paramref name="inverseScale"/>) + <paramref name="zeroPoint"/>, 0, 255)
    /// for r &lt; <paramref name="rows"/> and j &lt; n = <paramref name="offsets"/>.Length, f the activation.
    /// <paramref name="vector"/> false runs the scalar loop alone (tests compare the two).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void SumsToBytes<TActivation>(int rows, ReadOnlySpan<int> sums, int ldc, ReadOnlySpan<int> offsets,
        ReadOnlySpan<float> scales, ReadOnlySpan<float> bias, float inverseScale, int zeroPoint, Span<byte> output, int outputStride,
        bool vector = true)
        where TActivation : struct, IActivation
    {
        if (!Apply<TActivation>.ExactAtEveryWidth)
            throw new ArgumentException($"{typeof(TActivation).Name} may differ between its vector and scalar forms; fuse only activations exact at every width.");
        int n = offsets.Length;
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        if (rows == 0)
            return;
        if (scales.Length < n || bias.Length < n)
            throw new ArgumentException($"{n} outputs need {n} scales and biases; got {scales.Length} and {bias.Length}.");
        if (ldc < n || sums.Length < (long)(rows - 1) * ldc + n)
            throw new ArgumentException($"{rows} rows of {n} sums, {ldc} apart, need {(long)(rows - 1) * ldc + n}; got {sums.Length}.", nameof(sums));
        if (outputStride < n || output.Length < (long)(rows - 1) * outputStride + n)
            throw new ArgumentException($"{rows} rows of {n} bytes, {outputStride} apart, need {(long)(rows - 1) * outputStride + n}; got {output.Length}.", nameof(output));

        ref int s0 = ref MemoryMarshal.GetReference(sums);
        ref int o = ref MemoryMarshal.GetReference(offsets);
        ref float k = ref MemoryMarshal.GetReference(scales);
        ref float b = ref MemoryMarshal.GetReference(bias);
        ref byte y0 = ref MemoryMarshal.GetReference(output);
        float zero = zeroPoint;
        bool wide = vector && Vector256.IsHardwareAccelerated;
        for (int r = 0; r < rows; r++)
        {
            ref int s = ref Unsafe.Add(ref s0, (nint)r * ldc);
            ref byte y = ref Unsafe.Add(ref y0, (nint)r * outputStride);
            int j = 0;
            if (wide)
            {
                for (; j <= n - 32; j += 32)
                {
                    Vector256<int> q0 = Step<TActivation>(ref s, ref o, ref k, ref b, j, inverseScale, zero);
                    Vector256<int> q1 = Step<TActivation>(ref s, ref o, ref k, ref b, j + 8, inverseScale, zero);
                    Vector256<int> q2 = Step<TActivation>(ref s, ref o, ref k, ref b, j + 16, inverseScale, zero);
                    Vector256<int> q3 = Step<TActivation>(ref s, ref o, ref k, ref b, j + 24, inverseScale, zero);
                    Pack(q0, q1, q2, q3).StoreUnsafe(ref y, (nuint)j);
                }
                for (; j <= n - 8; j += 8)
                {
                    Vector256<int> q = Step<TActivation>(ref s, ref o, ref k, ref b, j, inverseScale, zero);
                    // The narrows keep element order: the first eight bytes are the eight values.
                    Vector256<byte> bytes = Vector256.Narrow(Vector256.Narrow(q, q), Vector256<short>.Zero).AsByte();
                    Unsafe.WriteUnaligned(ref Unsafe.Add(ref y, j), bytes.AsUInt64().ToScalar());
                }
            }
            for (; j < n; j++)
            {
                float value = (float)(Unsafe.Add(ref s, j) - Unsafe.Add(ref o, j)) * Unsafe.Add(ref k, j) + Unsafe.Add(ref b, j);
                Unsafe.Add(ref y, j) = Int8Requantize.QuantizeOne(Apply<TActivation>.Forward(value), inverseScale, zero);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Step<TActivation>(ref int s, ref int o, ref float k, ref float b, int j, float inverseScale, float zero)
        where TActivation : struct, IActivation
    {
        Vector256<float> exact = Vector256.ConvertToSingle(Vector256.LoadUnsafe(ref s, (nuint)j) - Vector256.LoadUnsafe(ref o, (nuint)j));
        Vector256<float> value = Apply<TActivation>.Forward(exact * Vector256.LoadUnsafe(ref k, (nuint)j) + Vector256.LoadUnsafe(ref b, (nuint)j));
        Vector256<float> rounded = Vector256.Round(value * Vector256.Create(inverseScale)) + Vector256.Create(zero);
        // Finite lanes (the sums are exact, the scales finite): the plain min and max give the same whole numbers in
        // [0, 255] as the IEEE ones, and the plain conversion of those is exact, without the saturating one's fix-ups.
        return Vector256.ConvertToInt32Native(Vector256.MinNative(Vector256.MaxNative(rounded, Vector256<float>.Zero), Vector256.Create(255f)));
    }

    /// <summary>32 ints in [0, 255] to 32 bytes, in order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<byte> Pack(Vector256<int> q0, Vector256<int> q1, Vector256<int> q2, Vector256<int> q3)
    {
        if (Avx2.IsSupported)
        {
            // The packs work within each 128-bit half: the bytes come out as 4-byte pieces in the order
            // q0 q1 q2 q3 (low halves) then q0 q1 q2 q3 (high halves), which one permutation puts back in order.
            Vector256<byte> packed = Avx2.PackUnsignedSaturate(Avx2.PackSignedSaturate(q0, q1), Avx2.PackSignedSaturate(q2, q3));
            return Avx2.PermuteVar8x32(packed.AsInt32(), Vector256.Create(0, 4, 1, 5, 2, 6, 3, 7)).AsByte();
        }
        // Every lane is in [0, 255], so the truncating narrows are exact.
        return Vector256.Narrow(Vector256.Narrow(q0, q1), Vector256.Narrow(q2, q3)).AsByte();
    }
}
