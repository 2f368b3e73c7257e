using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace SourceNet.Kernels;

// 8-wide path: machines with AVX2 but not AVX-512, and slices narrower than 16 columns on AVX-512 machines.
// Tiles of up to 6 rows x 2 vectors: 12 accumulators + 2 B vectors + 1 broadcast = 15 of AVX2's 16 ymm
// registers. The kernels are in Gemm.Vector.cs.
public static partial class Gemm
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Slice256<TActivation>(in GemmArgs g, int j0, int j1)
        where TActivation : struct, IActivation =>
        SliceVectors<Simd256, Vector256<float>, TActivation, AllSteps>(g, j0, j1);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static unsafe void ColumnSums256(int rows, int columns, float* a, float* sums) =>
        ColumnSumsVectors<Simd256, Vector256<float>>(rows, columns, a, sums);
}

/// <summary>The 8-wide operations, for the kernels written over <see cref="IVectorOps{TVector}"/>.</summary>
internal readonly unsafe struct Simd256 : IGemmVectorOps<Vector256<float>>
{
    public static int Width => Vector256<float>.Count;
    public static int TileVectors => 2;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Load(float* source) => Vector256.Load(source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Load(ref float source, nuint index) => Vector256.LoadUnsafe(ref source, index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector256<float> value, float* destination) => value.Store(destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector256<float> value, ref float destination, nuint index) => value.StoreUnsafe(ref destination, index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Broadcast(float value) => Vector256.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Add(Vector256<float> left, Vector256<float> right) => left + right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Subtract(Vector256<float> left, Vector256<float> right) => left - right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Multiply(Vector256<float> left, Vector256<float> right) => left * right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Divide(Vector256<float> left, Vector256<float> right) => left / right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Sqrt(Vector256<float> value) => Vector256.Sqrt(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> MultiplyAdd(Vector256<float> a, Vector256<float> b, Vector256<float> c) =>
        Kernels.MultiplyAdd.Vector(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Forward<TActivation>(Vector256<float> z)
        where TActivation : struct, IActivation => Apply<TActivation>.Forward(z);

    public static void NarrowerSlice<TActivation>(in GemmArgs g, int j0, int j1)
        where TActivation : struct, IActivation => Gemm.Slice128<TActivation>(g, j0, j1);

    public static void NarrowerColumnSums(int rows, int columns, float* a, float* sums) =>
        Gemm.ColumnSums128(rows, columns, a, sums);
}
