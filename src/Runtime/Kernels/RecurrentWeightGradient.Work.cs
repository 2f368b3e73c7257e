using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace SourceNet.Kernels;

public static partial class RecurrentWeightGradient
{
    /// <summary>Rows of A and dZ one pass over the output covers: dZ's packed 16-column strip of them (8 KiB) and the
    /// packed tile of A a row tile reads (3 KiB) stay in L1 together.</summary>
    private const int RowBlock = 128;

    /// <summary>A as wide as this (rows 256 bytes or more apart, so a tile's rows fall into few of L1's sets) is packed.
    /// Narrower A (an LSTM's 28 inputs: rows 112 bytes apart) is read in place: its rows spread over L1's sets, and
    /// packing it too measured the same (one pass over both sides, batch 50: 3.07 ms in place, 3.08 packed, medians).</summary>
    private const int PackedAFrom = 64;

    /// <summary>Per thread: each side's block of rows packed by tiles of 6 columns, then dZ's 16-column strip (see <see cref="Work.RunBlock"/>).</summary>
    [ThreadStatic]
    private static float[]? t_packed;

    /// <summary>Per thread: for each tile of a side read in place, its block's rows that are not all zeros (see <see cref="Side.ListRows"/>).</summary>
    [ThreadStatic]
    private static int[]? t_rows;

