using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace SourceNet.Kernels;

// AVX-512 path. Tiles of up to 6 rows x 4 vectors (6x64 floats): 24 zmm accumulators, 4 for the B row and one
// broadcast, which fits the 32 registers. The kernels are in Gemm.Vector.cs; the matrix-vector tile (M = 1) is in
// Gemm.MatVec512.cs.
public static partial class Gemm
{
    private const int Width512 = 16;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Slice512<TActivation>(in GemmArgs g, int j0, int j1)
        where TActivation : struct, IActivation =>
        SliceVectors<Simd512, Vector512<float>, TActivation, AllSteps>(g, j0, j1);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static unsafe void ColumnSums512(int rows, int columns, float* a, float* sums) =>
        ColumnSumsVectors<Simd512, Vector512<float>>(rows, columns, a, sums);
}

/// <summary>The 16-wide operations, for the kernels written over <see cref="IVectorOps{TVector}"/>.</summary>
internal readonly unsafe struct Simd512 : IGemmVectorOps<Vector512<float>>
{
    public static int Width => Vector512<float>.Count;
    public static int TileVectors => 4;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Load(float* source) => Vector512.Load(source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Load(ref float source, nuint index) => Vector512.LoadUnsafe(ref source, index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector512<float> value, float* destination) => value.Store(destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector512<float> value, ref float destination, nuint index) => value.StoreUnsafe(ref destination, index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Broadcast(float value) => Vector512.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Add(Vector512<float> left, Vector512<float> right) => left + right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Subtract(Vector512<float> left, Vector512<float> right) => left - right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Multiply(Vector512<float> left, Vector512<float> right) => left * right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Divide(Vector512<float> left, Vector512<float> right) => left / right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Sqrt(Vector512<float> value) => Vector512.Sqrt(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> MultiplyAdd(Vector512<float> a, Vector512<float> b, Vector512<float> c) =>
        Kernels.MultiplyAdd.Vector(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Forward<TActivation>(Vector512<float> z)
        where TActivation : struct, IActivation => Apply<TActivation>.Forward(z);

    /// <summary>A slice narrower than 16 columns: one masked vector per row (Gemm.Masked512.cs) when the activation
    /// gives the same bits at every width; otherwise the 8-wide tile, whose width the convolution's direct kernel
    /// also picks for so few filters, so that its im2col product agrees with it bit for bit.</summary>
    public static void NarrowerSlice<TActivation>(in GemmArgs g, int j0, int j1)
        where TActivation : struct, IActivation
    {
        if (Apply<TActivation>.ExactAtEveryWidth)
            Gemm.MaskedSlice512<TActivation>(g, j0, j1);
        else
            Gemm.Slice256<TActivation>(g, j0, j1);
    }

    public static void NarrowerColumnSums(int rows, int columns, float* a, float* sums) =>
        Gemm.ColumnSums256(rows, columns, a, sums);
}
