using System;
using System.Runtime.InteropServices;

namespace SourceNet.Runtime.Tests.Kernels;

/// <summary>Comparisons of the fused recurrent step kernels with the unfused path they replace.</summary>
internal static class RecurrentAssert
{
    /// <summary>Fails at the first element of <paramref name="actual"/> further from <paramref name="expected"/> than
    /// <paramref name="tolerance"/>, relative above 1 and absolute below, naming <paramref name="what"/> and the index.</summary>
    public static void Close(float[] expected, float[] actual, string what, float tolerance = 2e-5f)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            float difference = Math.Abs(expected[i] - actual[i]);
            if (difference > tolerance * Math.Max(1f, Math.Abs(expected[i])))
                Assert.Fail($"{what}[{i}]: expected {expected[i]}, got {actual[i]}");
        }
    }

    /// <summary>Fails at the first element whose bits differ (so −0 against +0 and NaN payloads count), naming
    /// <paramref name="what"/> and the index.</summary>
    public static void SameBits(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        ReadOnlySpan<int> e = MemoryMarshal.Cast<float, int>(expected), a = MemoryMarshal.Cast<float, int>(actual);
        for (int i = 0; i < e.Length; i++)
        {
            if (e[i] != a[i])
                Assert.Fail($"{what}[{i}]: expected {expected[i]:R} (0x{e[i]:X8}), got {actual[i]:R} (0x{a[i]:X8})");
        }
    }
}