    /// <summary>One weight's share of the pass: its A ([rows, M], step-major) and its gradient C ([M, N]); M = 0 when absent.</summary>
    private readonly unsafe struct Side(float* a, float* c, int m, int rows)
    {
        public readonly float* A = a;
        public readonly float* C = c;
        public readonly int M = m;
        /// <summary>A's leading rows that are all zeros (an LSTM's first step from a zero state: its batch's rows of
        /// the previous hidden states). They add ±0 to sums that are still +0, so the tiles start after them: the same
        /// bits wherever dZ is finite (a NaN or infinity of dZ in those rows would have made the sums NaN; the bias's
        /// sums, which read every row, still show it).</summary>
        public readonly int ZeroRows = m > 0 ? LeadingZeroRows(a, rows, m) : 0;

        /// <summary>Whether A's block of rows is packed (see <see cref="PackedAFrom"/>).</summary>
        public bool Packed => M >= PackedAFrom;

        /// <summary>Floats of the per-thread buffer this side's packed block takes.</summary>
        public int PackedLength => Packed ? (M + 5) / 6 * 6 * RowBlock : 0;

        /// <summary>Ints of the per-thread buffer this side's row lists take: read in place (the narrow inputs of a
        /// layer, which may be sparse), per tile a count and up to <see cref="RowBlock"/> rows.</summary>
        public int ListLength => M > 0 && !Packed ? (M + 5) / 6 * (RowBlock + 1) : 0;

        /// <summary>
        /// For each tile of columns (6t to 6t + 5), the rows of [p0, p1) where A is not zero in all of them, as offsets
        /// from p0 after the tile's count, at <c>lists + t · (RowBlock + 1)</c>. A row of zeros adds 0·dZ to the tile's
        /// chains, which changes no sum where dZ is finite but the sign of a zero, so the tile leaves it out: sequential
        /// MNIST's inputs (28 pixels a step) are zero in all six columns of a tile for about two rows in three.
        /// </summary>
        public void ListRows(int* lists, int p0, int p1)
        {
            if (ListLength == 0)
                return;
            for (int i = 0; i < M; i += 6, lists += RowBlock + 1)
            {
                int width = Math.Min(6, M - i), count = 0;
                float* a = A + (nint)p0 * M + i;
                for (int p = 0; p < p1 - p0; p++, a += M)
                {
                    bool zero = true;
                    for (int c = 0; c < width; c++)
                        zero &= a[c] == 0f;
                    if (!zero)
                        lists[1 + count++] = p;
                }
                lists[0] = count;
            }
        }

        /// <summary>A's rows [p0, p1) into <paramref name="packed"/> when this side packs them: tile t (columns 6t to
        /// 6t + 5) from 6t · RowBlock, six values per row, written in order; columns past M are never read.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Pack(float* packed, int p0, int p1)
        {
            if (!Packed)
                return;
            int full = M / 6 * 6;
            for (int i = 0; i < full; i += 6)
            {
                float* from = A + (nint)p0 * M + i, to = packed + i * RowBlock;
                int p = p0;
                // Eight floats a row where they stay in A's row; the two past the tile's six land where the next row
                // goes, which overwrites them (so the block's last row is copied by values).
                if (i + 8 <= M)
                {
                    for (; p < p1 - 1; p++, from += M, to += 6)
                        Vector256.Store(Vector256.Load(from), to);
                }
                for (; p < p1; p++, from += M, to += 6)
                {
                    to[0] = from[0]; to[1] = from[1]; to[2] = from[2];
                    to[3] = from[3]; to[4] = from[4]; to[5] = from[5];
                }
            }
            if (full < M)
            {
                float* from = A + (nint)p0 * M + full, to = packed + full * RowBlock;
                for (int p = p0; p < p1; p++, from += M, to += 6)
                    for (int c = 0; c < M - full; c++)
                        to[c] = from[c];
            }
        }

        /// <summary>This side's output rows x columns [j, j + 16) over rows [p0, p0 + count) of the sum, from dZ's
        /// packed strip; A's tiles from <paramref name="packed"/> or in place, over the rows of <paramref name="lists"/>
        /// (<see cref="ListRows"/>) where a tile leaves some out, or over the rows <paramref name="kept"/> lists (a count,
        /// then offsets from p0) when the block merged some (<see cref="Work"/>'s FindMerges).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Tiles(float* packed, int* lists, int n, int j, int p0, int count, float* strip, int* kept = null)
        {
            bool accumulate = p0 > 0;
            if (ListLength > 0)
            {
                ListedTiles(lists, n, j, p0, count, strip, accumulate);
                return;
            }
            int aStride = Packed ? 6 : M;
            int* listed = null;
            int skip = 0;
            if (kept != null)
            {
                // The kept rows alone: those merged into others and the leading zeros are not listed.
                count = kept[0];
                listed = kept + 1;
            }
            else
            {
                // Rows of this block among the leading zeros: each chain stays +0 through them (the first block
                // starts from zero), so they are skipped. The strip's rows are 16 floats.
                skip = Math.Clamp(ZeroRows - p0, 0, count);
                count -= skip;
                strip += 16 * skip;
            }
            int i = 0;
            for (; i + 6 <= M; i += 6)
                Tile<Count6>(C + (nint)i * n + j, n, count, accumulate, TileOfA(packed, p0, i, skip), aStride, strip, listed);
            float* a = TileOfA(packed, p0, i, skip), c = C + (nint)i * n + j;
            switch (M - i)
            {
                case 1: Tile<Count1>(c, n, count, accumulate, a, aStride, strip, listed); break;
                case 2: Tile<Count2>(c, n, count, accumulate, a, aStride, strip, listed); break;
                case 3: Tile<Count3>(c, n, count, accumulate, a, aStride, strip, listed); break;
                case 4: Tile<Count4>(c, n, count, accumulate, a, aStride, strip, listed); break;
                case 5: Tile<Count5>(c, n, count, accumulate, a, aStride, strip, listed); break;
            }
        }

        /// <summary><see cref="Tiles"/> of a side read in place: each tile over its listed rows, or all of them.</summary>
        private void ListedTiles(int* lists, int n, int j, int p0, int count, float* strip, bool accumulate)
        {
            float* a = A + (nint)p0 * M;
            for (int i = 0; i < M; i += 6, lists += RowBlock + 1)
            {
                float* c = C + (nint)i * n + j;
                // Every row listed: the plain tile, two rows an iteration.
                int listed = lists[0];
                int* rows = listed == count ? null : lists + 1;
                switch (Math.Min(6, M - i))
                {
                    case 6: Tile<Count6>(c, n, listed, accumulate, a + i, M, strip, rows); break;
                    case 5: Tile<Count5>(c, n, listed, accumulate, a + i, M, strip, rows); break;
                    case 4: Tile<Count4>(c, n, listed, accumulate, a + i, M, strip, rows); break;
                    case 3: Tile<Count3>(c, n, listed, accumulate, a + i, M, strip, rows); break;
                    case 2: Tile<Count2>(c, n, listed, accumulate, a + i, M, strip, rows); break;
                    default: Tile<Count1>(c, n, listed, accumulate, a + i, M, strip, rows); break;
                }
            }
        }

        /// <summary>Columns [from, to) over rows [p0, p1): the same chains as the tiles, one element at a time.</summary>
        public void ScalarColumns(float* b, int n, int from, int to, int p0, int p1)
        {
            for (int i = 0; i < M; i++)
            {
                for (int j = from; j < to; j++)
                {
                    float sum = p0 == 0 ? 0f : C[(nint)i * n + j];
                    for (int p = p0; p < p1; p++)
                        sum = MultiplyAdd.Scalar(A[(nint)p * M + i], b[(nint)p * n + j], sum);
                    C[(nint)i * n + j] = sum;
                }
            }
        }

        /// <summary>Row p0 + skip of A's columns from i: in the packed tile (six values a row) or in place.</summary>
        private float* TileOfA(float* packed, int p0, int i, int skip) => Packed ? packed + i * RowBlock + 6 * skip : A + (nint)(p0 + skip) * M + i;

        /// <summary>Rows from the first of A ([rows, m]) whose values are all zeros, up to the first that is not.</summary>
        private static int LeadingZeroRows(float* a, int rows, int m)
        {
            int row = 0;
            while (row < rows && RecurrentTiles.IsZero(a + (nint)row * m, m))
                row++;
            return row;
        }
    }

