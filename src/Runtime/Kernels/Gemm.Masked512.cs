using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SourceNet.Kernels;

// Products narrower than one 512-bit vector (a 10-class output layer: N = 10): one masked vector per row, so a step
// costs one FMA per row, where the AVX2 tile would run two overlapping 8-wide halves. Twelve rows per tile: twelve
// independent chains cover the FMA latency (4 cycles at 2 FMAs a cycle needs 8), which six did not. Lanes past the slice are
// neither loaded nor stored, so nothing is read past the end of B or the bias, or written past the end of C. Each
// lane runs the same chain of FMAs over k in increasing order, from its bias, as every other tile: the same bits.
public static partial class Gemm
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void MaskedSlice512<TActivation>(in GemmArgs g, int j0, int j1)
        where TActivation : struct, IActivation
    {
        Vector512<float> lanes = Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(j1 - j0)).AsSingle();
        int m = g.M, i = 0;
        for (; i + 12 <= m; i += 12)
            MaskedRows512<TActivation, Count12>(g, i, j0, lanes);
        if (i + 6 <= m)
        {
            MaskedRows512<TActivation, Count6>(g, i, j0, lanes);
            i += 6;
        }
        switch (m - i)
        {
            case 1: MaskedRows512<TActivation, Count1>(g, i, j0, lanes); break;
            case 2: MaskedRows512<TActivation, Count2>(g, i, j0, lanes); break;
            case 3: MaskedRows512<TActivation, Count3>(g, i, j0, lanes); break;
            case 4: MaskedRows512<TActivation, Count4>(g, i, j0, lanes); break;
            case 5: MaskedRows512<TActivation, Count5>(g, i, j0, lanes); break;
        }
    }

    /// <summary>Rows [i, i + TRows) x the lanes of <paramref name="lanes"/> from column j.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void MaskedRows512<TActivation, TRows>(in GemmArgs g, int i, int j, Vector512<float> lanes)
        where TActivation : struct, IActivation
        where TRows : struct, ITileCount
    {
        int rows = TRows.Value;
        Vector512<float> z = g.Bias != null ? Avx512F.MaskLoad(g.Bias + j, lanes, Vector512<float>.Zero) : default;
        Vector512<float> c0 = z, c1 = z, c2 = z, c3 = z, c4 = z, c5 = z;
        Vector512<float> c6 = z, c7 = z, c8 = z, c9 = z, c10 = z, c11 = z;
        nint rs = g.ARowStride, step = g.AStepStride, ldb = g.BRowStride;
        float* a0 = g.A + i * rs;
        float* b = g.B + j;
        nint offset = 0;
        for (int p = g.K; p > 0; p--)
        {
            Vector512<float> bp = Avx512F.MaskLoad(b, lanes, Vector512<float>.Zero);
            c0 = MultiplyAdd.Vector(Vector512.Create(a0[offset]), bp, c0);
            if (rows > 1) c1 = MultiplyAdd.Vector(Vector512.Create(a0[offset + rs]), bp, c1);
            if (rows > 2) c2 = MultiplyAdd.Vector(Vector512.Create(a0[offset + 2 * rs]), bp, c2);
            if (rows > 3) c3 = MultiplyAdd.Vector(Vector512.Create(a0[offset + 3 * rs]), bp, c3);
            if (rows > 4) c4 = MultiplyAdd.Vector(Vector512.Create(a0[offset + 4 * rs]), bp, c4);
            if (rows > 5) c5 = MultiplyAdd.Vector(Vector512.Create(a0[offset + 5 * rs]), bp, c5);
            if (rows > 6) c6 = MultiplyAdd.Vector(Vector512.Create(a0[offset + 6 * rs]), bp, c6);
            if (rows > 7) c7 = MultiplyAdd.Vector(Vector512.Create(a0[offset + 7 * rs]), bp, c7);
            if (rows > 8) c8 = MultiplyAdd.Vector(Vector512.Create(a0[offset + 8 * rs]), bp, c8);
            if (rows > 9) c9 = MultiplyAdd.Vector(Vector512.Create(a0[offset + 9 * rs]), bp, c9);
            if (rows > 10) c10 = MultiplyAdd.Vector(Vector512.Create(a0[offset + 10 * rs]), bp, c10);
            if (rows > 11) c11 = MultiplyAdd.Vector(Vector512.Create(a0[offset + 11 * rs]), bp, c11);
            offset += step;
            b += ldb;
        }
        nint ldc = g.CRowStride;
        float* c = g.C + i * ldc + j;
        Avx512F.MaskStore(c, lanes, Apply<TActivation>.Forward(c0));
        if (rows > 1) Avx512F.MaskStore(c + ldc, lanes, Apply<TActivation>.Forward(c1));
        if (rows > 2) Avx512F.MaskStore(c + 2 * ldc, lanes, Apply<TActivation>.Forward(c2));
        if (rows > 3) Avx512F.MaskStore(c + 3 * ldc, lanes, Apply<TActivation>.Forward(c3));
        if (rows > 4) Avx512F.MaskStore(c + 4 * ldc, lanes, Apply<TActivation>.Forward(c4));
        if (rows > 5) Avx512F.MaskStore(c + 5 * ldc, lanes, Apply<TActivation>.Forward(c5));
        if (rows > 6) Avx512F.MaskStore(c + 6 * ldc, lanes, Apply<TActivation>.Forward(c6));
        if (rows > 7) Avx512F.MaskStore(c + 7 * ldc, lanes, Apply<TActivation>.Forward(c7));
        if (rows > 8) Avx512F.MaskStore(c + 8 * ldc, lanes, Apply<TActivation>.Forward(c8));
        if (rows > 9) Avx512F.MaskStore(c + 9 * ldc, lanes, Apply<TActivation>.Forward(c9));
        if (rows > 10) Avx512F.MaskStore(c + 10 * ldc, lanes, Apply<TActivation>.Forward(c10));
        if (rows > 11) Avx512F.MaskStore(c + 11 * ldc, lanes, Apply<TActivation>.Forward(c11));
    }
}
