using System;
using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SourceNet.Kernels;

/// <summary>
/// What the fused recurrent step kernels (<see cref="LstmStep"/>, <see cref="GruStep"/>) share: W_hhᵀ packed in panels
/// of sixteen units, the tile that sums a panel's product for up to six rows in registers, the split of a step's rows
/// over the kernel threads, and loads and stores of a block of eight units that may be the last, partial one.
/// </summary>
internal static class RecurrentTiles
{
    /// <summary>Floats of W_hh packed by <see cref="PackTransposed"/>: per panel of sixteen units, W_hhᵀ's gates·units rows.</summary>
    public static int TransposedLength(int units, int gates) => checked(UnitPanels(units) * 16 * gates * units);

    /// <summary>Blocks of eight units (the forward tiles' column vectors).</summary>
    public static int UnitBlocks(int units) => (units + 7) / 8;

    /// <summary>Panels of sixteen units (the backward tiles' two column vectors).</summary>
    public static int UnitPanels(int units) => (units + 15) / 16;

    /// <summary>
    /// Packs W_hh ([units, gates·units], row-major) as W_hhᵀ in panels: panel q (units 16q to 16q + 15), row k of
    /// gates·units holds the panel's 16 values <c>W_hh[16q + lane, k]</c>; units past the last are zeros. The caller
    /// has checked the spans' lengths.
    /// </summary>
    // Every training step packs it once per chunk. Value by value through the spans it took 57-61 µs of a chunk's
    // backward pass for 128 units (4 gates) on a Zen 4; eight units by eight columns transposed in registers, 20-22 µs
    // with clearing dLoss/dc.
    public static unsafe void PackTransposed(int units, int gates, ReadOnlySpan<float> weightHh, Span<float> packed)
    {
        int width = gates * units;
        // Written through pointers: the callers' checks are all that stands between a wrong size and memory.
        Debug.Assert(weightHh.Length >= (long)units * width && packed.Length >= TransposedLength(units, gates));
        fixed (float* source = weightHh)
        fixed (float* start = packed)
        {
            for (int panel = 0; panel < UnitPanels(units); panel++)
            {
                for (int half = 0; half < 2; half++)
                {
                    // Units unit0 .. unit0 + 7 go to lanes 8·half .. 8·half + 7 of every row k.
                    int unit0 = 16 * panel + 8 * half, rows = Math.Min(8, units - unit0);
                    float* from = source + (nint)unit0 * width;
                    float* to = start + (nint)panel * 16 * width + 8 * half;
                    int k = 0;
                    if (rows == 8 && Avx.IsSupported)
                    {
                        for (; k + 8 <= width; k += 8)
                            Gemm.Transpose8x8(from + k, width, to + (nint)k * 16, 16);
                    }
                    for (; k < width; k++)
                    {
                        for (int lane = 0; lane < 8; lane++)
                            to[(nint)k * 16 + lane] = lane < rows ? from[(nint)lane * width + k] : 0f;
                    }
                }
            }
        }
    }

    /// <summary>
    /// <c>sums[2r + v] = Σ_k a0[r·stride + k] · b[16k + 8v .. 16k + 8v + 7]</c> for the TRows rows r from
    /// <paramref name="a0"/> and k from 0 to <paramref name="depth"/> − 1: one chain of fused multiply-adds per output,
    /// from zero, in increasing k, whatever the row count (so a row's sums do not depend on the tile it falls in).
    /// Up to 12 accumulators, 2 vectors of the panel and a broadcast: AVX2's 16 registers.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void SumPanel<TRows>(float* a0, nint stride, nint depth, float* b, Vector256<float>* sums)
        where TRows : struct, ITileCount =>
        SumPanel<TRows>(a0, stride, depth, b, default, default, sums);

    /// <summary>
    /// <see cref="SumPanel{TRows}(float*, nint, nint, float*, Vector256{float}*)"/> with every row's two chains started
    /// from <paramref name="start0"/> and <paramref name="start1"/> instead of zero: a product with its bias, summed as
    /// <see cref="Gemm"/> sums it (the bias first, then one fused multiply-add per k in increasing order).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void SumPanel<TRows>(float* a0, nint stride, nint depth, float* b, Vector256<float> start0, Vector256<float> start1, Vector256<float>* sums)
        where TRows : struct, ITileCount =>
        SumPanel<TRows>(a0, a0 + stride, a0 + 2 * stride, a0 + 3 * stride, a0 + 4 * stride, a0 + 5 * stride, depth, b, start0, start1, sums);