    private unsafe struct Work : IBlockWork
    {
        public Side First;
        public Side Second;
        public float* B;
        public float* Bias;
        public int N;
        public int Rows;
        public int PanelsPerBlock;

        public readonly int Blocks => ((N + 15) / 16 + PanelsPerBlock - 1) / PanelsPerBlock;

        /// <summary>
        /// Columns of this block's panels. Per block of rows, each side's A is first packed tile by tile (tile t: for
        /// each row p, A[p, 6t .. 6t + 5]) and, per panel, dZ's strip (for each row p, its 16 columns) next to them,
        /// its column sums taken on the way for the bias; then both sides' tiles run on the strip. Read in place, rows
        /// 2 KiB (dZ) and 512 bytes (A) apart fall into a few of L1's sets and evict each other, so every tile read
        /// both from L2; packed, a tile reads two contiguous streams and the strip stays in L1. Only where the values
        /// are read from changes: each sum is the same chain.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public readonly void RunBlock(int block)
        {
            int firstColumn = block * PanelsPerBlock * 16, endColumn = Math.Min(N, firstColumn + PanelsPerBlock * 16);
            int vectorEnd = Vector256.IsHardwareAccelerated ? firstColumn + (endColumn - firstColumn) / 16 * 16 : firstColumn;
            int firstLength = First.PackedLength, secondLength = Second.PackedLength;
            if (t_packed is null || t_packed.Length < firstLength + secondLength + 16 * RowBlock)
                t_packed = new float[firstLength + secondLength + 16 * RowBlock];
            int firstLists = First.ListLength, mergeLists = MergesRows ? 3 * RowBlock + 2 : 0;
            if (t_rows is null || t_rows.Length < firstLists + Second.ListLength + mergeLists)
                t_rows = new int[firstLists + Second.ListLength + mergeLists];
            fixed (float* packed = t_packed)
            fixed (int* lists = t_rows)
            {
                float* second = packed + firstLength, strip = second + secondLength;
                int* secondLists = lists + firstLists;
                // Per block of rows: the second side's kept rows (a count, then offsets), then the merges (a count,
                // then pairs of offsets: the row, the row it joins).
                int* kept = secondLists + Second.ListLength, merges = kept + RowBlock + 1;
                // Rows of the sum in blocks; the first block starts each element from zero, the others from its partial sum.
                for (int p0 = 0; p0 < Math.Max(Rows, 1); p0 += RowBlock)
                {
                    int p1 = Math.Min(Rows, p0 + RowBlock);
                    if (vectorEnd > firstColumn)
                    {
                        First.Pack(packed, p0, p1);
                        Second.Pack(second, p0, p1);
                        First.ListRows(lists, p0, p1);
                        Second.ListRows(secondLists, p0, p1);
                    }
                    bool merged = MergesRows && vectorEnd > firstColumn && FindMerges(p0, p1, kept, merges);
                    for (int j = firstColumn; j < vectorEnd; j += 16)
                    {
                        PackStrip(j, p0, p1, strip);
                        First.Tiles(packed, lists, N, j, p0, p1 - p0, strip);
                        if (merged)
                            MergeStripRows(merges, strip);
                        Second.Tiles(second, secondLists, N, j, p0, p1 - p0, strip, merged ? kept : null);
                    }
                    // Columns past the last full panel: the same chains, one element at a time.
                    First.ScalarColumns(B, N, vectorEnd, endColumn, p0, p1);
                    Second.ScalarColumns(B, N, vectorEnd, endColumn, p0, p1);
                    if (Bias != null)
                    {
                        for (int j = vectorEnd; j < endColumn; j++)
                        {
                            float sum = p0 == 0 ? 0f : Bias[j];
                            for (int p = p0; p < p1; p++)
                                sum += B[(nint)p * N + j];
                            Bias[j] = sum;
                        }
                    }
                }
            }
        }

