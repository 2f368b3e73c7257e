using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace SourceNet.Kernels;

// The tile kernel, written once over the vector width. TOps (Simd128, Simd256 or Simd512) is a struct, so the JIT
// compiles a separate copy for each width, as it does for TRows and TVectors, and each copy is the code the
// hand-written Vector128/Vector256/Vector512 kernels were: same loads, broadcasts, FMAs and stores, in the same order.
//
// A tile is up to 6 rows x TVectors vectors (4 on AVX-512: 24 zmm accumulators, 4 for the B row and one broadcast in
// 32 registers; 2 on narrower paths: 12 + 2 + 1 in 16). Per step p it loads TVectors vectors of B's row p and
// broadcasts six values of A, so it runs at the FMA limit from L1/L2 without packing A or B.
//
// Remainders: rows by a narrower tile (TRows < 6); columns by a tile whose last vector is shifted left to end
// exactly at the slice's last column. The shifted vector recomputes a few columns of its neighbour with the
// same operations in the same order, so the overlap stores identical values: no masks, no scalar tail.
// Slices narrower than one vector fall to the next narrower path.
public static partial class Gemm
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SliceVectors<TOps, TVector, TActivation, TSteps>(in GemmArgs g, int j0, int j1)
        where TOps : struct, IGemmVectorOps<TVector>
        where TVector : struct
        where TActivation : struct, IActivation
        where TSteps : struct, IStepWalk
    {
        int width = TOps.Width;
        if (j1 - j0 < width)
        {
            // Dense: the same sums as skipping the zero steps (see Gemm.TileSteps.cs).
            TOps.NarrowerSlice<TActivation>(g, j0, j1);
            return;
        }
        int j = j0;
        // Column panels outer, rows inner: the k x panel of B stays in L1/L2 while every row tile uses it.
        if (TOps.TileVectors == 4)
        {
            for (; j + 4 * width <= j1; j += 4 * width)
                RowsVectors<TOps, TVector, TActivation, TSteps, Count4>(g, j, 3 * width);
        }
        else
        {
            for (; j + 2 * width <= j1; j += 2 * width)
                RowsVectors<TOps, TVector, TActivation, TSteps, Count2>(g, j, width);
        }
        int remaining = j1 - j;
        if (remaining == 0)
            return;
        nint last = j1 - width - j;
        int vectors = (remaining + width - 1) / width;
        if (vectors == 1)
            RowsVectors<TOps, TVector, TActivation, TSteps, Count1>(g, j + (int)last, 0); // one vector: it is the shifted one
        else if (vectors == 2 || TOps.TileVectors == 2)
            RowsVectors<TOps, TVector, TActivation, TSteps, Count2>(g, j, last);
        else if (vectors == 3)
            RowsVectors<TOps, TVector, TActivation, TSteps, Count3>(g, j, last);
        else
            RowsVectors<TOps, TVector, TActivation, TSteps, Count4>(g, j, last);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RowsVectors<TOps, TVector, TActivation, TSteps, TVectors>(in GemmArgs g, int j, nint last)
        where TOps : struct, IGemmVectorOps<TVector>
        where TVector : struct
        where TActivation : struct, IActivation
        where TSteps : struct, IStepWalk
        where TVectors : struct, ITileCount
    {
        int m = g.M, i = 0;
        for (; i + 6 <= m; i += 6)
            TileVectors<TOps, TVector, TActivation, TSteps, Count6, TVectors>(g, i, j, last);
        switch (m - i)
        {
            case 1: TileVectors<TOps, TVector, TActivation, TSteps, Count1, TVectors>(g, i, j, last); break;
            case 2: TileVectors<TOps, TVector, TActivation, TSteps, Count2, TVectors>(g, i, j, last); break;
            case 3: TileVectors<TOps, TVector, TActivation, TSteps, Count3, TVectors>(g, i, j, last); break;
            case 4: TileVectors<TOps, TVector, TActivation, TSteps, Count4, TVectors>(g, i, j, last); break;
            case 5: TileVectors<TOps, TVector, TActivation, TSteps, Count5, TVectors>(g, i, j, last); break;
        }
    }

    /// <summary>
    /// Rows [i, i+TRows) x TVectors vectors starting at column j; vector v sits at j + v·width except the last of
    /// two or more, which sits at j + <paramref name="last"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void TileVectors<TOps, TVector, TActivation, TSteps, TRows, TVectors>(in GemmArgs g, int i, int j, nint last)
        where TOps : struct, IGemmVectorOps<TVector>
        where TVector : struct
        where TActivation : struct, IActivation
        where TSteps : struct, IStepWalk
        where TRows : struct, ITileCount
        where TVectors : struct, ITileCount
    {
        int rows = TRows.Value, vectors = TVectors.Value, width = TOps.Width;
        // Offsets of vectors 1 and 2 from j (vector 3, when there is one, is the last, at `last`).
        nint o1 = vectors > 2 ? width : last;
        nint o2 = vectors > 3 ? 2 * width : last;

        TVector z0 = default, z1 = default, z2 = default, z3 = default;
        if (g.Bias != null)
        {
            // The bias starts the sums, so it costs nothing per step.
            z0 = TOps.Load(g.Bias + j);
            if (vectors > 1) z1 = TOps.Load(g.Bias + j + o1);
            if (vectors > 2) z2 = TOps.Load(g.Bias + j + o2);
            if (vectors > 3) z3 = TOps.Load(g.Bias + j + last);
        }
        TVector c00 = z0, c01 = z1, c02 = z2, c03 = z3;
        TVector c10 = z0, c11 = z1, c12 = z2, c13 = z3;
        TVector c20 = z0, c21 = z1, c22 = z2, c23 = z3;
        TVector c30 = z0, c31 = z1, c32 = z2, c33 = z3;
        TVector c40 = z0, c41 = z1, c42 = z2, c43 = z3;
        TVector c50 = z0, c51 = z1, c52 = z2, c53 = z3;

        nint rs = g.ARowStride, step = g.AStepStride, ldb = g.BRowStride;
        float* a0 = g.A + i * rs;
        float* a1 = a0 + rs;
        float* a2 = a1 + rs;
        float* a3 = a2 + rs;
        float* a4 = a3 + rs;
        float* a5 = a4 + rs;
        float* b = g.B + j;
        nint offset = 0;
        // Dense: every step p in order. Listed: only the steps where one of this tile's rows of A is nonzero, in
        // increasing order (Gemm.TileSteps.cs); a left-out step would have added exact zeros.
        int tile = i / 6;
        int count = TSteps.Listed ? g.TileStepCounts[tile] : g.K;
        int* steps = TSteps.Listed ? g.TileSteps + (nint)tile * g.K : null;
        float* bj = b;
        for (int q = 0; q < count; q++)
        {
            if (TSteps.Listed)
            {
                nint p = steps[q];
                offset = p * step;
                b = bj + p * ldb;
                // Kept steps skip rows of B, which hides them from the hardware prefetcher: ask for the row a few
                // steps on (the lists have spare entries past their end; prefetching a wild address does nothing).
                if (Sse.IsSupported)
                {
                    float* ahead = bj + steps[q + PrefetchAhead] * ldb;
                    Sse.Prefetch0(ahead);
                    if (vectors > 1) Sse.Prefetch0(ahead + o1);
                    if (vectors > 2) Sse.Prefetch0(ahead + o2);
                    if (vectors > 3) Sse.Prefetch0(ahead + last);
                }
            }
            TVector b0 = TOps.Load(b);
            TVector b1 = vectors > 1 ? TOps.Load(b + o1) : default;
            TVector b2 = vectors > 2 ? TOps.Load(b + o2) : default;
            TVector b3 = vectors > 3 ? TOps.Load(b + last) : default;
            TVector x = TOps.Broadcast(a0[offset]);
            c00 = TOps.MultiplyAdd(x, b0, c00);
            if (vectors > 1) c01 = TOps.MultiplyAdd(x, b1, c01);
            if (vectors > 2) c02 = TOps.MultiplyAdd(x, b2, c02);
            if (vectors > 3) c03 = TOps.MultiplyAdd(x, b3, c03);
            if (rows > 1)
            {
                x = TOps.Broadcast(a1[offset]);
                c10 = TOps.MultiplyAdd(x, b0, c10);
                if (vectors > 1) c11 = TOps.MultiplyAdd(x, b1, c11);
                if (vectors > 2) c12 = TOps.MultiplyAdd(x, b2, c12);
                if (vectors > 3) c13 = TOps.MultiplyAdd(x, b3, c13);
            }
            if (rows > 2)
            {
                x = TOps.Broadcast(a2[offset]);
                c20 = TOps.MultiplyAdd(x, b0, c20);
                if (vectors > 1) c21 = TOps.MultiplyAdd(x, b1, c21);
                if (vectors > 2) c22 = TOps.MultiplyAdd(x, b2, c22);
                if (vectors > 3) c23 = TOps.MultiplyAdd(x, b3, c23);
            }
            if (rows > 3)
            {
                x = TOps.Broadcast(a3[offset]);
                c30 = TOps.MultiplyAdd(x, b0, c30);
                if (vectors > 1) c31 = TOps.MultiplyAdd(x, b1, c31);
                if (vectors > 2) c32 = TOps.MultiplyAdd(x, b2, c32);
                if (vectors > 3) c33 = TOps.MultiplyAdd(x, b3, c33);
            }
            if (rows > 4)
            {
                x = TOps.Broadcast(a4[offset]);
                c40 = TOps.MultiplyAdd(x, b0, c40);
                if (vectors > 1) c41 = TOps.MultiplyAdd(x, b1, c41);
                if (vectors > 2) c42 = TOps.MultiplyAdd(x, b2, c42);
                if (vectors > 3) c43 = TOps.MultiplyAdd(x, b3, c43);
            }
            if (rows > 5)
            {
                x = TOps.Broadcast(a5[offset]);
                c50 = TOps.MultiplyAdd(x, b0, c50);
                if (vectors > 1) c51 = TOps.MultiplyAdd(x, b1, c51);
                if (vectors > 2) c52 = TOps.MultiplyAdd(x, b2, c52);
                if (vectors > 3) c53 = TOps.MultiplyAdd(x, b3, c53);
            }
            if (!TSteps.Listed)
            {
                offset += step;
                b += ldb;
            }
        }

        // Epilogue: activation applied in registers, one store per vector.
        nint ldc = g.CRowStride;
        float* c = g.C + i * ldc + j;
        StoreVectors<TOps, TVector, TActivation, TVectors>(c, o1, o2, last, c00, c01, c02, c03);
        if (rows > 1) { c += ldc; StoreVectors<TOps, TVector, TActivation, TVectors>(c, o1, o2, last, c10, c11, c12, c13); }
        if (rows > 2) { c += ldc; StoreVectors<TOps, TVector, TActivation, TVectors>(c, o1, o2, last, c20, c21, c22, c23); }
        if (rows > 3) { c += ldc; StoreVectors<TOps, TVector, TActivation, TVectors>(c, o1, o2, last, c30, c31, c32, c33); }
        if (rows > 4) { c += ldc; StoreVectors<TOps, TVector, TActivation, TVectors>(c, o1, o2, last, c40, c41, c42, c43); }
        if (rows > 5) { c += ldc; StoreVectors<TOps, TVector, TActivation, TVectors>(c, o1, o2, last, c50, c51, c52, c53); }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void StoreVectors<TOps, TVector, TActivation, TVectors>(float* c, nint o1, nint o2, nint o3,
        TVector v0, TVector v1, TVector v2, TVector v3)
        where TOps : struct, IGemmVectorOps<TVector>
        where TVector : struct
        where TActivation : struct, IActivation
        where TVectors : struct, ITileCount
    {
        TOps.Store(TOps.Forward<TActivation>(v0), c);
        if (TVectors.Value > 1) TOps.Store(TOps.Forward<TActivation>(v1), c + o1);
        if (TVectors.Value > 2) TOps.Store(TOps.Forward<TActivation>(v2), c + o2);
        if (TVectors.Value > 3) TOps.Store(TOps.Forward<TActivation>(v3), c + o3);
    }

    /// <summary>sums[j] = Σ_i a[i·columns + j] for j in [0, columns), 4 vectors of columns per pass, then one.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void ColumnSumsVectors<TOps, TVector>(int rows, int columns, float* a, float* sums)
        where TOps : struct, IGemmVectorOps<TVector>
        where TVector : struct
    {
        int width = TOps.Width;
        if (columns < width)
        {
            TOps.NarrowerColumnSums(rows, columns, a, sums);
            return;
        }
        int j = 0;
        // Four vectors per pass on every width: each column is still one chain of adds in row order, but four chains
        // hide the add latency that one alone would wait on (a 32-wide gradient took 4 passes of 3 cycles per row).
        for (; j + 4 * width <= columns; j += 4 * width)
        {
            TVector s0 = default, s1 = default, s2 = default, s3 = default;
            float* row = a + j;
            for (int i = 0; i < rows; i++)
            {
                s0 = TOps.Add(s0, TOps.Load(row));
                s1 = TOps.Add(s1, TOps.Load(row + width));
                s2 = TOps.Add(s2, TOps.Load(row + 2 * width));
                s3 = TOps.Add(s3, TOps.Load(row + 3 * width));
                row += columns;
            }
            TOps.Store(s0, sums + j);
            TOps.Store(s1, sums + j + width);
            TOps.Store(s2, sums + j + 2 * width);
            TOps.Store(s3, sums + j + 3 * width);
        }
        for (; j < columns; j += width)
        {
            // The last vector is shifted left to end at the last column; the overlap is recomputed identically.
            int start = j + width <= columns ? j : columns - width;
            TVector s0 = default;
            float* row = a + start;
            for (int i = 0; i < rows; i++)
            {
                s0 = TOps.Add(s0, TOps.Load(row));
                row += columns;
            }
            TOps.Store(s0, sums + start);
        }
    }
}

/// <summary>What the GEMM kernels need of one vector width beyond the arithmetic: how many vectors a tile spans
/// and where a slice narrower than one vector goes.</summary>
internal unsafe interface IGemmVectorOps<TVector> : IVectorOps<TVector>
    where TVector : struct
{
    /// <summary>Vectors per tile row and per column panel: 4 on AVX-512 (32 registers), 2 on the narrower paths.</summary>
    static abstract int TileVectors { get; }

    /// <summary>The next narrower path's slice, for slices narrower than one vector.</summary>
    static abstract void NarrowerSlice<TActivation>(in GemmArgs g, int j0, int j1)
        where TActivation : struct, IActivation;

    /// <summary>The next narrower path's column sums, for fewer columns than one vector.</summary>
    static abstract void NarrowerColumnSums(int rows, int columns, float* a, float* sums);
}
