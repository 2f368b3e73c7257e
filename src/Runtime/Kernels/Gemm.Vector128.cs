using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace SourceNet.Kernels;

// 4-wide path: Arm64 (AdvSimd) and x64 machines without AVX2, and slices narrower than 8 columns elsewhere.
// Tiles of up to 6 rows x 2 vectors (8 columns): 12 accumulators + 2 B vectors + 1 broadcast, which fits the
// 16 registers of SSE as well as Arm64's 32. The kernels are in Gemm.Vector.cs.
public static partial class Gemm
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Slice128<TActivation>(in GemmArgs g, int j0, int j1)
        where TActivation : struct, IActivation =>
        SliceVectors<Simd128, Vector128<float>, TActivation, AllSteps>(g, j0, j1);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static unsafe void ColumnSums128(int rows, int columns, float* a, float* sums) =>
        ColumnSumsVectors<Simd128, Vector128<float>>(rows, columns, a, sums);
}

/// <summary>The 4-wide operations, for the kernels written over <see cref="IVectorOps{TVector}"/>.</summary>
internal readonly unsafe struct Simd128 : IGemmVectorOps<Vector128<float>>
{
    public static int Width => Vector128<float>.Count;
    public static int TileVectors => 2;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Load(float* source) => Vector128.Load(source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Load(ref float source, nuint index) => Vector128.LoadUnsafe(ref source, index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector128<float> value, float* destination) => value.Store(destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector128<float> value, ref float destination, nuint index) => value.StoreUnsafe(ref destination, index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Broadcast(float value) => Vector128.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Add(Vector128<float> left, Vector128<float> right) => left + right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Subtract(Vector128<float> left, Vector128<float> right) => left - right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Multiply(Vector128<float> left, Vector128<float> right) => left * right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Divide(Vector128<float> left, Vector128<float> right) => left / right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Sqrt(Vector128<float> value) => Vector128.Sqrt(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> MultiplyAdd(Vector128<float> a, Vector128<float> b, Vector128<float> c) =>
        Kernels.MultiplyAdd.Vector(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Forward<TActivation>(Vector128<float> z)
        where TActivation : struct, IActivation => Apply<TActivation>.Forward(z);

    public static void NarrowerSlice<TActivation>(in GemmArgs g, int j0, int j1)
        where TActivation : struct, IActivation => Gemm.SliceScalar<TActivation>(g, j0, j1);

    public static void NarrowerColumnSums(int rows, int columns, float* a, float* sums) =>
        Gemm.ColumnSumsScalar(rows, columns, a, sums);
}
