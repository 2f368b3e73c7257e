using System.Runtime.CompilerServices;

namespace SourceNet.Kernels;

// A few rows against a tall, wide B (a sample chunk's dense layer: 25 x 3136 against the 3136 x 1024 weight, rows
// 4 KB apart). The plain tile order walks one column panel down all K rows of B before the next: 3136 rows on 3136
// pages, more than the TLB holds, so every step of every tile missed it, and with 25 rows the panel is reused by only
// five tiles to pay for it (the forward product ran at 7 % of the FMA peak on Zen 3). Here the steps are cut into
// blocks of StepBlock rows of B: every panel and tile runs one block's steps, keeps its partial sums in C, and the next
// block starts from them; so a block's 64 pages and its rows stay in the TLB and L2 while all of C's tiles use them.
//
// Same bits as the plain tiles: each output is the same chain (bias or zero, then one FMA per step in increasing
// order); storing the partial sum as a float and loading it back changes nothing, and the activation is applied once,
// on the last block's sums. Columns past the last whole panel run the plain tiles over all steps.
public static partial class Gemm
{
    /// <summary>Rows of B per step block: 64 rows 4 KB apart map to 16 of L2's sets and fit its ways with room to
    /// spare, and 64 pages stay in the first-level TLB.</summary>
    internal const int StepBlock = 64;

    /// <summary>The most rows (of A and C) the step blocks take: C's partial sums (rows x N) must stay in L2 between
    /// blocks, and from a few dozen rows the plain order reuses each panel enough.</summary>
    internal const int StepBlockMaxRows = 48;

    /// <summary>The narrowest B rows (in floats) worth the step blocks: from 4 KB apart, each step of a panel is a new page.</summary>
    internal const int StepBlockMinRowFloats = 1024;