    /// <summary>
    /// <see cref="SumPanel{TRows}(float*, nint, nint, float*, Vector256{float}, Vector256{float}, Vector256{float}*)"/>
    /// for the TRows rows <c>a + rows[r]·stride</c> of a list (a step's rows less those it copies, see
    /// <see cref="LstmStep"/>): the same chains, so a row's sums do not depend on the rows listed with it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void SumPanel<TRows>(float* a, int* rows, nint stride, nint depth, float* b, Vector256<float> start0, Vector256<float> start1, Vector256<float>* sums)
        where TRows : struct, ITileCount =>
        SumPanel<TRows>(ListedRow<TRows>(a, rows, 0, stride), ListedRow<TRows>(a, rows, 1, stride), ListedRow<TRows>(a, rows, 2, stride),
            ListedRow<TRows>(a, rows, 3, stride), ListedRow<TRows>(a, rows, 4, stride), ListedRow<TRows>(a, rows, 5, stride), depth, b, start0, start1, sums);

    /// <summary>Row <paramref name="index"/> of a tile's list, or the first row past the tile's TRows (never read).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe float* ListedRow<TRows>(float* a, int* rows, int index, nint stride)
        where TRows : struct, ITileCount =>
        a + (nint)rows[index < TRows.Value ? index : 0] * stride;

