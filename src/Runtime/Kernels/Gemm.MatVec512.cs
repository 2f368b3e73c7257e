using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace SourceNet.Kernels;

// One row of A (single-sample inference, m = 1). There is no reuse of B to block for: the product streams
// the whole weight matrix once, so it is bound by memory, not FMAs. The tile therefore widens to 12 vectors
// (192 columns) of one row: each step reads up to 768 contiguous bytes of B's row p, which the prefetcher
// follows far better than the 256-byte pieces of the 6x64 tile, and a thread's half of a 300-column matrix
// is one pass.
// Every column is still one FMA chain over p in order, so the values equal the batched kernel's.
public static partial class Gemm
{
    /// <summary>Vectors in the widest matrix-vector tile.</summary>
    private const int MatVecVectors = 12;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MatVecSlice512<TActivation>(in GemmArgs g, int j0, int j1)
        where TActivation : struct, IActivation
    {
        if (j1 - j0 < Width512)
        {
            Simd512.NarrowerSlice<TActivation>(g, j0, j1);
            return;
        }
        WideRowSlice512<MatVecRowTile, TActivation>(g, j0, j1);
    }

    /// <summary>A tile of one output row x up to <see cref="MatVecVectors"/> vectors, run per row of a slice: the
    /// matrix-vector tile and the sparse-row tile (Gemm.SparseTile512.cs).</summary>
    private interface IWideRowTile
    {
        static abstract void Run<TActivation, TVectors>(in GemmArgs g, int j, nint last)
            where TActivation : struct, IActivation
            where TVectors : struct, ITileCount;
    }

    private readonly struct MatVecRowTile : IWideRowTile
    {
        public static void Run<TActivation, TVectors>(in GemmArgs g, int j, nint last)
            where TActivation : struct, IActivation
            where TVectors : struct, ITileCount => MatVecTile512<TActivation, TVectors>(g, j, last);
    }