        /// <summary>
        /// Whether the pass merges rows: both sides, the first (an LSTM's inputs) read in place and the second (the
        /// hidden states) packed. Where a row's input is zero and its hidden state has the bits of an earlier row's
        /// in the block whose input is zero too (sequences that start blank share their state: LstmStep copies it),
        /// its dZ is added to that row's in the strip after the first side's tiles and the bias's sums have read it,
        /// and the second side's tiles leave the row out: <c>h·dZ_p + h·dZ_q = h·(dZ_p + dZ_q)</c>, one row of
        /// W_hh's sum instead of several (sequential MNIST: 13.4% of its rows past the first step,
        /// bench/mnist_input_sparsity.py). The first side never reads such rows (its inputs are zeros) and the bias
        /// sums dZ as before; W_hh's sums are rounded once where the merged rows were, so they are not the bits of <see cref="Compute(int, int, int, ReadOnlySpan{float}, ReadOnlySpan{float}, Parameter, Optimizer?)"/>,
        /// but the same on any thread count (a block of rows merges the same rows wherever it runs).
        /// </summary>
        private readonly bool MergesRows => First.ListLength > 0 && Second.M > 0 && Second.Packed;

        /// <summary>Lists the block's merges (rows [p0, p1)) in <paramref name="merges"/> and the second side's other
        /// rows past its leading zeros in <paramref name="kept"/> (see <see cref="MergesRows"/>); false when no row
        /// merges, and the tiles then run as without.</summary>
        private readonly bool FindMerges(int p0, int p1, int* kept, int* merges)
        {
            int keptCount = 0, mergeCount = 0, joined = -1;
            for (int p = Math.Max(p0, Second.ZeroRows); p < p1; p++)
            {
                if (RecurrentTiles.IsZero(First.A + (nint)p * First.M, First.M))
                {
                    if (joined >= 0 && RecurrentTiles.SameBits(Second.A + (nint)p * Second.M, Second.A + (nint)joined * Second.M, Second.M))
                    {
                        merges[1 + 2 * mergeCount] = p - p0;
                        merges[2 + 2 * mergeCount++] = joined - p0;
                        continue;
                    }
                    joined = p;
                }
                kept[1 + keptCount++] = p - p0;
            }
            kept[0] = keptCount;
            merges[0] = mergeCount;
            return mergeCount > 0;
        }

        /// <summary>Adds each merged row's 16 values of the strip to the row it joins, in the rows' order.</summary>
        private static void MergeStripRows(int* merges, float* strip)
        {
            for (int m = 0; m < merges[0]; m++)
            {
                float* from = strip + 16 * merges[1 + 2 * m], to = strip + 16 * merges[2 + 2 * m];
                (Vector256.Load(to) + Vector256.Load(from)).Store(to);
                (Vector256.Load(to + 8) + Vector256.Load(from + 8)).Store(to + 8);
            }
        }

