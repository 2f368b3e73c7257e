using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace SourceNet.Kernels;

// The direct filter gradient: dW[i, f] = Σ_r padded[window(r) + patch(i)] · dOut[r, f], with each patch entry
// i = (ky, kx, c) read in place from the chunk's padded inputs instead of an im2col copy, so a 5x5x1 layer's 25-value
// patches (the first layer of the MNIST CNN) cost no copy and no 25-wide matrix.
//
// Why not the GEMM on the patches: its tile streams all of a chunk's rows (50 samples · 784 positions of the first
// layer: 5 MB of dOut) once per 6 x 16 tile of dW, from L3. Here the rows are cut into steps of StepsPerPass (a few
// KB of dOut, in L1) and every tile of the block runs over that pass before the next: each tile's accumulators are
// stored after one pass and loaded back for the next. A float stored and loaded is the same float, so every dW element
// is still one chain of fused multiply-adds over the chunk's rows in increasing order from zero, as the im2col
// product computes it: the two methods give the same bits (tested), and the MNIST goldens stay as they were.
//
// Tiles: dW's PatchLength rows are cut into tiles of 5 or 6 rows (as even as possible: 25 = 5 · 5, 800 = 130 · 6 + 4 · 5),
// since a 1-row remainder tile has too few accumulators to hide the FMA latency; columns in panels of TileVectors
// vectors, then one narrower panel, then a scalar tail (panels never overlap: they accumulate in memory).
public static partial class Conv2D
{
    /// <summary>What the direct filter-gradient kernel reads and writes for one chunk of samples.</summary>
    /// <remarks>Holds raw pointers: valid only while the caller keeps the spans pinned.</remarks>
    private unsafe struct FilterGradientDirectWork : IBlockWork
    {
        public Conv2DGeometry G;
        public ConvPlan Plan;
        /// <summary>The chunk's padded inputs.</summary>
        public float* Padded;
        /// <summary>The chunk's first dOut row: [Rows, Filters].</summary>
        public float* OutputGradient;
        /// <summary>[PatchLength, Filters], assigned.</summary>
        public float* Target;
        /// <summary>dW, into which <see cref="Target"/> is added where <see cref="Accumulate"/> (chunks after the first).</summary>
        public float* WeightGradient;
        public int Rows;
        public bool Accumulate;
        public KernelIsa Isa;

        public readonly int Blocks => FilterTiling.For(G.PatchLength, G.Filters, Isa).Blocks;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public readonly void RunBlock(int block)
        {
            var tiling = FilterTiling.For(G.PatchLength, G.Filters, Isa);
            int tileBlock = block / tiling.ColumnBlocks, columnBlock = block - tileBlock * tiling.ColumnBlocks;
            int t0 = tileBlock * FilterTiling.TilesPerBlock, t1 = Math.Min(tiling.Tiles, t0 + FilterTiling.TilesPerBlock);
            int i0 = tiling.TileStart(t0), i1 = tiling.TileStart(t1);
            int j0 = tiling.ColumnStart(columnBlock), j1 = tiling.ColumnStart(columnBlock + 1);
            // Where each patch entry of the block sits in a window (a block has at most TilesPerBlock · 6 rows).
            nint* patch = stackalloc nint[FilterTiling.TilesPerBlock * 6];
            int kw = G.KernelWidth, c = G.InputChannels;
            nint rowStride = (nint)Plan.PaddedWidth * c;
            for (int i = i0; i < i1; i++)
            {
                int ky = i / (kw * c), rest = i - ky * kw * c, kx = rest / c;
                patch[i - i0] = ky * rowStride + (nint)kx * c + (rest - kx * c);
            }
            int stepsPerPass = FilterTiling.StepsPerPass(j1 - j0);
            nint* window = stackalloc nint[FilterTiling.MaxStepsPerPass];
            var cursor = new WindowCursor(G, Plan, 0);
            for (int r0 = 0; r0 < Rows; r0 += stepsPerPass)
            {
                int steps = Math.Min(stepsPerPass, Rows - r0);
                cursor.Fill(window, steps);
                var pass = new FilterPass
                {
                    Window = window, Steps = steps, OutputGradient = OutputGradient + (nint)r0 * G.Filters,
                    Filters = G.Filters, Target = Target, First = r0 == 0,
                };
                for (int t = t0; t < t1; t++)
                {
                    int i = tiling.TileStart(t);
                    pass.Run(tiling.Ops, Padded, patch + (i - i0), i, tiling.TileStart(t + 1) - i, j0, j1);
                }
            }
            if (Accumulate)
            {
                for (int i = i0; i < i1; i++)
                    AddInto(WeightGradient + (nint)i * G.Filters + j0, Target + (nint)i * G.Filters + j0, j1 - j0);
            }
        }
    }

