using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace SourceNet.Kernels;

/// <summary>
/// a·b + c for every kernel: one fused instruction where the hardware has it (every Arm64, every x64 since
/// Haswell, unless turned off with <c>DOTNET_EnableFMA=0</c>), else a multiply and an add. Without hardware FMA, .NET computes
/// <c>FusedMultiplyAdd</c> in software, which is two orders of magnitude slower. The choice is a JIT-time
/// constant, and on one machine every path makes the same choice, so results still do not depend on the path.
/// </summary>
internal static class MultiplyAdd
{
    public static bool IsFused => Fma.IsSupported || AdvSimd.IsSupported;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Scalar(float a, float b, float c) => IsFused ? MathF.FusedMultiplyAdd(a, b, c) : a * b + c;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Vector(Vector128<float> a, Vector128<float> b, Vector128<float> c) =>
        IsFused ? Vector128.FusedMultiplyAdd(a, b, c) : a * b + c;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Vector(Vector256<float> a, Vector256<float> b, Vector256<float> c) =>
        IsFused ? Vector256.FusedMultiplyAdd(a, b, c) : a * b + c;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Vector(Vector512<float> a, Vector512<float> b, Vector512<float> c) =>
        IsFused ? Vector512.FusedMultiplyAdd(a, b, c) : a * b + c;
}