    /// <summary>Whether the dense tiles should run in step blocks (see the file's comment).</summary>
    private static unsafe bool UsesStepBlocks(in GemmArgs g) =>
        g.M is > 1 and <= StepBlockMaxRows && g.K >= 2 * StepBlock && g.BRowStride >= StepBlockMinRowFloats
        && g.TileSteps == null && g.SparseRowStart == null && !g.BTransposed;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void StepBlockSlice<TOps, TVector, TActivation>(in GemmArgs g, int j0, int j1)
        where TOps : struct, IGemmVectorOps<TVector>
        where TVector : struct
        where TActivation : struct, IActivation
    {
        int panel = TOps.TileVectors * TOps.Width;
        int whole = j0 + (j1 - j0) / panel * panel;
        if (whole > j0)
        {
            for (int p0 = 0; p0 < g.K; p0 += StepBlock)
            {
                int steps = System.Math.Min(StepBlock, g.K - p0);
                bool first = p0 == 0, last = p0 + steps == g.K;
                for (int j = j0; j < whole; j += panel)
                {
                    if (TOps.TileVectors == 4)
                        StepBlockRows<TOps, TVector, TActivation, Count4>(g, j, p0, steps, first, last);
                    else
                        StepBlockRows<TOps, TVector, TActivation, Count2>(g, j, p0, steps, first, last);
                }
            }
        }
        if (whole < j1)
            SliceVectors<TOps, TVector, TActivation, AllSteps>(g, whole, j1);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void StepBlockRows<TOps, TVector, TActivation, TVectors>(in GemmArgs g, int j, int p0, int steps, bool first, bool last)
        where TOps : struct, IGemmVectorOps<TVector>
        where TVector : struct
        where TActivation : struct, IActivation
        where TVectors : struct, ITileCount
    {
        int m = g.M, i = 0;
        for (; i + 6 <= m; i += 6)
            StepBlockTile<TOps, TVector, TActivation, Count6, TVectors>(g, i, j, p0, steps, first, last);
        switch (m - i)
        {
            case 1: StepBlockTile<TOps, TVector, TActivation, Count1, TVectors>(g, i, j, p0, steps, first, last); break;
            case 2: StepBlockTile<TOps, TVector, TActivation, Count2, TVectors>(g, i, j, p0, steps, first, last); break;
            case 3: StepBlockTile<TOps, TVector, TActivation, Count3, TVectors>(g, i, j, p0, steps, first, last); break;
            case 4: StepBlockTile<TOps, TVector, TActivation, Count4, TVectors>(g, i, j, p0, steps, first, last); break;
            case 5: StepBlockTile<TOps, TVector, TActivation, Count5, TVectors>(g, i, j, p0, steps, first, last); break;
        }
    }

    /// <summary>Rows [i, i+TRows) x TVectors whole vectors from column j, steps [p0, p0 + steps): the sums start from
    /// the bias (or zero) on the first block, else from C; they are stored raw, or through the activation on the last.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void StepBlockTile<TOps, TVector, TActivation, TRows, TVectors>(in GemmArgs g, int i, int j, int p0, int steps, bool first, bool last)
        where TOps : struct, IGemmVectorOps<TVector>
        where TVector : struct
        where TActivation : struct, IActivation
        where TRows : struct, ITileCount
        where TVectors : struct, ITileCount
    {
        int rows = TRows.Value, vectors = TVectors.Value, width = TOps.Width;
        nint ldc = g.CRowStride;
        float* c = g.C + i * ldc + j;
        TVector c00 = default, c01 = default, c02 = default, c03 = default;
        TVector c10 = default, c11 = default, c12 = default, c13 = default;
        TVector c20 = default, c21 = default, c22 = default, c23 = default;
        TVector c30 = default, c31 = default, c32 = default, c33 = default;
        TVector c40 = default, c41 = default, c42 = default, c43 = default;
        TVector c50 = default, c51 = default, c52 = default, c53 = default;
        if (!first)
        {
            Load<TOps, TVector, TVectors>(c, width, ref c00, ref c01, ref c02, ref c03);
            if (rows > 1) Load<TOps, TVector, TVectors>(c + ldc, width, ref c10, ref c11, ref c12, ref c13);
            if (rows > 2) Load<TOps, TVector, TVectors>(c + 2 * ldc, width, ref c20, ref c21, ref c22, ref c23);
            if (rows > 3) Load<TOps, TVector, TVectors>(c + 3 * ldc, width, ref c30, ref c31, ref c32, ref c33);
            if (rows > 4) Load<TOps, TVector, TVectors>(c + 4 * ldc, width, ref c40, ref c41, ref c42, ref c43);
            if (rows > 5) Load<TOps, TVector, TVectors>(c + 5 * ldc, width, ref c50, ref c51, ref c52, ref c53);
        }
        else if (g.Bias != null)
        {
            // As the plain tile: the bias starts the sums.
            TVector z0 = default, z1 = default, z2 = default, z3 = default;
            Load<TOps, TVector, TVectors>(g.Bias + j, width, ref z0, ref z1, ref z2, ref z3);
            c00 = c10 = c20 = c30 = c40 = c50 = z0;
            c01 = c11 = c21 = c31 = c41 = c51 = z1;
            c02 = c12 = c22 = c32 = c42 = c52 = z2;
            c03 = c13 = c23 = c33 = c43 = c53 = z3;
        }

        nint rs = g.ARowStride, step = g.AStepStride, ldb = g.BRowStride;
        float* a0 = g.A + i * rs + p0 * step;
        float* a1 = a0 + rs;
        float* a2 = a1 + rs;
        float* a3 = a2 + rs;
        float* a4 = a3 + rs;
        float* a5 = a4 + rs;
        float* b = g.B + p0 * ldb + j;
        nint offset = 0;
        for (int q = 0; q < steps; q++)
        {
            TVector b0 = TOps.Load(b);
            TVector b1 = vectors > 1 ? TOps.Load(b + width) : default;
            TVector b2 = vectors > 2 ? TOps.Load(b + 2 * width) : default;
            TVector b3 = vectors > 3 ? TOps.Load(b + 3 * width) : default;
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
            offset += step;
            b += ldb;
        }

        if (last)
        {
            StoreVectors<TOps, TVector, TActivation, TVectors>(c, width, 2 * width, 3 * width, c00, c01, c02, c03);
            if (rows > 1) StoreVectors<TOps, TVector, TActivation, TVectors>(c + ldc, width, 2 * width, 3 * width, c10, c11, c12, c13);
            if (rows > 2) StoreVectors<TOps, TVector, TActivation, TVectors>(c + 2 * ldc, width, 2 * width, 3 * width, c20, c21, c22, c23);
            if (rows > 3) StoreVectors<TOps, TVector, TActivation, TVectors>(c + 3 * ldc, width, 2 * width, 3 * width, c30, c31, c32, c33);
            if (rows > 4) StoreVectors<TOps, TVector, TActivation, TVectors>(c + 4 * ldc, width, 2 * width, 3 * width, c40, c41, c42, c43);
            if (rows > 5) StoreVectors<TOps, TVector, TActivation, TVectors>(c + 5 * ldc, width, 2 * width, 3 * width, c50, c51, c52, c53);
            return;
        }
        StoreVectors<TOps, TVector, IdentityActivation, TVectors>(c, width, 2 * width, 3 * width, c00, c01, c02, c03);
        if (rows > 1) StoreVectors<TOps, TVector, IdentityActivation, TVectors>(c + ldc, width, 2 * width, 3 * width, c10, c11, c12, c13);
        if (rows > 2) StoreVectors<TOps, TVector, IdentityActivation, TVectors>(c + 2 * ldc, width, 2 * width, 3 * width, c20, c21, c22, c23);
        if (rows > 3) StoreVectors<TOps, TVector, IdentityActivation, TVectors>(c + 3 * ldc, width, 2 * width, 3 * width, c30, c31, c32, c33);
        if (rows > 4) StoreVectors<TOps, TVector, IdentityActivation, TVectors>(c + 4 * ldc, width, 2 * width, 3 * width, c40, c41, c42, c43);
        if (rows > 5) StoreVectors<TOps, TVector, IdentityActivation, TVectors>(c + 5 * ldc, width, 2 * width, 3 * width, c50, c51, c52, c53);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Load<TOps, TVector, TVectors>(float* source, int width, ref TVector v0, ref TVector v1, ref TVector v2, ref TVector v3)
        where TOps : struct, IGemmVectorOps<TVector>
        where TVector : struct
        where TVectors : struct, ITileCount
    {
        v0 = TOps.Load(source);
        if (TVectors.Value > 1) v1 = TOps.Load(source + width);
        if (TVectors.Value > 2) v2 = TOps.Load(source + 2 * width);
        if (TVectors.Value > 3) v3 = TOps.Load(source + 3 * width);
    }
}