        /// <summary>dZ's rows [p0, p1) of columns [j, j + 16) into <paramref name="strip"/>, 16 a row; with a bias, each
        /// column's sum carried on from the rows before (from zero at the first block), one add per row in order, as
        /// <see cref="Gemm.ColumnSums"/> sums it on every path.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private readonly void PackStrip(int j, int p0, int p1, float* strip)
        {
            float* b = B + (nint)p0 * N + j;
            if (Bias == null)
            {
                for (int p = 0; p < p1 - p0; p++, b += N)
                {
                    Vector256.Load(b).Store(strip + 16 * p);
                    Vector256.Load(b + 8).Store(strip + 16 * p + 8);
                }
                return;
            }
            Vector256<float> s0 = default, s1 = default;
            if (p0 > 0)
            {
                s0 = Vector256.Load(Bias + j);
                s1 = Vector256.Load(Bias + j + 8);
            }
            for (int p = 0; p < p1 - p0; p++, b += N)
            {
                Vector256<float> v0 = Vector256.Load(b), v1 = Vector256.Load(b + 8);
                v0.Store(strip + 16 * p);
                v1.Store(strip + 16 * p + 8);
                s0 += v0;
                s1 += v1;
            }
            s0.Store(Bias + j);
            s1.Store(Bias + j + 8);
        }
    }

