using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace SourceNet.Kernels;

/// <summary>
/// Finds NaN and infinity in inputs before they enter a network. Without it a NaN pixel would pass
/// silently: ReLU's max(NaN, 0) is 0 on x86, so the network would train on a corrupted sample.
/// </summary>
public static class FiniteCheck
{
    /// <summary>The index of the first NaN or infinite value, or -1 when all are finite.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int IndexOfNonFinite(ReadOnlySpan<float> values)
    {
        ref float start = ref MemoryMarshal.GetReference(values);
        int i = 0, n = values.Length;
        // x - x is 0 for every finite x and NaN for NaN and ±infinity.
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i <= n - 16; i += 16)
            {
                var v = Vector512.LoadUnsafe(ref start, (nuint)i);
                if (!Vector512.EqualsAll(v - v, Vector512<float>.Zero)) break;
            }
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= n - 8; i += 8)
            {
                var v = Vector256.LoadUnsafe(ref start, (nuint)i);
                if (!Vector256.EqualsAll(v - v, Vector256<float>.Zero)) break;
            }
        }
        for (; i < n; i++)
        {
            if (!float.IsFinite(Unsafe.Add(ref start, i))) return i;
        }
        return -1;
    }
}