    /// <summary>Columns [j0, j1) (at least one vector) in tiles of <see cref="MatVecVectors"/> vectors, the remainder
    /// in one narrower tile whose last vector is shifted to end at j1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void WideRowSlice512<TTile, TActivation>(in GemmArgs g, int j0, int j1)
        where TTile : struct, IWideRowTile
        where TActivation : struct, IActivation
    {
        int j = j0;
        for (; j + MatVecVectors * Width512 <= j1; j += MatVecVectors * Width512)
            TTile.Run<TActivation, Count12>(g, j, (MatVecVectors - 1) * Width512);
        int remaining = j1 - j;
        if (remaining == 0)
            return;
        nint last = j1 - Width512 - j;
        switch ((remaining + Width512 - 1) / Width512)
        {
            case 1: TTile.Run<TActivation, Count1>(g, j + (int)last, 0); break;
            case 2: TTile.Run<TActivation, Count2>(g, j, last); break;
            case 3: TTile.Run<TActivation, Count3>(g, j, last); break;
            case 4: TTile.Run<TActivation, Count4>(g, j, last); break;
            case 5: TTile.Run<TActivation, Count5>(g, j, last); break;
            case 6: TTile.Run<TActivation, Count6>(g, j, last); break;
            case 7: TTile.Run<TActivation, Count7>(g, j, last); break;
            case 8: TTile.Run<TActivation, Count8>(g, j, last); break;
            case 9: TTile.Run<TActivation, Count9>(g, j, last); break;
            case 10: TTile.Run<TActivation, Count10>(g, j, last); break;
            case 11: TTile.Run<TActivation, Count11>(g, j, last); break;
            default: TTile.Run<TActivation, Count12>(g, j, last); break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static nint VectorOffset(int v, int vectors, nint last) => v == vectors - 1 ? last : v * Width512;

    /// <summary>Row 0 x TVectors vectors from column j; the last vector sits at j + <paramref name="last"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void MatVecTile512<TActivation, TVectors>(in GemmArgs g, int j, nint last)
        where TActivation : struct, IActivation
        where TVectors : struct, ITileCount
    {
        int vectors = TVectors.Value;
        nint o1 = VectorOffset(1, vectors, last), o2 = VectorOffset(2, vectors, last), o3 = VectorOffset(3, vectors, last);
        nint o4 = VectorOffset(4, vectors, last), o5 = VectorOffset(5, vectors, last), o6 = VectorOffset(6, vectors, last);
        nint o7 = VectorOffset(7, vectors, last), o8 = VectorOffset(8, vectors, last), o9 = VectorOffset(9, vectors, last);
        nint o10 = VectorOffset(10, vectors, last), o11 = VectorOffset(11, vectors, last);

        Vector512<float> c0 = default, c1 = default, c2 = default, c3 = default;
        Vector512<float> c4 = default, c5 = default, c6 = default, c7 = default;
        Vector512<float> c8 = default, c9 = default, c10 = default, c11 = default;
        if (g.Bias != null)
        {
            float* bias = g.Bias + j;
            c0 = Vector512.Load(bias);
            if (vectors > 1) c1 = Vector512.Load(bias + o1);
            if (vectors > 2) c2 = Vector512.Load(bias + o2);
            if (vectors > 3) c3 = Vector512.Load(bias + o3);
            if (vectors > 4) c4 = Vector512.Load(bias + o4);
            if (vectors > 5) c5 = Vector512.Load(bias + o5);
            if (vectors > 6) c6 = Vector512.Load(bias + o6);
            if (vectors > 7) c7 = Vector512.Load(bias + o7);
            if (vectors > 8) c8 = Vector512.Load(bias + o8);
            if (vectors > 9) c9 = Vector512.Load(bias + o9);
            if (vectors > 10) c10 = Vector512.Load(bias + o10);
            if (vectors > 11) c11 = Vector512.Load(bias + o11);
        }
        float* a = g.A;
        nint step = g.AStepStride, ldb = g.BRowStride, offset = 0;
        float* b = g.B + j;
        for (int p = g.K; p > 0; p--)
        {
            Vector512<float> x = Vector512.Create(a[offset]);
            c0 = MultiplyAdd.Vector(x, Vector512.Load(b), c0);
            if (vectors > 1) c1 = MultiplyAdd.Vector(x, Vector512.Load(b + o1), c1);
            if (vectors > 2) c2 = MultiplyAdd.Vector(x, Vector512.Load(b + o2), c2);
            if (vectors > 3) c3 = MultiplyAdd.Vector(x, Vector512.Load(b + o3), c3);
            if (vectors > 4) c4 = MultiplyAdd.Vector(x, Vector512.Load(b + o4), c4);
            if (vectors > 5) c5 = MultiplyAdd.Vector(x, Vector512.Load(b + o5), c5);
            if (vectors > 6) c6 = MultiplyAdd.Vector(x, Vector512.Load(b + o6), c6);
            if (vectors > 7) c7 = MultiplyAdd.Vector(x, Vector512.Load(b + o7), c7);
            if (vectors > 8) c8 = MultiplyAdd.Vector(x, Vector512.Load(b + o8), c8);
            if (vectors > 9) c9 = MultiplyAdd.Vector(x, Vector512.Load(b + o9), c9);
            if (vectors > 10) c10 = MultiplyAdd.Vector(x, Vector512.Load(b + o10), c10);
            if (vectors > 11) c11 = MultiplyAdd.Vector(x, Vector512.Load(b + o11), c11);
            offset += step;
            b += ldb;
        }
        float* c = g.C + j;
        Apply<TActivation>.Forward(c0).Store(c);
        if (vectors > 1) Apply<TActivation>.Forward(c1).Store(c + o1);
        if (vectors > 2) Apply<TActivation>.Forward(c2).Store(c + o2);
        if (vectors > 3) Apply<TActivation>.Forward(c3).Store(c + o3);
        if (vectors > 4) Apply<TActivation>.Forward(c4).Store(c + o4);
        if (vectors > 5) Apply<TActivation>.Forward(c5).Store(c + o5);
        if (vectors > 6) Apply<TActivation>.Forward(c6).Store(c + o6);
        if (vectors > 7) Apply<TActivation>.Forward(c7).Store(c + o7);
        if (vectors > 8) Apply<TActivation>.Forward(c8).Store(c + o8);
        if (vectors > 9) Apply<TActivation>.Forward(c9).Store(c + o9);
        if (vectors > 10) Apply<TActivation>.Forward(c10).Store(c + o10);
        if (vectors > 11) Apply<TActivation>.Forward(c11).Store(c + o11);
    }
}
