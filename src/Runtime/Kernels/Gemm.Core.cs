using System;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SourceNet.Kernels;

public static partial class Gemm
{
    /// <summary>Per-thread buffer for packed panels of a transposed B; grows, never shrinks, so a steady
    /// training loop allocates nothing.</summary>
    [ThreadStatic]
    private static float[]? t_packBuffer;

    /// <summary>Runs <paramref name="g"/> in <paramref name="parts"/> fixed column slices.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Run<TActivation>(in GemmArgs g, int parts)
        where TActivation : struct, IActivation
    {
        if (g.M == 0 || g.N == 0)
            return;
        if (g.Sparse != SparseMode.Never && g.Isa == KernelIsa.Vector512 && !g.BTransposed && g.K > 0)
        {
            bool always = g.Sparse == SparseMode.Always;
            if (g.M < ListedTileRows)
            {
                // A few rows (single images): each row streams only the rows of B its nonzeros select. That is a
                // couple of microseconds, less than handing half of it to another core costs: never split. The
                // compression counts the nonzeros, so it is the density test too. (A narrow product, a 10-class output
                // from half-zero hidden units, measured slower skipped than dense: 0.5 against 0.35 µs.)
                ReserveCompressedRows(g.M, g.K);
                if (g.N >= Width512)
                {
                    GemmArgs sparse = g;
                    long nonzeros = CompressRows(ref sparse);
                    if (always || nonzeros <= SparseMaxDensityFewRows * g.M * g.K)
                    {
                        RunAdaptive<TActivation>(sparse, always ? parts : 1);
                        return;
                    }
                }
            }
            else if (g.N >= Width512 && ReserveTileSteps(g.M, g.K) && (always || EstimateDensity(g) <= ListedMaxDensity))
            {
                GemmArgs listed = g;
                if (ListTileSteps(ref listed) <= ListedMaxKept || always)
                {
                    // Timed as the same product as its dense calls: a batch may turn sparse only late in training
                    // (a hidden layer's activations), and a new key then would make the split controller allocate.
                    RunAdaptive<TActivation>(listed, parts);
                    return;
                }
            }
        }
        RunAdaptive<TActivation>(g, parts);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RunAdaptive<TActivation>(in GemmArgs g, int parts)
        where TActivation : struct, IActivation
    {
        if (parts > 1 && g.AdaptiveKey != 0 && AdaptiveSplit.Enabled && !AdaptiveSplit.t_stepChoseProducts)
        {
            // Split or not, as the process-wide choice says (timed here); the bits are the same either way.
            // Made before the first split, which the controller may try only after many single-threaded steps:
            // the workers and this activation's shared job (steady state allocates nothing).
            KernelWorkers.Prepare(parts);
            _ = GemmJob<TActivation>.Shared;
            SplitController controller = SplitController.Shared;
            bool split = controller.NextSplit();
            long start = Stopwatch.GetTimestamp();
            RunParts<TActivation>(g, split ? parts : 1);
            controller.Record(g.AdaptiveKey, split, Stopwatch.GetTimestamp() - start);
            return;
        }
        RunParts<TActivation>(g, parts);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RunParts<TActivation>(in GemmArgs g, int parts)
        where TActivation : struct, IActivation
    {
        if (parts <= 1)
        {
            ExecuteSlice<TActivation>(g, 0, g.N);
            return;
        }
        if (g.Optimizer is { SupportsRangeUpdates: true } && g.M >= 6 * parts)
        {
            // A weight gradient: each part computes a block of whole rows of it and updates them right away, on the
            // same core (RunRowBlocks). Rows of a row-major matrix are one contiguous run, so the cores share a cache
            // line only where two blocks meet, and the gradient is still in cache when the update reads it. (Column
            // slices with the update fused share a line per row and array wherever the width is not a multiple of 16
            // floats: 784x300 with Adam on Zen 5 took 320 µs on two cores against 229 on one.) Otherwise, below:
            // column slices, each updated by the thread that computed it (ExecuteSlice).
            RunRowBlocks<TActivation>(g, parts);
            return;
        }
        if (KernelWorkers.TryAcquire())
        {
            // The shared job instance is only touched while the workers are held.
            GemmJob<TActivation> job = GemmJob<TActivation>.Shared;
            try
            {
                job.Args = g;
                KernelWorkers.Run(job, parts);
            }
            finally
            {
                job.Args = default;
                KernelWorkers.Release();
            }
        }
        else
        {
            for (int p = 0; p < parts; p++)
                ExecuteSlice<TActivation>(g, KernelThreads.SliceStart(g.N, p, parts), KernelThreads.SliceStart(g.N, p + 1, parts));
        }
    }

    /// <summary>Runs <paramref name="g"/> in <paramref name="parts"/> blocks of whole output rows, each followed by
    /// the optimizer's update of those rows (see <see cref="GemmJob{TActivation}.ByRows"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RunRowBlocks<TActivation>(in GemmArgs g, int parts)
        where TActivation : struct, IActivation
    {
        if (KernelWorkers.TryAcquire())
        {
            GemmJob<TActivation> job = GemmJob<TActivation>.Shared;
            try
            {
                job.Args = g;
                job.ByRows = true;
                KernelWorkers.Run(job, parts);
            }
            finally
            {
                job.Args = default;
                job.ByRows = false;
                KernelWorkers.Release();
            }
        }
        else
        {
            int tiles = (g.M + 5) / 6;
            for (int block = 0, blocks = RowBlocks(tiles, parts); block < blocks; block++)
                ExecuteRowBlock<TActivation>(g, RowBlockStart(tiles, block, blocks, g.M), RowBlockStart(tiles, block + 1, blocks, g.M));
        }
    }

    /// <summary>Tiles of 6 rows per row block: 48 rows of a 300-wide gradient are 57 KB, which stays in L2 between the
    /// product and the update; and a part of the tutorial's 784 rows has 8 blocks another core can take over.</summary>
    private const int TilesPerRowBlock = 8;

    /// <summary>Row blocks of a product of <paramref name="tiles"/> tiles split <paramref name="parts"/> ways: at least
    /// one per part (the split needs 6 rows a part), at most one per tile.</summary>
    private static int RowBlocks(int tiles, int parts) =>
        Math.Min(tiles, Math.Max(parts, (tiles + TilesPerRowBlock - 1) / TilesPerRowBlock));

    /// <summary>First row of block <paramref name="block"/> of <paramref name="blocks"/> over <paramref name="tiles"/>
    /// tiles: a multiple of 6, so every tile holds the rows it holds unsplit (same lists, same sums).</summary>
    private static int RowBlockStart(int tiles, int block, int blocks, int rows) =>
        block >= blocks ? rows : Math.Min(rows, (int)((long)tiles * block / blocks) * 6);

    /// <summary>Rows [<paramref name="i0"/>, <paramref name="i1"/>) of every column, then their update.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void ExecuteRowBlock<TActivation>(in GemmArgs g, int i0, int i1)
        where TActivation : struct, IActivation
    {
        if (i0 >= i1)
            return;
        // Blocks start on tiles, and a block ending in a partial tile holds a whole one too (RowBlocks), so a block
        // never has one row: that would take the matrix-vector kernel, not the tiles an unsplit call runs.
        Debug.Assert(i1 - i0 > 1 || g.M == 1);
        GemmArgs rows = g;
        rows.M = i1 - i0;
        rows.A = g.A + i0 * g.ARowStride;
        rows.C = g.C + i0 * g.CRowStride;
        rows.Optimizer = null;
        rows.UpdateTarget = null;
        if (g.TileSteps != null)
        {
            rows.TileSteps = g.TileSteps + (nint)(i0 / 6) * g.K;
            rows.TileStepCounts = g.TileStepCounts + i0 / 6;
        }
        ExecuteSlice<TActivation>(rows, 0, g.N);
        g.Optimizer!.UpdateRange(g.UpdateTarget!, i0 * g.N, (i1 - i0) * g.N);
    }

    /// <summary>Computes output columns [<paramref name="j0"/>, <paramref name="j1"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void ExecuteSlice<TActivation>(in GemmArgs g, int j0, int j1)
        where TActivation : struct, IActivation
    {
        if (j0 >= j1)
            return;
        if (!g.BTransposed)
        {
            ExecuteDirect<TActivation>(g, j0, j1);
            // The fused update: these columns' gradients were just computed by this thread and are in its cache.
            g.Optimizer?.UpdateColumns(g.UpdateTarget!, j0, j1 - j0);
            return;
        }
        // Pack B's rows for a block of output columns as a [K, width] panel, so the tiles read B(p, j..j+16) as one
        // contiguous vector; then run the block. Blocks of 256 columns bound the buffer (and keep the panel in L2)
        // however wide the output; each thread packs only the columns it computes.
        for (int start = j0, end; start < j1; start = end)
        {
            end = j1 - start <= PackBlockColumns + 64 ? j1 : start + PackBlockColumns;
            int width = end - start;
            // Panel rows a multiple of 512 bytes apart fall into a few L1 sets and evict each other, both while
            // packing and in the tiles; one extra cache line per row spreads them.
            int stride = (width + 15) & ~15;
            if ((stride & 127) == 0)
                stride += 16;
            int needed = checked(g.K * stride);
            float[] buffer = t_packBuffer is { } existing && existing.Length >= needed
                ? existing
                : t_packBuffer = new float[Math.Max(needed, 1024)];
            fixed (float* panel = buffer)
            {
                PackTransposed(g.B, g.K, start, end, panel, stride);
                GemmArgs packed = g;
                packed.B = panel - start;
                packed.BRowStride = stride;
                packed.BTransposed = false;
                ExecuteDirect<TActivation>(packed, start, end);
            }
        }
    }

    /// <summary>Output columns packed and computed together by <see cref="MatMulTransposeB(int, int, int, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float})"/>.</summary>
    private const int PackBlockColumns = 256;

    /// <summary>panel[p·width + (j - j0)] = b[j·k + p] for j in [j0, j1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void PackTransposed(float* b, int k, int j0, int j1, float* panel, nint width)
    {
        nint stride = k;
        int j = j0;
        if (Avx.IsSupported)
        {
            // Eight source rows at a time, in 8x8 blocks transposed in registers: 8 loads, 24 shuffles and
            // 8 stores move 64 values, where scalar code needs 128 memory operations.
            for (; j + 8 <= j1; j += 8)
            {
                float* s = b + (nint)j * k;
                float* d = panel + (j - j0);
                int p = 0;
                for (; p + 8 <= k; p += 8)
                {
                    Transpose8x8(s + p, stride, d, width);
                    d += 8 * width;
                }
                for (; p < k; p++)
                {
                    for (int r = 0; r < 8; r++)
                        d[r] = s[r * stride + p];
                    d += width;
                }
            }
        }
        // Sixteen source rows at a time: each destination row gets a whole 64-byte line per step, and the
        // sixteen reads per step walk sixteen sequential streams.
        for (; j + 16 <= j1; j += 16)
        {
            float* s = b + (nint)j * k;
            float* d = panel + (j - j0);
            for (int p = 0; p < k; p++)
            {
                float* column = s + p;
                d[0] = column[0];
                d[1] = column[stride];
                d[2] = column[2 * stride];
                d[3] = column[3 * stride];
                d[4] = column[4 * stride];
                d[5] = column[5 * stride];
                d[6] = column[6 * stride];
                d[7] = column[7 * stride];
                d[8] = column[8 * stride];
                d[9] = column[9 * stride];
                d[10] = column[10 * stride];
                d[11] = column[11 * stride];
                d[12] = column[12 * stride];
                d[13] = column[13 * stride];
                d[14] = column[14 * stride];
                d[15] = column[15 * stride];
                d += width;
            }
        }
        for (; j < j1; j++)
        {
            float* s = b + (nint)j * k;
            float* d = panel + (j - j0);
            for (int p = 0; p < k; p++)
            {
                *d = s[p];
                d += width;
            }
        }
    }

    /// <summary>d[q·dStride + r] = s[r·sStride + q] for r, q in [0, 8); needs AVX.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static unsafe void Transpose8x8(float* s, nint sStride, float* d, nint dStride)
    {
        Vector256<float> r0 = Avx.LoadVector256(s), r1 = Avx.LoadVector256(s + sStride);
        Vector256<float> r2 = Avx.LoadVector256(s + 2 * sStride), r3 = Avx.LoadVector256(s + 3 * sStride);
        Vector256<float> r4 = Avx.LoadVector256(s + 4 * sStride), r5 = Avx.LoadVector256(s + 5 * sStride);
        Vector256<float> r6 = Avx.LoadVector256(s + 6 * sStride), r7 = Avx.LoadVector256(s + 7 * sStride);
        // Interleave pairs of rows, then pairs of pairs (within 128-bit lanes), then swap the lane halves.
        Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1);
        Vector256<float> t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
        Vector256<float> t4 = Avx.UnpackLow(r4, r5), t5 = Avx.UnpackHigh(r4, r5);
        Vector256<float> t6 = Avx.UnpackLow(r6, r7), t7 = Avx.UnpackHigh(r6, r7);
        Vector256<float> u0 = Avx.Shuffle(t0, t2, 0x44), u1 = Avx.Shuffle(t0, t2, 0xEE);
        Vector256<float> u2 = Avx.Shuffle(t1, t3, 0x44), u3 = Avx.Shuffle(t1, t3, 0xEE);
        Vector256<float> u4 = Avx.Shuffle(t4, t6, 0x44), u5 = Avx.Shuffle(t4, t6, 0xEE);
        Vector256<float> u6 = Avx.Shuffle(t5, t7, 0x44), u7 = Avx.Shuffle(t5, t7, 0xEE);
        Avx.Store(d, Avx.Permute2x128(u0, u4, 0x20));
        Avx.Store(d + dStride, Avx.Permute2x128(u1, u5, 0x20));
        Avx.Store(d + 2 * dStride, Avx.Permute2x128(u2, u6, 0x20));
        Avx.Store(d + 3 * dStride, Avx.Permute2x128(u3, u7, 0x20));
        Avx.Store(d + 4 * dStride, Avx.Permute2x128(u0, u4, 0x31));
        Avx.Store(d + 5 * dStride, Avx.Permute2x128(u1, u5, 0x31));
        Avx.Store(d + 6 * dStride, Avx.Permute2x128(u2, u6, 0x31));
        Avx.Store(d + 7 * dStride, Avx.Permute2x128(u3, u7, 0x31));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void ExecuteDirect<TActivation>(in GemmArgs g, int j0, int j1)
        where TActivation : struct, IActivation
    {
        switch (g.Isa)
        {
            case KernelIsa.Vector512 when g.SparseRowStart != null:
                SparseSlice512<TActivation>(g, j0, j1);
                break;
            case KernelIsa.Vector512 when g.TileSteps != null:
                ListedSlice512<TActivation>(g, j0, j1);
                break;
            case KernelIsa.Vector512 when g.M == 1:
                MatVecSlice512<TActivation>(g, j0, j1);
                break;
            case KernelIsa.Vector512 when UsesStepBlocks(g):
                StepBlockSlice<Simd512, Vector512<float>, TActivation>(g, j0, j1);
                break;
            case KernelIsa.Vector512:
                Slice512<TActivation>(g, j0, j1);
                break;
            case KernelIsa.Vector256 when g.M == 1 && g.SparseRowStart == null:
                MatVecSlice256<TActivation>(g, j0, j1);
                break;
            case KernelIsa.Vector256 when UsesStepBlocks(g):
                StepBlockSlice<Simd256, Vector256<float>, TActivation>(g, j0, j1);
                break;
            case KernelIsa.Vector256:
                Slice256<TActivation>(g, j0, j1);
                break;
            case KernelIsa.Vector128:
                Slice128<TActivation>(g, j0, j1);
                break;
            default:
                SliceScalar<TActivation>(g, j0, j1);
                break;
        }
    }

    /// <summary>The fork-join job for one activation type; one shared instance, used while the workers are held.</summary>
    private sealed unsafe class GemmJob<TActivation> : KernelJob
        where TActivation : struct, IActivation
    {
        public static readonly GemmJob<TActivation> Shared = new();

        public GemmArgs Args;

        /// <summary>A weight gradient fused with its update, split by rows: part p owns a contiguous range of row
        /// blocks (<see cref="RowBlockStart"/>), each computed over every column and then updated by the same core.
        /// Split by columns instead, the update of a 300-wide weight shares a cache line per row between the cores.</summary>
        public bool ByRows;

        private int Tiles => (Args.M + 5) / 6;

        private int FirstBlock(int part, int parts) => (int)((long)RowBlocks(Tiles, parts) * part / parts);

        /// <summary>Columns per chunk: one 64-wide tile panel (192 for the matrix-vector and sparse tiles), wider only when a
        /// slice would otherwise have more than <see cref="MaxChunks"/> chunks. A slice's last chunk also takes the
        /// remainder, so every chunk is at least a vector wide and runs the same tiles as an unsplit call would.</summary>
        private int MinChunkWidth => Args.M == 1 || Args.SparseRowStart != null ? MatVecVectors * Width512 : 64;

        private const int MaxChunks = 1024;

        public override int ChunkCount(int part, int parts)
        {
            if (ByRows)
                return FirstBlock(part + 1, parts) - FirstBlock(part, parts);
            int width = KernelThreads.SliceStart(Args.N, part + 1, parts) - KernelThreads.SliceStart(Args.N, part, parts);
            return Math.Clamp(width / MinChunkWidth, 1, MaxChunks);
        }

        public override void RunChunk(int part, int parts, int chunk)
        {
            if (ByRows)
            {
                int blocks = RowBlocks(Tiles, parts), block = FirstBlock(part, parts) + chunk;
                ExecuteRowBlock<TActivation>(Args, RowBlockStart(Tiles, block, blocks, Args.M), RowBlockStart(Tiles, block + 1, blocks, Args.M));
                return;
            }
            int start = KernelThreads.SliceStart(Args.N, part, parts);
            int end = KernelThreads.SliceStart(Args.N, part + 1, parts);
            int chunks = Math.Clamp((end - start) / MinChunkWidth, 1, MaxChunks);
            int width = (end - start) / chunks & ~(Width512 - 1);
            int j0 = start + chunk * width;
            int j1 = chunk == chunks - 1 ? end : j0 + width;
            ExecuteSlice<TActivation>(Args, j0, j1);
        }
    }
}