    /// <summary>How the direct filter gradient cuts dW: tiles of rows, blocks of tiles for the threads, column panels.</summary>
    private readonly struct FilterTiling
    {
        /// <summary>Tiles per block: 48 rows of dW, so a 800-row gradient gives two threads 17 blocks to share.</summary>
        public const int TilesPerBlock = 8;

        /// <summary>Upper bound of <see cref="StepsPerPass"/>.</summary>
        public const int MaxStepsPerPass = 256;

        private readonly int _baseRows, _longTiles;

        private FilterTiling(int patchLength, int filters, FilterOps ops)
        {
            Ops = ops;
            Tiles = (patchLength + 5) / 6;
            _baseRows = patchLength / Tiles;
            _longTiles = patchLength - _baseRows * Tiles;
            int tileBlocks = (Tiles + TilesPerBlock - 1) / TilesPerBlock;
            // Few tiles (a first layer's 25-row dW): split the columns too, by panels, so two threads both have work.
            // Not otherwise: a column block reads the block's patch values again (the 800-row dW of the second layer
            // measured 55% of the FMA peak split by columns, 77% not).
            PanelWidth = ops.Width == 1 ? filters : ops.Width * ops.TileVectors;
            ColumnBlocks = tileBlocks >= 4 ? 1 : Math.Max(1, filters / PanelWidth);
            Filters = filters;
            Blocks = tileBlocks * ColumnBlocks;
        }

        public FilterOps Ops { get; }
        public int Tiles { get; }
        public int ColumnBlocks { get; }
        public int Blocks { get; }
        private int PanelWidth { get; }
        private int Filters { get; }

        public static FilterTiling For(int patchLength, int filters, KernelIsa isa) => new(patchLength, filters, FilterOps.For(isa, filters));

        /// <summary>First dW row of tile <paramref name="t"/> (t = Tiles: PatchLength): the first tiles get the extra row.</summary>
        public int TileStart(int t) => t * _baseRows + Math.Min(t, _longTiles);

        /// <summary>First column of column block <paramref name="b"/>; the last block takes the remainder.</summary>
        public int ColumnStart(int b) => b >= ColumnBlocks ? Filters : b * PanelWidth;

        /// <summary>Rows per pass: the dOut a block's pass reads (steps · its columns) takes 16 KB of L1, half of Zen 3's,
        /// leaving room for the patch values (measured on the 800 x 64 gradient: 8 KB 74-77%, 16 KB 76-78%, 32 KB 66-69%).</summary>
        public static int StepsPerPass(int columns) => Math.Clamp(4096 / columns, 16, MaxStepsPerPass);
    }

    /// <summary>The widest vector path whose vector fits the filter count (the tile needs at least one whole vector).</summary>
    private readonly struct FilterOps
    {
        public int Width { get; init; }
        public int TileVectors { get; init; }

        public static FilterOps For(KernelIsa isa, int filters) =>
            isa >= KernelIsa.Vector512 && filters >= 16 ? new FilterOps { Width = 16, TileVectors = Simd512.TileVectors }
            : isa >= KernelIsa.Vector256 && filters >= 8 ? new FilterOps { Width = 8, TileVectors = Simd256.TileVectors }
            : isa >= KernelIsa.Vector128 && filters >= 4 ? new FilterOps { Width = 4, TileVectors = Simd128.TileVectors }
            : new FilterOps { Width = 1, TileVectors = 1 };
    }

    /// <summary>One pass of a block: a run of consecutive rows (steps) of the chunk, for each tile of dW.</summary>
    private unsafe struct FilterPass
    {
        /// <summary>Window offset of each step in the padded chunk.</summary>
        public nint* Window;
        public int Steps;
        /// <summary>dOut row of the pass's first step.</summary>
        public float* OutputGradient;
        public int Filters;
        public float* Target;
        /// <summary>The chunk's first pass: accumulators start at zero, not from <see cref="Target"/>.</summary>
        public bool First;