    /// <summary>Output rows [i, i + TRows) x 16 columns at <paramref name="c"/> (rows <paramref name="n"/> apart), over
    /// <paramref name="count"/> rows of the sum: A's tile <paramref name="a"/> (packed, 6 values a row, or in place, M)
    /// and dZ's packed strip <paramref name="b"/> (16 a row); or, when <paramref name="listed"/> is not null, over the
    /// <paramref name="count"/> rows it lists (offsets from <paramref name="a"/>'s and <paramref name="b"/>'s first
    /// row, in increasing order): each chain the same, less the rows of zeros.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Tile<TRows>(float* c, nint n, int count, bool accumulate, float* a, nint aStride, float* b, int* listed = null)
        where TRows : struct, ITileCount
    {
        int rows = TRows.Value;
        Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector256<float> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        if (accumulate)
        {
            c00 = Vector256.Load(c); c01 = Vector256.Load(c + 8);
            if (rows > 1) { c10 = Vector256.Load(c + n); c11 = Vector256.Load(c + n + 8); }
            if (rows > 2) { c20 = Vector256.Load(c + 2 * n); c21 = Vector256.Load(c + 2 * n + 8); }
            if (rows > 3) { c30 = Vector256.Load(c + 3 * n); c31 = Vector256.Load(c + 3 * n + 8); }
            if (rows > 4) { c40 = Vector256.Load(c + 4 * n); c41 = Vector256.Load(c + 4 * n + 8); }
            if (rows > 5) { c50 = Vector256.Load(c + 5 * n); c51 = Vector256.Load(c + 5 * n + 8); }
        }
        for (int q = 0; listed != null && q < count; q++)
        {
            nint row = listed[q];
            float* ap = a + row * aStride, bp = b + 16 * row;
            Vector256<float> b0 = Vector256.Load(bp), b1 = Vector256.Load(bp + 8);
            Vector256<float> x = Vector256.Create(ap[0]);
            c00 = MultiplyAdd.Vector(x, b0, c00); c01 = MultiplyAdd.Vector(x, b1, c01);
            if (rows > 1) { x = Vector256.Create(ap[1]); c10 = MultiplyAdd.Vector(x, b0, c10); c11 = MultiplyAdd.Vector(x, b1, c11); }
            if (rows > 2) { x = Vector256.Create(ap[2]); c20 = MultiplyAdd.Vector(x, b0, c20); c21 = MultiplyAdd.Vector(x, b1, c21); }
            if (rows > 3) { x = Vector256.Create(ap[3]); c30 = MultiplyAdd.Vector(x, b0, c30); c31 = MultiplyAdd.Vector(x, b1, c31); }
            if (rows > 4) { x = Vector256.Create(ap[4]); c40 = MultiplyAdd.Vector(x, b0, c40); c41 = MultiplyAdd.Vector(x, b1, c41); }
            if (rows > 5) { x = Vector256.Create(ap[5]); c50 = MultiplyAdd.Vector(x, b0, c50); c51 = MultiplyAdd.Vector(x, b1, c51); }
        }
        // Two rows of the sum per iteration (the same chains, row after row): half the loop's bookkeeping.
        int p = 0;
        if (listed != null)
            p = count; // the listed rows are done
        for (; p + 2 <= count; p += 2, a += 2 * aStride, b += 32)
        {
            Vector256<float> b0 = Vector256.Load(b), b1 = Vector256.Load(b + 8);
            Vector256<float> x = Vector256.Create(a[0]);
            c00 = MultiplyAdd.Vector(x, b0, c00); c01 = MultiplyAdd.Vector(x, b1, c01);
            if (rows > 1) { x = Vector256.Create(a[1]); c10 = MultiplyAdd.Vector(x, b0, c10); c11 = MultiplyAdd.Vector(x, b1, c11); }
            if (rows > 2) { x = Vector256.Create(a[2]); c20 = MultiplyAdd.Vector(x, b0, c20); c21 = MultiplyAdd.Vector(x, b1, c21); }
            if (rows > 3) { x = Vector256.Create(a[3]); c30 = MultiplyAdd.Vector(x, b0, c30); c31 = MultiplyAdd.Vector(x, b1, c31); }
            if (rows > 4) { x = Vector256.Create(a[4]); c40 = MultiplyAdd.Vector(x, b0, c40); c41 = MultiplyAdd.Vector(x, b1, c41); }
            if (rows > 5) { x = Vector256.Create(a[5]); c50 = MultiplyAdd.Vector(x, b0, c50); c51 = MultiplyAdd.Vector(x, b1, c51); }
            // The next row.
            b0 = Vector256.Load(b + 16);
            b1 = Vector256.Load(b + 24);
            x = Vector256.Create(a[aStride]);
            c00 = MultiplyAdd.Vector(x, b0, c00); c01 = MultiplyAdd.Vector(x, b1, c01);
            if (rows > 1) { x = Vector256.Create(a[aStride + 1]); c10 = MultiplyAdd.Vector(x, b0, c10); c11 = MultiplyAdd.Vector(x, b1, c11); }
            if (rows > 2) { x = Vector256.Create(a[aStride + 2]); c20 = MultiplyAdd.Vector(x, b0, c20); c21 = MultiplyAdd.Vector(x, b1, c21); }
            if (rows > 3) { x = Vector256.Create(a[aStride + 3]); c30 = MultiplyAdd.Vector(x, b0, c30); c31 = MultiplyAdd.Vector(x, b1, c31); }
            if (rows > 4) { x = Vector256.Create(a[aStride + 4]); c40 = MultiplyAdd.Vector(x, b0, c40); c41 = MultiplyAdd.Vector(x, b1, c41); }
            if (rows > 5) { x = Vector256.Create(a[aStride + 5]); c50 = MultiplyAdd.Vector(x, b0, c50); c51 = MultiplyAdd.Vector(x, b1, c51); }
        }
        if (p < count)
        {
            Vector256<float> b0 = Vector256.Load(b), b1 = Vector256.Load(b + 8);
            Vector256<float> x = Vector256.Create(a[0]);
            c00 = MultiplyAdd.Vector(x, b0, c00); c01 = MultiplyAdd.Vector(x, b1, c01);
            if (rows > 1) { x = Vector256.Create(a[1]); c10 = MultiplyAdd.Vector(x, b0, c10); c11 = MultiplyAdd.Vector(x, b1, c11); }
            if (rows > 2) { x = Vector256.Create(a[2]); c20 = MultiplyAdd.Vector(x, b0, c20); c21 = MultiplyAdd.Vector(x, b1, c21); }
            if (rows > 3) { x = Vector256.Create(a[3]); c30 = MultiplyAdd.Vector(x, b0, c30); c31 = MultiplyAdd.Vector(x, b1, c31); }
            if (rows > 4) { x = Vector256.Create(a[4]); c40 = MultiplyAdd.Vector(x, b0, c40); c41 = MultiplyAdd.Vector(x, b1, c41); }
            if (rows > 5) { x = Vector256.Create(a[5]); c50 = MultiplyAdd.Vector(x, b0, c50); c51 = MultiplyAdd.Vector(x, b1, c51); }
        }
        c00.Store(c); c01.Store(c + 8);
        if (rows > 1) { c10.Store(c + n); c11.Store(c + n + 8); }
        if (rows > 2) { c20.Store(c + 2 * n); c21.Store(c + 2 * n + 8); }
        if (rows > 3) { c30.Store(c + 3 * n); c31.Store(c + 3 * n + 8); }
        if (rows > 4) { c40.Store(c + 4 * n); c41.Store(c + 4 * n + 8); }
        if (rows > 5) { c50.Store(c + 5 * n); c51.Store(c + 5 * n + 8); }
    }
}
