using System.Runtime.Intrinsics;

namespace SourceNet.Kernels;

/// <summary>The instruction-set level a kernel runs at. Tests pin each level to exercise every fallback.</summary>
internal enum KernelIsa
{
    /// <summary>Plain scalar code (with fused multiply-add), correct everywhere.</summary>
    Scalar = 0,

    /// <summary>4-wide <see cref="Vector128{T}"/> tiles (Arm64 AdvSimd, SSE).</summary>
    Vector128 = 1,

    /// <summary>8-wide <see cref="Vector256{T}"/> tiles (AVX2 or equivalent).</summary>
    Vector256 = 2,

    /// <summary>16-wide <see cref="Vector512{T}"/> tiles (AVX-512).</summary>
    Vector512 = 3,
}

/// <summary>Picks the widest level the machine accelerates and checks a requested level is runnable.</summary>
internal static class KernelIsaInfo
{
    /// <summary>The widest accelerated level; what the public entry points use.</summary>
    public static readonly KernelIsa Best =
        Vector512.IsHardwareAccelerated ? KernelIsa.Vector512 :
        Vector256.IsHardwareAccelerated ? KernelIsa.Vector256 :
        Vector128.IsHardwareAccelerated ? KernelIsa.Vector128 :
        KernelIsa.Scalar;

    /// <summary>True when <paramref name="isa"/> can run here (the generic vector APIs are correct even when
    /// emulated, but a test that pins an unaccelerated level would only measure the emulation).</summary>
    public static bool IsSupported(KernelIsa isa) => isa <= Best;
}

/// <summary>A compile-time integer carried by a struct type, so the JIT specialises a tile for its shape and
/// removes the code for rows and vectors the tile does not have.</summary>
internal interface ITileCount
{
    /// <summary>The constant.</summary>
    static abstract int Value { get; }
}

internal readonly struct Count1 : ITileCount { public static int Value => 1; }
internal readonly struct Count2 : ITileCount { public static int Value => 2; }
internal readonly struct Count3 : ITileCount { public static int Value => 3; }
internal readonly struct Count4 : ITileCount { public static int Value => 4; }
internal readonly struct Count5 : ITileCount { public static int Value => 5; }
internal readonly struct Count6 : ITileCount { public static int Value => 6; }
internal readonly struct Count7 : ITileCount { public static int Value => 7; }
internal readonly struct Count8 : ITileCount { public static int Value => 8; }
internal readonly struct Count9 : ITileCount { public static int Value => 9; }
internal readonly struct Count10 : ITileCount { public static int Value => 10; }
internal readonly struct Count11 : ITileCount { public static int Value => 11; }
internal readonly struct Count12 : ITileCount { public static int Value => 12; }

/// <summary>
/// The operations the kernels use on one vector width, as a type, so a kernel is written once over
/// <typeparamref name="TVector"/> and the JIT specialises it per width (it compiles a separate copy for each
/// struct type argument, and each member inlines to the single instruction a hand-written kernel would use).
/// A stand-in for <c>System.Runtime.Intrinsics.ISimdVector</c>, which .NET 10 does not make public.
/// </summary>
internal unsafe interface IVectorOps<TVector>
    where TVector : struct
{
    /// <summary>Floats per vector.</summary>
    static abstract int Width { get; }

    static abstract TVector Load(float* source);
    static abstract TVector Load(ref float source, nuint index);
    static abstract void Store(TVector value, float* destination);
    static abstract void Store(TVector value, ref float destination, nuint index);
    static abstract TVector Broadcast(float value);
    static abstract TVector Add(TVector left, TVector right);
    static abstract TVector Subtract(TVector left, TVector right);
    static abstract TVector Multiply(TVector left, TVector right);
    static abstract TVector Divide(TVector left, TVector right);
    static abstract TVector Sqrt(TVector value);

    /// <summary>a·b + c as <see cref="MultiplyAdd"/> computes it, so every path rounds alike.</summary>
    static abstract TVector MultiplyAdd(TVector a, TVector b, TVector c);

    /// <summary><typeparamref name="TActivation"/>'s forward function at this width.</summary>
    static abstract TVector Forward<TActivation>(TVector z)
        where TActivation : struct, IActivation;
}