        /// <summary>dW rows [i, i + rows) (patch entries at <paramref name="patch"/>), columns [j0, j1).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public readonly void Run(FilterOps ops, float* padded, nint* patch, int i, int rows, int j0, int j1)
        {
            switch (ops.Width)
            {
                case 16: Panels<Simd512, Vector512<float>>(padded, patch, i, rows, j0, j1); break;
                case 8: Panels<Simd256, Vector256<float>>(padded, patch, i, rows, j0, j1); break;
                case 4: Panels<Simd128, Vector128<float>>(padded, patch, i, rows, j0, j1); break;
                default: ScalarColumns(padded, patch, i, rows, j0, j1); break;
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private readonly void Panels<TOps, TVector>(float* padded, nint* patch, int i, int rows, int j0, int j1)
            where TOps : struct, IGemmVectorOps<TVector>
            where TVector : struct
        {
            int width = TOps.Width, j = j0;
            if (TOps.TileVectors == 4)
            {
                for (; j + 4 * width <= j1; j += 4 * width)
                    Rows<TOps, TVector, Count4>(padded, patch, i, rows, j);
            }
            else
            {
                for (; j + 2 * width <= j1; j += 2 * width)
                    Rows<TOps, TVector, Count2>(padded, patch, i, rows, j);
            }
            switch ((j1 - j) / width)
            {
                case 1: Rows<TOps, TVector, Count1>(padded, patch, i, rows, j); j += width; break;
                case 2: Rows<TOps, TVector, Count2>(padded, patch, i, rows, j); j += 2 * width; break;
                case 3: Rows<TOps, TVector, Count3>(padded, patch, i, rows, j); j += 3 * width; break;
            }
            if (j < j1)
                ScalarColumns(padded, patch, i, rows, j, j1);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private readonly void Rows<TOps, TVector, TVectors>(float* padded, nint* patch, int i, int rows, int j)
            where TOps : struct, IGemmVectorOps<TVector>
            where TVector : struct
            where TVectors : struct, ITileCount
        {
            switch (rows)
            {
                case 6: Tile<TOps, TVector, Count6, TVectors>(padded, patch, i, j); break;
                case 5: Tile<TOps, TVector, Count5, TVectors>(padded, patch, i, j); break;
                case 4: Tile<TOps, TVector, Count4, TVectors>(padded, patch, i, j); break;
                case 3: Tile<TOps, TVector, Count3, TVectors>(padded, patch, i, j); break;
                case 2: Tile<TOps, TVector, Count2, TVectors>(padded, patch, i, j); break;
                default: Tile<TOps, TVector, Count1, TVectors>(padded, patch, i, j); break;
            }
        }

        /// <summary>dW rows [i, i + TRows) x TVectors vectors from column j, over this pass's steps.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private readonly void Tile<TOps, TVector, TRows, TVectors>(float* padded, nint* patch, int i, int j)
            where TOps : struct, IGemmVectorOps<TVector>
            where TVector : struct
            where TRows : struct, ITileCount
            where TVectors : struct, ITileCount
        {
            int rows = TRows.Value, vectors = TVectors.Value, width = TOps.Width;
            nint n = Filters;
            TVector c00 = default, c01 = default, c02 = default, c03 = default;
            TVector c10 = default, c11 = default, c12 = default, c13 = default;
            TVector c20 = default, c21 = default, c22 = default, c23 = default;
            TVector c30 = default, c31 = default, c32 = default, c33 = default;
            TVector c40 = default, c41 = default, c42 = default, c43 = default;
            TVector c50 = default, c51 = default, c52 = default, c53 = default;
            float* c = Target + i * n + j;
            if (!First)
            {
                Load<TOps, TVector, TVectors>(c, width, ref c00, ref c01, ref c02, ref c03);
                if (rows > 1) Load<TOps, TVector, TVectors>(c + n, width, ref c10, ref c11, ref c12, ref c13);
                if (rows > 2) Load<TOps, TVector, TVectors>(c + 2 * n, width, ref c20, ref c21, ref c22, ref c23);
                if (rows > 3) Load<TOps, TVector, TVectors>(c + 3 * n, width, ref c30, ref c31, ref c32, ref c33);
                if (rows > 4) Load<TOps, TVector, TVectors>(c + 4 * n, width, ref c40, ref c41, ref c42, ref c43);
                if (rows > 5) Load<TOps, TVector, TVectors>(c + 5 * n, width, ref c50, ref c51, ref c52, ref c53);
            }
            float* a0 = padded + patch[0];
            float* a1 = rows > 1 ? padded + patch[1] : a0;
            float* a2 = rows > 2 ? padded + patch[2] : a0;
            float* a3 = rows > 3 ? padded + patch[3] : a0;
            float* a4 = rows > 4 ? padded + patch[4] : a0;
            float* a5 = rows > 5 ? padded + patch[5] : a0;
            float* b = OutputGradient + j;
            // A pointer walk with the end in a register: an int counter compared with the field cost a sign extension
            // and a load per step, in a loop already at the core's issue width.
            for (nint* window = Window, end = Window + Steps; window < end; window++)
            {
                nint o = *window;
                TVector b0 = TOps.Load(b);
                TVector b1 = vectors > 1 ? TOps.Load(b + width) : default;
                TVector b2 = vectors > 2 ? TOps.Load(b + 2 * width) : default;
                TVector b3 = vectors > 3 ? TOps.Load(b + 3 * width) : default;
                TVector x = TOps.Broadcast(a0[o]);
                c00 = TOps.MultiplyAdd(x, b0, c00);
                if (vectors > 1) c01 = TOps.MultiplyAdd(x, b1, c01);
                if (vectors > 2) c02 = TOps.MultiplyAdd(x, b2, c02);
                if (vectors > 3) c03 = TOps.MultiplyAdd(x, b3, c03);
                if (rows > 1)
                {
                    x = TOps.Broadcast(a1[o]);
                    c10 = TOps.MultiplyAdd(x, b0, c10);
                    if (vectors > 1) c11 = TOps.MultiplyAdd(x, b1, c11);
                    if (vectors > 2) c12 = TOps.MultiplyAdd(x, b2, c12);
                    if (vectors > 3) c13 = TOps.MultiplyAdd(x, b3, c13);
                }
                if (rows > 2)
                {
                    x = TOps.Broadcast(a2[o]);
                    c20 = TOps.MultiplyAdd(x, b0, c20);
                    if (vectors > 1) c21 = TOps.MultiplyAdd(x, b1, c21);
                    if (vectors > 2) c22 = TOps.MultiplyAdd(x, b2, c22);
                    if (vectors > 3) c23 = TOps.MultiplyAdd(x, b3, c23);
                }
                if (rows > 3)
                {
                    x = TOps.Broadcast(a3[o]);
                    c30 = TOps.MultiplyAdd(x, b0, c30);
                    if (vectors > 1) c31 = TOps.MultiplyAdd(x, b1, c31);
                    if (vectors > 2) c32 = TOps.MultiplyAdd(x, b2, c32);
                    if (vectors > 3) c33 = TOps.MultiplyAdd(x, b3, c33);
                }
                if (rows > 4)
                {
                    x = TOps.Broadcast(a4[o]);
                    c40 = TOps.MultiplyAdd(x, b0, c40);
                    if (vectors > 1) c41 = TOps.MultiplyAdd(x, b1, c41);
                    if (vectors > 2) c42 = TOps.MultiplyAdd(x, b2, c42);
                    if (vectors > 3) c43 = TOps.MultiplyAdd(x, b3, c43);
                }
                if (rows > 5)
                {
                    x = TOps.Broadcast(a5[o]);
                    c50 = TOps.MultiplyAdd(x, b0, c50);
                    if (vectors > 1) c51 = TOps.MultiplyAdd(x, b1, c51);
                    if (vectors > 2) c52 = TOps.MultiplyAdd(x, b2, c52);
                    if (vectors > 3) c53 = TOps.MultiplyAdd(x, b3, c53);
                }
                b += n;
            }
            Store<TOps, TVector, TVectors>(c, width, c00, c01, c02, c03);
            if (rows > 1) Store<TOps, TVector, TVectors>(c + n, width, c10, c11, c12, c13);
            if (rows > 2) Store<TOps, TVector, TVectors>(c + 2 * n, width, c20, c21, c22, c23);
            if (rows > 3) Store<TOps, TVector, TVectors>(c + 3 * n, width, c30, c31, c32, c33);
            if (rows > 4) Store<TOps, TVector, TVectors>(c + 4 * n, width, c40, c41, c42, c43);
            if (rows > 5) Store<TOps, TVector, TVectors>(c + 5 * n, width, c50, c51, c52, c53);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Load<TOps, TVector, TVectors>(float* c, int width, ref TVector v0, ref TVector v1, ref TVector v2, ref TVector v3)
            where TOps : struct, IGemmVectorOps<TVector>
            where TVector : struct
            where TVectors : struct, ITileCount
        {
            v0 = TOps.Load(c);
            if (TVectors.Value > 1) v1 = TOps.Load(c + width);
            if (TVectors.Value > 2) v2 = TOps.Load(c + 2 * width);
            if (TVectors.Value > 3) v3 = TOps.Load(c + 3 * width);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Store<TOps, TVector, TVectors>(float* c, int width, TVector v0, TVector v1, TVector v2, TVector v3)
            where TOps : struct, IGemmVectorOps<TVector>
            where TVector : struct
            where TVectors : struct, ITileCount
        {
            TOps.Store(v0, c);
            if (TVectors.Value > 1) TOps.Store(v1, c + width);
            if (TVectors.Value > 2) TOps.Store(v2, c + 2 * width);
            if (TVectors.Value > 3) TOps.Store(v3, c + 3 * width);
        }

        /// <summary>Columns narrower than a vector, one chain per element (the same chain as the vector lanes).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private readonly void ScalarColumns(float* padded, nint* patch, int i, int rows, int j0, int j1)
        {
            nint n = Filters;
            for (int r = 0; r < rows; r++)
            {
                float* a = padded + patch[r];
                float* c = Target + (i + r) * n;
                for (int j = j0; j < j1; j++)
                {
                    float sum = First ? 0f : c[j];
                    float* b = OutputGradient + j;
                    for (int q = 0; q < Steps; q++)
                    {
                        sum = MultiplyAdd.Scalar(a[Window[q]], *b, sum);
                        b += n;
                    }
                    c[j] = sum;
                }
            }
        }
    }
}
