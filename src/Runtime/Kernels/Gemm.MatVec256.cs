using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace SourceNet.Kernels;

// One row of A on the 8-wide path (single-sample inference, m = 1, on AVX2 machines). The 6x2 tile would run one
// row as two FMA chains, while two FMA pipes with a 4-cycle latency need eight in flight: a quarter of the peak.
// A row of 12 vectors (96 columns) keeps twelve independent chains in 14 of the 16 ymm registers (12 sums, the
// broadcast and B's vector) and reads 384 contiguous bytes of B's row p per step.
// Every column is still one FMA chain over p in order from its bias, so the values equal the 6x2 tile's.
public static partial class Gemm
{
    private const int Width256 = 8;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MatVecSlice256<TActivation>(in GemmArgs g, int j0, int j1)
        where TActivation : struct, IActivation
    {
        if (j1 - j0 < Width256)
        {
            Slice256<TActivation>(g, j0, j1);
            return;
        }
        int j = j0;
        for (; j + MatVecVectors * Width256 <= j1; j += MatVecVectors * Width256)
            MatVecTile256<TActivation, Count12>(g, j, (MatVecVectors - 1) * Width256);
        int remaining = j1 - j;
        if (remaining == 0)
            return;
        nint last = j1 - Width256 - j;
        switch ((remaining + Width256 - 1) / Width256)
        {
            case 1: MatVecTile256<TActivation, Count1>(g, j + (int)last, 0); break;
            case 2: MatVecTile256<TActivation, Count2>(g, j, last); break;
            case 3: MatVecTile256<TActivation, Count3>(g, j, last); break;
            case 4: MatVecTile256<TActivation, Count4>(g, j, last); break;
            case 5: MatVecTile256<TActivation, Count5>(g, j, last); break;
            case 6: MatVecTile256<TActivation, Count6>(g, j, last); break;
            case 7: MatVecTile256<TActivation, Count7>(g, j, last); break;
            case 8: MatVecTile256<TActivation, Count8>(g, j, last); break;
            case 9: MatVecTile256<TActivation, Count9>(g, j, last); break;
            case 10: MatVecTile256<TActivation, Count10>(g, j, last); break;
            case 11: MatVecTile256<TActivation, Count11>(g, j, last); break;
            default: MatVecTile256<TActivation, Count12>(g, j, last); break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static nint VectorOffset256(int v, int vectors, nint last) => v == vectors - 1 ? last : v * Width256;

    /// <summary>Row 0 x TVectors 8-wide vectors from column j; the last vector sits at j + <paramref name="last"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void MatVecTile256<TActivation, TVectors>(in GemmArgs g, int j, nint last)
        where TActivation : struct, IActivation
        where TVectors : struct, ITileCount
    {
        int vectors = TVectors.Value;
        nint o1 = VectorOffset256(1, vectors, last), o2 = VectorOffset256(2, vectors, last), o3 = VectorOffset256(3, vectors, last);
        nint o4 = VectorOffset256(4, vectors, last), o5 = VectorOffset256(5, vectors, last), o6 = VectorOffset256(6, vectors, last);
        nint o7 = VectorOffset256(7, vectors, last), o8 = VectorOffset256(8, vectors, last), o9 = VectorOffset256(9, vectors, last);
        nint o10 = VectorOffset256(10, vectors, last), o11 = VectorOffset256(11, vectors, last);

        Vector256<float> c0 = default, c1 = default, c2 = default, c3 = default;
        Vector256<float> c4 = default, c5 = default, c6 = default, c7 = default;
        Vector256<float> c8 = default, c9 = default, c10 = default, c11 = default;
        if (g.Bias != null)
        {
            float* bias = g.Bias + j;
            c0 = Vector256.Load(bias);
            if (vectors > 1) c1 = Vector256.Load(bias + o1);
            if (vectors > 2) c2 = Vector256.Load(bias + o2);
            if (vectors > 3) c3 = Vector256.Load(bias + o3);
            if (vectors > 4) c4 = Vector256.Load(bias + o4);
            if (vectors > 5) c5 = Vector256.Load(bias + o5);
            if (vectors > 6) c6 = Vector256.Load(bias + o6);
            if (vectors > 7) c7 = Vector256.Load(bias + o7);
            if (vectors > 8) c8 = Vector256.Load(bias + o8);
            if (vectors > 9) c9 = Vector256.Load(bias + o9);
            if (vectors > 10) c10 = Vector256.Load(bias + o10);
            if (vectors > 11) c11 = Vector256.Load(bias + o11);
        }
        float* a = g.A;
        nint step = g.AStepStride, ldb = g.BRowStride, offset = 0;
        float* b = g.B + j;
        for (int p = g.K; p > 0; p--)
        {
            Vector256<float> x = Vector256.Create(a[offset]);
            c0 = MultiplyAdd.Vector(x, Vector256.Load(b), c0);
            if (vectors > 1) c1 = MultiplyAdd.Vector(x, Vector256.Load(b + o1), c1);
            if (vectors > 2) c2 = MultiplyAdd.Vector(x, Vector256.Load(b + o2), c2);
            if (vectors > 3) c3 = MultiplyAdd.Vector(x, Vector256.Load(b + o3), c3);
            if (vectors > 4) c4 = MultiplyAdd.Vector(x, Vector256.Load(b + o4), c4);
            if (vectors > 5) c5 = MultiplyAdd.Vector(x, Vector256.Load(b + o5), c5);
            if (vectors > 6) c6 = MultiplyAdd.Vector(x, Vector256.Load(b + o6), c6);
            if (vectors > 7) c7 = MultiplyAdd.Vector(x, Vector256.Load(b + o7), c7);
            if (vectors > 8) c8 = MultiplyAdd.Vector(x, Vector256.Load(b + o8), c8);
            if (vectors > 9) c9 = MultiplyAdd.Vector(x, Vector256.Load(b + o9), c9);
            if (vectors > 10) c10 = MultiplyAdd.Vector(x, Vector256.Load(b + o10), c10);
            if (vectors > 11) c11 = MultiplyAdd.Vector(x, Vector256.Load(b + o11), c11);
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
