using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SourceNet.Kernels;

// The sparse-A tile (see Gemm.Sparse512.cs for the compressed rows and why the results equal the dense kernel's):
// one output row x up to 12 vectors, walking that row's nonzero entries in increasing p. Column remainders use the
// same shifted last vector as every other tile.
public static partial class Gemm
{
    /// <summary>How many nonzero entries ahead the sparse tile prefetches B's rows.</summary>
    /// <remarks>4 and 12 measured alike on Zen 5 with B in L2 (quick timer); in training B (W1) has just been
    /// streamed through by Adam and comes partly from L3, which a longer distance covers better.</remarks>
    private const int PrefetchAhead = 8;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SparseSlice512<TActivation>(in GemmArgs g, int j0, int j1)
        where TActivation : struct, IActivation
    {
        // CompressRows runs only when N >= 16, and chunks are at least a vector wide: every slice holds a vector.
        WideRowSlice512<SparseRowsTile, TActivation>(g, j0, j1);
    }

    private readonly struct SparseRowsTile : IWideRowTile
    {
        public static void Run<TActivation, TVectors>(in GemmArgs g, int j, nint last)
            where TActivation : struct, IActivation
            where TVectors : struct, ITileCount => SparseRows512<TActivation, TVectors>(g, j, last);
    }

    /// <summary>Every row x TVectors vectors from column j; the last vector sits at j + <paramref name="last"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void SparseRows512<TActivation, TVectors>(in GemmArgs g, int j, nint last)
        where TActivation : struct, IActivation
        where TVectors : struct, ITileCount
    {
        int vectors = TVectors.Value;
        nint o1 = VectorOffset(1, vectors, last), o2 = VectorOffset(2, vectors, last), o3 = VectorOffset(3, vectors, last);
        nint o4 = VectorOffset(4, vectors, last), o5 = VectorOffset(5, vectors, last), o6 = VectorOffset(6, vectors, last);
        nint o7 = VectorOffset(7, vectors, last), o8 = VectorOffset(8, vectors, last), o9 = VectorOffset(9, vectors, last);
        nint o10 = VectorOffset(10, vectors, last), o11 = VectorOffset(11, vectors, last);
        nint ldb = g.BRowStride, ldc = g.CRowStride;
        int* rowStart = g.SparseRowStart;
        int* index = g.SparseIndex;
        float* value = g.SparseValue;
        float* b0 = g.B + j;
        for (int i = 0; i < g.M; i++)
        {
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
            for (int q = rowStart[i], end = rowStart[i + 1]; q < end; q++)
            {
                Vector512<float> x = Vector512.Create(value[q]);
                float* b = b0 + index[q] * ldb;
                // The rows of B a row of A selects are scattered, so no hardware prefetcher sees them coming: ask for
                // the one PrefetchAhead entries on. (index has PrefetchAhead spare entries past the last row; a
                // prefetch of an address that is not mapped does nothing.)
                float* ahead = b0 + index[q + PrefetchAhead] * ldb;
                Sse.Prefetch0(ahead);
                if (vectors > 1) Sse.Prefetch0(ahead + o1);
                if (vectors > 2) Sse.Prefetch0(ahead + o2);
                if (vectors > 3) Sse.Prefetch0(ahead + o3);
                if (vectors > 4) Sse.Prefetch0(ahead + o4);
                if (vectors > 5) Sse.Prefetch0(ahead + o5);
                if (vectors > 6) Sse.Prefetch0(ahead + o6);
                if (vectors > 7) Sse.Prefetch0(ahead + o7);
                if (vectors > 8) Sse.Prefetch0(ahead + o8);
                if (vectors > 9) Sse.Prefetch0(ahead + o9);
                if (vectors > 10) Sse.Prefetch0(ahead + o10);
                if (vectors > 11) Sse.Prefetch0(ahead + o11);
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
            }
            float* c = g.C + i * ldc + j;
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
}