    /// <summary>The loop of both: up to six rows, each from its own pointer (those past TRows are not read).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void SumPanel<TRows>(float* a0, float* a1, float* a2, float* a3, float* a4, float* a5, nint depth, float* b,
        Vector256<float> start0, Vector256<float> start1, Vector256<float>* sums)
        where TRows : struct, ITileCount
    {
        int rows = TRows.Value;
        Vector256<float> c00 = start0, c01 = start1, c10 = start0, c11 = start1, c20 = start0, c21 = start1;
        Vector256<float> c30 = start0, c31 = start1, c40 = start0, c41 = start1, c50 = start0, c51 = start1;
        // Each row's pointer in a local, computed here once: a parameter the loop alone reads would take the caller's
        // expression into the loop when inlined (a0 + 3·stride, or a load from the list, at every k).
        float* r0 = a0, r1 = a1, r2 = a2, r3 = a3, r4 = a4, r5 = a5;
        for (nint k = 0; k < depth; k++, b += 16)
        {
            Vector256<float> b0 = Vector256.Load(b), b1 = Vector256.Load(b + 8);
            Vector256<float> a = Vector256.Create(r0[k]);
            c00 = MultiplyAdd.Vector(a, b0, c00); c01 = MultiplyAdd.Vector(a, b1, c01);
            if (rows > 1) { a = Vector256.Create(r1[k]); c10 = MultiplyAdd.Vector(a, b0, c10); c11 = MultiplyAdd.Vector(a, b1, c11); }
            if (rows > 2) { a = Vector256.Create(r2[k]); c20 = MultiplyAdd.Vector(a, b0, c20); c21 = MultiplyAdd.Vector(a, b1, c21); }
            if (rows > 3) { a = Vector256.Create(r3[k]); c30 = MultiplyAdd.Vector(a, b0, c30); c31 = MultiplyAdd.Vector(a, b1, c31); }
            if (rows > 4) { a = Vector256.Create(r4[k]); c40 = MultiplyAdd.Vector(a, b0, c40); c41 = MultiplyAdd.Vector(a, b1, c41); }
            if (rows > 5) { a = Vector256.Create(r5[k]); c50 = MultiplyAdd.Vector(a, b0, c50); c51 = MultiplyAdd.Vector(a, b1, c51); }
        }
        // Through memory, so no accumulator is live across the epilogue's calls (which would have the JIT keep them
        // all on the stack inside the loop).
        sums[0] = c00; sums[1] = c01; sums[2] = c10; sums[3] = c11; sums[4] = c20; sums[5] = c21;
        sums[6] = c30; sums[7] = c31; sums[8] = c40; sums[9] = c41; sums[10] = c50; sums[11] = c51;
    }

    /// <summary>
    /// <see cref="SumPanel{TRows}(float*, int*, nint, nint, float*, Vector256{float}, Vector256{float}, Vector256{float}*)"/>
    /// for the TRows rows <c>a + rows[r]·stride</c> of a list, over the k whose bits are set in <paramref name="columns"/>
    /// alone, in increasing order: the k where every row of the tile is zero (<see cref="NonZeroColumns"/>) add 0·b to
    /// each chain, which leaves a sum as it was wherever b is finite (but for the sign of a zero sum), so a tile of
    /// sparse inputs (the blank border of an image) skips them.
    /// </summary>
    // Its own loop, not SumPanel's with a generic walk over k: that walk cost SumPanel's loop, the hottest of the
    // recurrent kernels, a shift and an add per k where it now bumps one pointer (the JIT's code, compared).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void SumPanelColumns<TRows>(float* a, int* rows, nint stride, ulong columns, float* b, Vector256<float> start0, Vector256<float> start1,
        Vector256<float>* sums)
        where TRows : struct, ITileCount =>
        SumPanelColumns<TRows>(ListedRow<TRows>(a, rows, 0, stride), ListedRow<TRows>(a, rows, 1, stride), ListedRow<TRows>(a, rows, 2, stride),
            ListedRow<TRows>(a, rows, 3, stride), ListedRow<TRows>(a, rows, 4, stride), ListedRow<TRows>(a, rows, 5, stride), columns, b, start0, start1, sums);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void SumPanelColumns<TRows>(float* a0, float* a1, float* a2, float* a3, float* a4, float* a5, ulong columns, float* b,
        Vector256<float> start0, Vector256<float> start1, Vector256<float>* sums)
        where TRows : struct, ITileCount
    {
        int rows = TRows.Value;
        Vector256<float> c00 = start0, c01 = start1, c10 = start0, c11 = start1, c20 = start0, c21 = start1;
        Vector256<float> c30 = start0, c31 = start1, c40 = start0, c41 = start1, c50 = start0, c51 = start1;
        // Each row's pointer in a local, computed here once: a parameter the loop alone reads would take the caller's
        // expression into the loop when inlined (a0 + 3·stride, or a load from the list, at every k).
        float* r0 = a0, r1 = a1, r2 = a2, r3 = a3, r4 = a4, r5 = a5;
        while (columns != 0)
        {
            nint k = BitOperations.TrailingZeroCount(columns);
            columns &= columns - 1;
            float* bk = b + 16 * k;
            Vector256<float> b0 = Vector256.Load(bk), b1 = Vector256.Load(bk + 8);
            Vector256<float> a = Vector256.Create(r0[k]);
            c00 = MultiplyAdd.Vector(a, b0, c00); c01 = MultiplyAdd.Vector(a, b1, c01);
            if (rows > 1) { a = Vector256.Create(r1[k]); c10 = MultiplyAdd.Vector(a, b0, c10); c11 = MultiplyAdd.Vector(a, b1, c11); }
            if (rows > 2) { a = Vector256.Create(r2[k]); c20 = MultiplyAdd.Vector(a, b0, c20); c21 = MultiplyAdd.Vector(a, b1, c21); }
            if (rows > 3) { a = Vector256.Create(r3[k]); c30 = MultiplyAdd.Vector(a, b0, c30); c31 = MultiplyAdd.Vector(a, b1, c31); }
            if (rows > 4) { a = Vector256.Create(r4[k]); c40 = MultiplyAdd.Vector(a, b0, c40); c41 = MultiplyAdd.Vector(a, b1, c41); }
            if (rows > 5) { a = Vector256.Create(r5[k]); c50 = MultiplyAdd.Vector(a, b0, c50); c51 = MultiplyAdd.Vector(a, b1, c51); }
        }
        sums[0] = c00; sums[1] = c01; sums[2] = c10; sums[3] = c11; sums[4] = c20; sums[5] = c21;
        sums[6] = c30; sums[7] = c31; sums[8] = c40; sums[9] = c41; sums[10] = c50; sums[11] = c51;
    }

    /// <summary>The most columns <see cref="NonZeroColumns"/> describes (the bits of its mask).</summary>
    public const int MaskedColumns = 64;

    /// <summary>
    /// A bit for each of the <paramref name="columns"/> (at most <see cref="MaskedColumns"/>) columns of the
    /// <paramref name="count"/> rows <c>a + rows[r]·stride</c> of a list: set where any row's value is not zero (NaN
    /// included), clear where all are +0 or −0.
    /// </summary>
    public static unsafe ulong NonZeroColumns(float* a, int* rows, int count, nint stride, int columns)
    {
        ulong mask = 0;
        for (int r = 0; r < count; r++)
            mask |= RowNonZeroColumns(a + rows[r] * stride, columns);
        return mask;
    }

    /// <summary>The bits of one row's <paramref name="columns"/> values that are not zero.</summary>
    private static unsafe ulong RowNonZeroColumns(float* a, int columns)
    {
        ulong mask = 0;
        int k = 0;
        for (; k + 8 <= columns; k += 8)
            mask |= (ulong)(~Vector256.Equals(Vector256.Load(a + k), Vector256<float>.Zero)).ExtractMostSignificantBits() << k;
        for (; k < columns; k++)
        {
            if (a[k] != 0f)
                mask |= 1UL << k;
        }
        return mask;
    }

    /// <summary>The mask of all <paramref name="columns"/> columns (at most <see cref="MaskedColumns"/>).</summary>
    public static ulong AllColumns(int columns) => columns >= MaskedColumns ? ulong.MaxValue : (1UL << columns) - 1;

    /// <summary>
    /// The <paramref name="count"/> rows listed at <paramref name="rows"/> of a fused backward step: at the last step
    /// (<paramref name="next"/> null) no product, dLoss/dh is <paramref name="lastHidden"/> (or zeros) for each block of
    /// eight units; otherwise dZ(t+1)·W_hhᵀ in tiles of up to 6 listed rows x one panel of 16 units (depth
    /// <paramref name="width"/>), each row's sums handed to the epilogue. Unit panels outer, row tiles inner, so a
    /// panel's packed weights are read from near caches while every row tile uses them. A row's sums are the same chain
    /// in any tile, so the list (all rows, or those a step still carries) changes no row's values.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void RunBackwardRows<TEpilogue>(in TEpilogue epilogue, int* rows, int count, int units, int width, float* weights, float* next, float* lastHidden)
        where TEpilogue : struct, IBackwardEpilogue
    {
        if (next == null)
        {
            for (int i = 0; i < count; i++)
            {
                int row = rows[i];
                for (int unit = 0; unit < units; unit += 8)
                {
                    int valid = Math.Min(8, units - unit);
                    Vector256<float> dh = lastHidden == null ? default : LoadUnits(lastHidden + (nint)row * units + unit, valid);
                    epilogue.Row(row, unit, valid, dh);
                }
            }
            return;
        }
        Vector256<float>* sums = stackalloc Vector256<float>[12];
        for (int panel = 0; panel < UnitPanels(units); panel++)
        {
            float* b = weights + (nint)panel * width * 16;
            for (int i = 0, tile; i < count; i += tile)
            {
                tile = TileRows(count - i);
                switch (tile)
                {
                    case 6: BackwardTile<TEpilogue, Count6>(epilogue, rows + i, panel, units, width, b, next, sums); break;
                    case 5: BackwardTile<TEpilogue, Count5>(epilogue, rows + i, panel, units, width, b, next, sums); break;
                    case 4: BackwardTile<TEpilogue, Count4>(epilogue, rows + i, panel, units, width, b, next, sums); break;
                    case 3: BackwardTile<TEpilogue, Count3>(epilogue, rows + i, panel, units, width, b, next, sums); break;
                    case 2: BackwardTile<TEpilogue, Count2>(epilogue, rows + i, panel, units, width, b, next, sums); break;
                    default: BackwardTile<TEpilogue, Count1>(epilogue, rows + i, panel, units, width, b, next, sums); break;
                }
            }
        }
    }

    /// <summary>Rows a step's block lists at a time, on the stack (with the forward's input masks, up to 8 KB); a
    /// larger block (over 1,536 rows on one thread) runs in parts of this many. Also the largest batch whose rows may
    /// share steps (<see cref="LstmStep.FindSharedSteps"/>): the backward step lists the rows it carries on its stack.</summary>
    public const int ListedRows = 1536;

    /// <summary>
    /// Rows [<paramref name="first"/>, <paramref name="end"/>) of a fused backward step, every one (see
    /// <see cref="RunBackwardRows{TEpilogue}(in TEpilogue, int*, int, int, int, float*, float*, float*)"/>), listed in
    /// parts of up to <see cref="ListedRows"/>.
    /// </summary>
    public static unsafe void RunBackwardRows<TEpilogue>(in TEpilogue epilogue, int first, int end, int units, int width, float* weights, float* next, float* lastHidden)
        where TEpilogue : struct, IBackwardEpilogue
    {
        int* rows = stackalloc int[Math.Max(1, Math.Min(end - first, ListedRows))];
        for (int from = first; from < end; from += ListedRows)
        {
            int count = Math.Min(end - from, ListedRows);
            for (int i = 0; i < count; i++)
                rows[i] = from + i;
            RunBackwardRows(epilogue, rows, count, units, width, weights, next, lastHidden);
        }
    }

    /// <summary>
    /// Rows of the next tile when <paramref name="remaining"/> rows are left: six, except that 7 to 9 rows split into
    /// two tiles of 4 + 3, 4 + 4 and 5 + 4. A tile of r rows runs 2r chains of multiply-adds; the two FMA pipes need
    /// about eight in flight to stay busy, so the 50 rows of a training chunk as 8 x 6 + 2 ran their last tile at half
    /// speed, and 7 x 6 + 4 + 4 does not. A row's sums are the same chain in any tile, so this changes no value.
    /// </summary>
    public static int TileRows(int remaining) => remaining is >= 7 and <= 9 ? (remaining + 1) / 2 : Math.Min(6, remaining);

    /// <summary>The TRows listed rows <paramref name="rows"/>, units [16·panel, 16·panel + 16).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void BackwardTile<TEpilogue, TRows>(in TEpilogue epilogue, int* rows, int panel, int units, int width, float* b, float* next, Vector256<float>* sums)
        where TEpilogue : struct, IBackwardEpilogue
        where TRows : struct, ITileCount
    {
        int count = TRows.Value;
        int unit = 16 * panel;
        epilogue.Prefetch(rows, count, unit);
        SumPanel<TRows>(next, rows, width, width, b, default, default, sums);
        int valid0 = Math.Min(8, units - unit), valid1 = Math.Min(8, units - unit - 8);
        for (int r = 0; r < count; r++)
            epilogue.Pair(rows[r], unit, valid0, valid1, sums + 2 * r);
    }

    /// <summary>A fused backward step's cell derivatives, which <see cref="RunBackwardRows{TEpilogue}(in TEpilogue, int*, int, int, int, float*, float*, float*)"/> calls with dLoss/dh.</summary>
    public unsafe interface IBackwardEpilogue
    {
        /// <summary>Eight units (the first <paramref name="valid"/>) of row <paramref name="row"/> at the last step, given dLoss/dh.</summary>
        void Row(int row, int unit, int valid, Vector256<float> dh);

        /// <summary>Sixteen units of row <paramref name="row"/>: the product's two vectors of sums (the second may be
        /// partly or wholly past the last unit: <paramref name="valid1"/> ≤ 0).</summary>
        void Pair(int row, int unit, int valid0, int valid1, Vector256<float>* sums);

        /// <summary>Asks for the lines <see cref="Pair"/> will read and write for sixteen units of the
        /// <paramref name="count"/> listed <paramref name="rows"/>, before the tile's product runs (see
        /// <see cref="RecurrentTiles.Prefetch"/>); may do nothing.</summary>
        void Prefetch(int* rows, int count, int unit);
    }

    /// <summary>
    /// Asks for the cache lines of <paramref name="count"/> floats from <paramref name="source"/> (at most 16: its first
    /// and last line). A step's epilogue reads and writes rows of buffers last touched a whole pass earlier, in a pattern
    /// (rows 2 KiB apart, blocks of units) that the hardware prefetchers do not follow; asked for before a tile's
    /// product, they arrive while it runs. Changes no value.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Prefetch(float* source, int count)
    {
        if (Sse.IsSupported)
        {
            Sse.Prefetch0(source);
            Sse.Prefetch0(source + count - 1);
        }
    }

    /// <summary>
    /// Threads for a step of <paramref name="batch"/> rows costing <paramref name="multiplyAdds"/>, and the row blocks
    /// they share (multiples of <paramref name="tileRows"/>).
    /// </summary>
    public static (int Parts, int RowsPerBlock) Split(int batch, long multiplyAdds, int tileRows)
    {
        int tiles = (batch + tileRows - 1) / tileRows;
        int parts = Math.Min(BlockRunner.PartsFor(multiplyAdds), tiles);
        // One block per thread and a few more, so a late thread's rows are taken over; one block on one thread, so
        // each unit block's weights are read once per step.
        int blocks = parts <= 1 ? 1 : Math.Min(tiles, 2 * parts);
        int tilesPerBlock = (tiles + blocks - 1) / Math.Max(blocks, 1);
        return (parts, Math.Max(tileRows, tileRows * tilesPerBlock));
    }

    /// <summary>Whether the <paramref name="count"/> floats from <paramref name="values"/> are all zeros (+0 or −0; NaN
    /// is not), reading up to the first that is not: a state that is not zero stops at its first vector.</summary>
    public static unsafe bool IsZero(float* values, nint count)
    {
        nint i = 0;
        for (; i + 8 <= count; i += 8)
        {
            if (!Vector256.EqualsAll(Vector256.Load(values + i), Vector256<float>.Zero))
                return false;
        }
        for (; i < count; i++)
        {
            if (values[i] != 0f)
                return false;
        }
        return true;
    }

    /// <summary>Whether the <paramref name="count"/> floats from <paramref name="a"/> and from <paramref name="b"/> have
    /// the same bits (so −0 is not +0, and a NaN equals the same NaN): rows that would give the same values.</summary>
    public static unsafe bool SameBits(float* a, float* b, int count) =>
        new ReadOnlySpan<int>(a, count).SequenceEqual(new ReadOnlySpan<int>(b, count));

    /// <summary>Eight floats, or the first <paramref name="valid"/> of them and zeros (the last block of units, which
    /// may end at the end of the array).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe Vector256<float> LoadUnits(float* source, int valid) =>
        valid == 8 ? Vector256.Load(source) : LoadPartial(source, valid);

    /// <summary>Stores eight floats, or the first <paramref name="valid"/> of them.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void StoreUnits(Vector256<float> value, float* destination, int valid)
    {
        if (valid == 8)
            value.Store(destination);
        else
            StorePartial(value, destination, valid);
    }

    /// <summary><see cref="LoadUnits"/> where the block is known full (<see cref="FullBlock"/>): no test at all.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe Vector256<float> LoadUnits<TBlock>(float* source, int valid)
        where TBlock : struct, IUnitBlock =>
        TBlock.IsFull ? Vector256.Load(source) : LoadPartial(source, valid);

    /// <summary><see cref="StoreUnits"/> where the block is known full (<see cref="FullBlock"/>): no test at all.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void StoreUnits<TBlock>(Vector256<float> value, float* destination, int valid)
        where TBlock : struct, IUnitBlock
    {
        if (TBlock.IsFull)
            value.Store(destination);
        else
            StorePartial(value, destination, valid);
    }

    // Out of line, so the copy through memory does not keep the callers' vectors out of registers.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static unsafe Vector256<float> LoadPartial(float* source, int valid)
    {
        Vector256<float> value = default;
        Buffer.MemoryCopy(source, &value, sizeof(Vector256<float>), valid * sizeof(float));
        return value;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static unsafe void StorePartial(Vector256<float> value, float* destination, int valid) =>
        Buffer.MemoryCopy(&value, destination, valid * sizeof(float), valid * sizeof(float));

    /// <summary>Whether a block of eight units is known full at compile time (a type argument, so the JIT drops the test).</summary>
    public interface IUnitBlock
    {
        /// <summary>True for a block of eight units.</summary>
        static abstract bool IsFull { get; }
    }

    /// <summary>A block of eight units.</summary>
    public readonly struct FullBlock : IUnitBlock
    {
        /// <inheritdoc/>
        public static bool IsFull => true;
    }

    /// <summary>The last block of units, fewer than eight.</summary>
    public readonly struct PartialBlock : IUnitBlock
    {
        /// <inheritdoc/>
        public static bool IsFull => false;
    }
}
