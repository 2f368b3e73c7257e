using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace SourceNet.Kernels;

// 8-wide path: machines with AVX2 but not AVX-512, and slices narrower than 16 columns on AVX-512 machines.
// A tile is up to 6 rows x 2 vectors: 12 accumulators + 2 B vectors + 1 broadcast = 15 of AVX2's 16 ymm
// registers. Remainders as in the 16-wide path: narrower row tiles, last column vector shifted left.
public static partial class Gemm
{
    private const int Width256 = 8;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Slice256<TActivation>(in GemmArgs g, int j0, int j1)
        where TActivation : struct, IActivation
    {
        if (j1 - j0 < Width256)
        {
            Slice128<TActivation>(g, j0, j1);
            return;
        }
        int j = j0;
        for (; j + 2 * Width256 <= j1; j += 2 * Width256)
            Rows256<TActivation, Count2>(g, j, Width256);
        int remaining = j1 - j;
        if (remaining == 0)
            return;
        nint last = j1 - Width256 - j;
        if (remaining <= Width256)
            Rows256<TActivation, Count1>(g, j + (int)last, 0);
        else
            Rows256<TActivation, Count2>(g, j, last);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Rows256<TActivation, TVectors>(in GemmArgs g, int j, nint last)
        where TActivation : struct, IActivation
        where TVectors : struct, ITileCount
    {
        int m = g.M, i = 0;
        for (; i + 6 <= m; i += 6)
            Tile256<TActivation, Count6, TVectors>(g, i, j, last);
        switch (m - i)
        {
            case 1: Tile256<TActivation, Count1, TVectors>(g, i, j, last); break;
            case 2: Tile256<TActivation, Count2, TVectors>(g, i, j, last); break;
            case 3: Tile256<TActivation, Count3, TVectors>(g, i, j, last); break;
            case 4: Tile256<TActivation, Count4, TVectors>(g, i, j, last); break;
            case 5: Tile256<TActivation, Count5, TVectors>(g, i, j, last); break;
        }
    }

    /// <summary>Rows [i, i+TRows) x TVectors 8-wide vectors at column j (and j + <paramref name="last"/> for the second).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Tile256<TActivation, TRows, TVectors>(in GemmArgs g, int i, int j, nint last)
        where TActivation : struct, IActivation
        where TRows : struct, ITileCount
        where TVectors : struct, ITileCount
    {
        int rows = TRows.Value;
        bool two = TVectors.Value > 1;
        nint o1 = last;

        Vector256<float> z0 = default, z1 = default;
        if (g.Bias != null)
        {
            z0 = Vector256.Load(g.Bias + j);
            if (two) z1 = Vector256.Load(g.Bias + j + o1);
        }
        Vector256<float> c00 = z0, c01 = z1, c10 = z0, c11 = z1, c20 = z0, c21 = z1;
        Vector256<float> c30 = z0, c31 = z1, c40 = z0, c41 = z1, c50 = z0, c51 = z1;

        nint rs = g.ARowStride, step = g.AStepStride, ldb = g.BRowStride;
        float* a0 = g.A + i * rs;
        float* a1 = a0 + rs;
        float* a2 = a1 + rs;
        float* a3 = a2 + rs;
        float* a4 = a3 + rs;
        float* a5 = a4 + rs;
        float* b = g.B + j;
        nint offset = 0;
        for (int p = g.K; p > 0; p--)
        {
            Vector256<float> b0 = Vector256.Load(b);
            Vector256<float> b1 = two ? Vector256.Load(b + o1) : default;
            Vector256<float> x = Vector256.Create(a0[offset]);
            c00 = MultiplyAdd.Vector(x, b0, c00);
            if (two) c01 = MultiplyAdd.Vector(x, b1, c01);
            if (rows > 1)
            {
                x = Vector256.Create(a1[offset]);
                c10 = MultiplyAdd.Vector(x, b0, c10);
                if (two) c11 = MultiplyAdd.Vector(x, b1, c11);
            }
            if (rows > 2)
            {
                x = Vector256.Create(a2[offset]);
                c20 = MultiplyAdd.Vector(x, b0, c20);
                if (two) c21 = MultiplyAdd.Vector(x, b1, c21);
            }
            if (rows > 3)
            {
                x = Vector256.Create(a3[offset]);
                c30 = MultiplyAdd.Vector(x, b0, c30);
                if (two) c31 = MultiplyAdd.Vector(x, b1, c31);
            }
            if (rows > 4)
            {
                x = Vector256.Create(a4[offset]);
                c40 = MultiplyAdd.Vector(x, b0, c40);
                if (two) c41 = MultiplyAdd.Vector(x, b1, c41);
            }
            if (rows > 5)
            {
                x = Vector256.Create(a5[offset]);
                c50 = MultiplyAdd.Vector(x, b0, c50);
                if (two) c51 = MultiplyAdd.Vector(x, b1, c51);
            }
            offset += step;
            b += ldb;
        }

        nint ldc = g.CRowStride;
        float* c = g.C + i * ldc + j;
        TActivation.Forward(c00).Store(c);
        if (two) TActivation.Forward(c01).Store(c + o1);
        if (rows > 1) { c += ldc; TActivation.Forward(c10).Store(c); if (two) TActivation.Forward(c11).Store(c + o1); }
        if (rows > 2) { c += ldc; TActivation.Forward(c20).Store(c); if (two) TActivation.Forward(c21).Store(c + o1); }
        if (rows > 3) { c += ldc; TActivation.Forward(c30).Store(c); if (two) TActivation.Forward(c31).Store(c + o1); }
        if (rows > 4) { c += ldc; TActivation.Forward(c40).Store(c); if (two) TActivation.Forward(c41).Store(c + o1); }
        if (rows > 5) { c += ldc; TActivation.Forward(c50).Store(c); if (two) TActivation.Forward(c51).Store(c + o1); }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void ColumnSums256(int rows, int columns, float* a, float* sums)
    {
        if (columns < Width256)
        {
            ColumnSums128(rows, columns, a, sums);
            return;
        }
        for (int j = 0; j < columns; j += Width256)
        {
            int start = j + Width256 <= columns ? j : columns - Width256;
            Vector256<float> s0 = default;
            float* row = a + start;
            for (int i = 0; i < rows; i++)
            {
                s0 += Vector256.Load(row);
                row += columns;
            }
            s0.Store(sums + start);
        }
    }
}
