using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace SourceNet.Kernels;

// AVX-512 path. A tile is up to 6 rows x 4 vectors (6x64 floats): 24 zmm accumulators, 4 for the B row and
// one broadcast, which fits the 32 registers. Per step p it loads four vectors of B's row p and broadcasts six
// values of A, for 24 FMAs, so it runs at the FMA limit from L1/L2 without packing A or B.
//
// Remainders: rows by a narrower tile (TRows < 6); columns by a tile whose last vector is shifted left to end
// exactly at the slice's last column. The shifted vector recomputes a few columns of its neighbour with the
// same operations in the same order, so the overlap stores identical values: no masks, no scalar tail.
// Slices narrower than one vector fall to the 8-wide path.
public static partial class Gemm
{
    private const int Width512 = 16;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Slice512<TActivation>(in GemmArgs g, int j0, int j1)
        where TActivation : struct, IActivation
    {
        if (j1 - j0 < Width512)
        {
            Slice256<TActivation>(g, j0, j1);
            return;
        }
        int j = j0;
        // Column panels outer, rows inner: the k x 64 panel of B stays in L1/L2 while every row tile uses it.
        for (; j + 4 * Width512 <= j1; j += 4 * Width512)
            Rows512<TActivation, Count4>(g, j, 3 * Width512);
        int remaining = j1 - j;
        if (remaining == 0)
            return;
        nint last = j1 - Width512 - j;
        switch ((remaining + Width512 - 1) / Width512)
        {
            case 1: Rows512<TActivation, Count1>(g, j + (int)last, 0); break; // one vector: it is the shifted one
            case 2: Rows512<TActivation, Count2>(g, j, last); break;
            case 3: Rows512<TActivation, Count3>(g, j, last); break;
            default: Rows512<TActivation, Count4>(g, j, last); break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Rows512<TActivation, TVectors>(in GemmArgs g, int j, nint last)
        where TActivation : struct, IActivation
        where TVectors : struct, ITileCount
    {
        int m = g.M, i = 0;
        for (; i + 6 <= m; i += 6)
            Tile512<TActivation, Count6, TVectors>(g, i, j, last);
        switch (m - i)
        {
            case 1: Tile512<TActivation, Count1, TVectors>(g, i, j, last); break;
            case 2: Tile512<TActivation, Count2, TVectors>(g, i, j, last); break;
            case 3: Tile512<TActivation, Count3, TVectors>(g, i, j, last); break;
            case 4: Tile512<TActivation, Count4, TVectors>(g, i, j, last); break;
            case 5: Tile512<TActivation, Count5, TVectors>(g, i, j, last); break;
        }
    }

    /// <summary>
    /// Rows [i, i+TRows) x TVectors vectors starting at column j; vector v sits at j + 16v except the last of
    /// two or more, which sits at j + <paramref name="last"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Tile512<TActivation, TRows, TVectors>(in GemmArgs g, int i, int j, nint last)
        where TActivation : struct, IActivation
        where TRows : struct, ITileCount
        where TVectors : struct, ITileCount
    {
        int rows = TRows.Value, vectors = TVectors.Value;
        nint o1 = vectors == 2 ? last : Width512;
        nint o2 = vectors == 3 ? last : 2 * Width512;
        nint o3 = last;

        Vector512<float> z0 = default, z1 = default, z2 = default, z3 = default;
        if (g.Bias != null)
        {
            // The bias starts the sums, so it costs nothing per step.
            float* bias = g.Bias + j;
            z0 = Vector512.Load(bias);
            if (vectors > 1) z1 = Vector512.Load(bias + o1);
            if (vectors > 2) z2 = Vector512.Load(bias + o2);
            if (vectors > 3) z3 = Vector512.Load(bias + o3);
        }
        Vector512<float> c00 = z0, c01 = z1, c02 = z2, c03 = z3;
        Vector512<float> c10 = z0, c11 = z1, c12 = z2, c13 = z3;
        Vector512<float> c20 = z0, c21 = z1, c22 = z2, c23 = z3;
        Vector512<float> c30 = z0, c31 = z1, c32 = z2, c33 = z3;
        Vector512<float> c40 = z0, c41 = z1, c42 = z2, c43 = z3;
        Vector512<float> c50 = z0, c51 = z1, c52 = z2, c53 = z3;

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
            Vector512<float> b0 = Vector512.Load(b);
            Vector512<float> b1 = vectors > 1 ? Vector512.Load(b + o1) : default;
            Vector512<float> b2 = vectors > 2 ? Vector512.Load(b + o2) : default;
            Vector512<float> b3 = vectors > 3 ? Vector512.Load(b + o3) : default;
            Vector512<float> x = Vector512.Create(a0[offset]);
            c00 = MultiplyAdd.Vector(x, b0, c00);
            if (vectors > 1) c01 = MultiplyAdd.Vector(x, b1, c01);
            if (vectors > 2) c02 = MultiplyAdd.Vector(x, b2, c02);
            if (vectors > 3) c03 = MultiplyAdd.Vector(x, b3, c03);
            if (rows > 1)
            {
                x = Vector512.Create(a1[offset]);
                c10 = MultiplyAdd.Vector(x, b0, c10);
                if (vectors > 1) c11 = MultiplyAdd.Vector(x, b1, c11);
                if (vectors > 2) c12 = MultiplyAdd.Vector(x, b2, c12);
                if (vectors > 3) c13 = MultiplyAdd.Vector(x, b3, c13);
            }
            if (rows > 2)
            {
                x = Vector512.Create(a2[offset]);
                c20 = MultiplyAdd.Vector(x, b0, c20);
                if (vectors > 1) c21 = MultiplyAdd.Vector(x, b1, c21);
                if (vectors > 2) c22 = MultiplyAdd.Vector(x, b2, c22);
                if (vectors > 3) c23 = MultiplyAdd.Vector(x, b3, c23);
            }
            if (rows > 3)
            {
                x = Vector512.Create(a3[offset]);
                c30 = MultiplyAdd.Vector(x, b0, c30);
                if (vectors > 1) c31 = MultiplyAdd.Vector(x, b1, c31);
                if (vectors > 2) c32 = MultiplyAdd.Vector(x, b2, c32);
                if (vectors > 3) c33 = MultiplyAdd.Vector(x, b3, c33);
            }
            if (rows > 4)
            {
                x = Vector512.Create(a4[offset]);
                c40 = MultiplyAdd.Vector(x, b0, c40);
                if (vectors > 1) c41 = MultiplyAdd.Vector(x, b1, c41);
                if (vectors > 2) c42 = MultiplyAdd.Vector(x, b2, c42);
                if (vectors > 3) c43 = MultiplyAdd.Vector(x, b3, c43);
            }
            if (rows > 5)
            {
                x = Vector512.Create(a5[offset]);
                c50 = MultiplyAdd.Vector(x, b0, c50);
                if (vectors > 1) c51 = MultiplyAdd.Vector(x, b1, c51);
                if (vectors > 2) c52 = MultiplyAdd.Vector(x, b2, c52);
                if (vectors > 3) c53 = MultiplyAdd.Vector(x, b3, c53);
            }
            offset += step;
            b += ldb;
        }

        // Epilogue: activation applied in registers, one store per vector.
        nint ldc = g.CRowStride;
        float* c = g.C + i * ldc + j;
        Store512<TActivation, TVectors>(c, o1, o2, o3, c00, c01, c02, c03);
        if (rows > 1) Store512<TActivation, TVectors>(c + ldc, o1, o2, o3, c10, c11, c12, c13);
        if (rows > 2) Store512<TActivation, TVectors>(c + 2 * ldc, o1, o2, o3, c20, c21, c22, c23);
        if (rows > 3) Store512<TActivation, TVectors>(c + 3 * ldc, o1, o2, o3, c30, c31, c32, c33);
        if (rows > 4) Store512<TActivation, TVectors>(c + 4 * ldc, o1, o2, o3, c40, c41, c42, c43);
        if (rows > 5) Store512<TActivation, TVectors>(c + 5 * ldc, o1, o2, o3, c50, c51, c52, c53);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Store512<TActivation, TVectors>(float* c, nint o1, nint o2, nint o3,
        Vector512<float> v0, Vector512<float> v1, Vector512<float> v2, Vector512<float> v3)
        where TActivation : struct, IActivation
        where TVectors : struct, ITileCount
    {
        TActivation.Forward(v0).Store(c);
        if (TVectors.Value > 1) TActivation.Forward(v1).Store(c + o1);
        if (TVectors.Value > 2) TActivation.Forward(v2).Store(c + o2);
        if (TVectors.Value > 3) TActivation.Forward(v3).Store(c + o3);
    }

    /// <summary>sums[j] = Σ_i a[i·columns + j] for j in [0, columns), four vectors of columns per pass.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void ColumnSums512(int rows, int columns, float* a, float* sums)
    {
        if (columns < Width512)
        {
            ColumnSums256(rows, columns, a, sums);
            return;
        }
        int j = 0;
        for (; j + 4 * Width512 <= columns; j += 4 * Width512)
        {
            Vector512<float> s0 = default, s1 = default, s2 = default, s3 = default;
            float* row = a + j;
            for (int i = 0; i < rows; i++)
            {
                s0 += Vector512.Load(row);
                s1 += Vector512.Load(row + Width512);
                s2 += Vector512.Load(row + 2 * Width512);
                s3 += Vector512.Load(row + 3 * Width512);
                row += columns;
            }
            s0.Store(sums + j);
            s1.Store(sums + j + Width512);
            s2.Store(sums + j + 2 * Width512);
            s3.Store(sums + j + 3 * Width512);
        }
        for (; j < columns; j += Width512)
        {
            // The last vector is shifted left to end at the last column; the overlap is recomputed identically.
            int start = j + Width512 <= columns ? j : columns - Width512;
            Vector512<float> s0 = default;
            float* row = a + start;
            for (int i = 0; i < rows; i++)
            {
                s0 += Vector512.Load(row);
                row += columns;
            }
            s0.Store(sums + start);
        }
    }
}
