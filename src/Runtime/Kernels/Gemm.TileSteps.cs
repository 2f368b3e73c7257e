using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SourceNet.Kernels;

// Listed steps: the dense tile, walking only the steps p where at least one of its six rows of A is nonzero.
//
// A tile computes six rows at once, c(r, j) = fma(A(r,p), B(p,j), c(r, j)) for p = 0..K-1. A step at which all six
// A(r,p) are exact zeros adds 0·B(p,j) to each sum, which leaves it unchanged (the -0 exception of Gemm.Sparse512.cs
// aside), so the tile may skip it; steps that are kept run exactly as densely, zeros of the other rows included.
// Every element's chain is therefore the dense chain minus steps that added nothing: the same bits.
//
// Why not skip per element: a per-row walk (Gemm.SparseTile512.cs) loads a vector of B for every FMA and is bound
// by those loads. The listed tile keeps the dense tile's reuse (each vector of B feeds six rows) and drops the
// steps no row needs. On MNIST (19 % of pixels nonzero) six random images together need 43 % of the 784 pixels
// (X·W1), and six adjacent pixels over a batch need 34 % of the batch's images (Xᵀ·dZ1, the weight gradient).
public static partial class Gemm
{
    /// <summary>Above this sampled density of A the lists are not built: the union of six rows keeps most steps.</summary>
    internal const double ListedMaxDensity = 0.5;

    /// <summary>Largest fraction of the dense steps the lists may keep for the listed tile to run: it costs an
    /// index load per kept step more than the dense one, nothing else.</summary>
    internal const double ListedMaxKept = 0.85;

    /// <summary>Rows per listed tile: the dense tile's row count.</summary>
    private const int ListedTileRows = 6;

    /// <summary>Bound on tiles x K (4 MB of lists), so the buffers reserved for every eligible product stay small;
    /// a batch of 256 with 24,000 inputs is within it.</summary>
    private const long MaxListedEntries = 1L << 20;

    // Tile t's steps are TileSteps[t·K .. t·K + TileStepCounts[t]). Per calling thread, pinned, grown as needed.
    [ThreadStatic] private static int[]? t_tileSteps;
    [ThreadStatic] private static int[]? t_tileStepCounts;
    [ThreadStatic] private static ulong[]? t_tileBits;

    /// <summary>
    /// Lists, for each tile of six logical rows of A, the steps where one of them is nonzero, and points
    /// <paramref name="g"/> at the lists. Returns the fraction of the dense steps kept. The buffers must have been
    /// reserved for A's size (<see cref="ReserveTileSteps"/> returned true).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe double ListTileSteps(ref GemmArgs g)
    {
        int m = g.M, k = g.K, tiles = (m + ListedTileRows - 1) / ListedTileRows;
        int[] steps = t_tileSteps!, counts = t_tileStepCounts!;
        fixed (int* ps = steps)
        fixed (int* pc = counts)
        {
            long kept = g.AStepStride == 1
                ? ListRowMajor(g.A, m, k, g.ARowStride, ps, pc)
                : ListColumnMajor(g.A, m, k, g.AStepStride, ps, pc);
            // Pinned arrays: the pointers outlive this fixed block.
            g.TileSteps = ps;
            g.TileStepCounts = pc;
            return (double)kept / ((long)tiles * k);
        }
    }

    /// <summary>
    /// Sizes this thread's list buffers for an [M, K] left operand; false when it is too large to list. Called for
    /// every product that could take the listed tiles, dense or not, so that a batch that first turns sparse late
    /// in training (a hidden layer's activations) finds the buffers ready: the steady state allocates nothing.
    /// </summary>
    private static bool ReserveTileSteps(int m, int k)
    {
        int tiles = (m + ListedTileRows - 1) / ListedTileRows;
        if ((long)tiles * k > MaxListedEntries)
            return false;
        // Spare entries past the last list: the lists are stored 16 at a time, and the tiles read PrefetchAhead
        // entries past their list's end (prefetching only).
        Grow(ref t_tileSteps, tiles * k + 16 + PrefetchAhead);
        Grow(ref t_tileStepCounts, tiles);
        Grow(ref t_tileBits, ((k + 63) / 64) * ((tiles + 63) / 64) * 64);
        return true;
    }

    /// <summary>
    /// A row-major [M, K] (the forward product): per tile, the union of its rows' nonzero positions. Sixteen steps
    /// at a time: the rows' nonzero masks are OR-ed and the positions they select are compressed into the list
    /// (one vector store, no branch per position).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe long ListRowMajor(float* a, int m, int k, nint rowStride, int* steps, int* counts)
    {
        long kept = 0;
        Vector512<int> positions = Vector512<int>.Indices;
        for (int t = 0, r0 = 0; r0 < m; t++, r0 += ListedTileRows)
        {
            int rows = Math.Min(ListedTileRows, m - r0);
            float* first = a + r0 * rowStride;
            int* list = steps + (nint)t * k;
            int n = 0, p = 0;
            for (; p + 16 <= k; p += 16)
            {
                Vector512<float> any = Vector512<float>.Zero;
                for (int r = 0; r < rows; r++)
                    any |= ~Vector512.Equals(Vector512.Load(first + r * rowStride + p), Vector512<float>.Zero);
                // The store writes 16 entries, past the count: the next positions overwrite them, and the buffer has
                // spare entries after the last list.
                Avx512F.Compress(Vector512<int>.Zero, any.AsInt32(), positions + Vector512.Create(p)).Store(list + n);
                n += BitOperations.PopCount(any.ExtractMostSignificantBits());
            }
            for (; p < k; p++)
            {
                bool nonzero = false;
                for (int r = 0; r < rows; r++)
                    nonzero |= first[r * rowStride + p] != 0f;
                list[n] = p;
                n += nonzero ? 1 : 0;
            }
            counts[t] = n;
            kept += n;
        }
        return kept;
    }

    /// <summary>
    /// Aᵀ stored [K, M] (the weight gradient: A(i,p) = a[p·stride + i]): tile t's rows are six adjacent values of
    /// each storage row p. Three passes, none with a branch per entry: each storage row, read once, gives one bit
    /// per tile (its 48-value groups' nonzero bits OR-ed in sixes); the step-by-tile bit matrix is transposed in
    /// 64x64 blocks, giving each tile one bit per step; and each tile's bits are compressed into its list of steps,
    /// sixteen at a time, in increasing p as the chains need.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe long ListColumnMajor(float* a, int m, int k, nint stride, int* steps, int* counts)
    {
        int tiles = (m + ListedTileRows - 1) / ListedTileRows;
        int groups = (m + 47) / 48;
        int tileWords = (tiles + 63) / 64, stepWords = (k + 63) / 64;
        // Block (P, W) holds 64 words: before the transpose, word r = the tile bits W of step 64P + r; after it,
        // word c = the step bits P of tile 64W + c. Steps past k stay 0.
        ulong[] scratch = t_tileBits!; // sized by ReserveTileSteps
        fixed (ulong* blocks = scratch)
        {
            new Span<ulong>(blocks, stepWords * tileWords * 64).Clear();
            for (int p = 0; p < k; p++)
            {
                float* line = a + p * stride;
                ulong* row = blocks + (nint)(p >> 6) * tileWords * 64 + (p & 63);
                for (int group = 0, word = 0; group < groups; word++)
                {
                    // 64 tiles: eight groups of 48 values; values past m are 0 bits, so are tiles past the last.
                    ulong tileBits = 0;
                    for (int slot = 0; slot < 8 && group < groups; slot++, group++)
                    {
                        ulong x = NonZeroBits48(line, group * 48, m);
                        tileBits |= GroupsOfSix(x | x >> 1 | x >> 2 | x >> 3 | x >> 4 | x >> 5) << (slot * 8);
                    }
                    row[word * 64] = tileBits;
                }
            }
            for (int block = 0; block < stepWords * tileWords; block++)
                Transpose64(blocks + (nint)block * 64);
            Vector512<int> lanes = Vector512<int>.Indices;
            Vector512<int> laneBits = Vector512.Create(1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768);
            long kept = 0;
            for (int t = 0; t < tiles; t++)
            {
                int* list = steps + (nint)t * k;
                int n = 0;
                for (int stepWord = 0; stepWord < stepWords; stepWord++)
                {
                    ulong stepBits = blocks[((nint)stepWord * tileWords + (t >> 6)) * 64 + (t & 63)];
                    for (int q = 0; q < 4; q++, stepBits >>= 16)
                    {
                        var chunk = Vector512.Create((int)(stepBits & 0xFFFF));
                        Vector512<int> selected = Vector512.Equals(chunk & laneBits, laneBits);
                        // Sixteen entries stored, the count moved past the selected ones (spare room as in ListRowMajor).
                        Avx512F.Compress(Vector512<int>.Zero, selected, lanes + Vector512.Create(stepWord * 64 + q * 16)).Store(list + n);
                        n += BitOperations.PopCount(stepBits & 0xFFFF);
                    }
                }
                counts[t] = n;
                kept += n;
            }
            return kept;
        }
    }

    /// <summary>Transposes a 64x64 bit matrix in place: afterwards bit c of word r is what bit r of word c was.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Transpose64(ulong* w)
    {
        // Swap the off-diagonal 32x32 blocks, then 16x16 blocks inside each, down to single bits: six rounds of 32
        // masked exchanges between word k and word k + j.
        ulong mask = 0x0000_0000_FFFF_FFFFUL;
        for (int j = 32; j != 0; j >>= 1, mask ^= mask << j)
        {
            for (int k = 0; k < 64; k = (k + j + 1) & ~j)
            {
                ulong t = ((w[k] >> j) ^ w[k + j]) & mask;
                w[k + j] ^= t;
                w[k] ^= t << j;
            }
        }
    }

    /// <summary>Bit b set when line[start + b] is nonzero, for b in [0, 48) and start + b &lt; m.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe ulong NonZeroBits48(float* line, int start, int m)
    {
        if (start + 48 <= m)
            return NonZeroMask(line + start) | (ulong)NonZeroMask(line + start + 16) << 16 | (ulong)NonZeroMask(line + start + 32) << 32;
        ulong bits = 0;
        int i = start;
        for (; i + 16 <= m; i += 16)
            bits |= (ulong)NonZeroMask(line + i) << (i - start);
        for (; i < m; i++)
            bits |= line[i] != 0f ? 1UL << (i - start) : 0;
        return bits;
    }

    /// <summary>Bits 0, 6, 12, ..., 42 of <paramref name="x"/>, packed into bits 0..7.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong GroupsOfSix(ulong x)
    {
        const ulong EverySixth = 0x0000_0410_4104_1041;
        if (Bmi2.X64.IsSupported)
            return Bmi2.X64.ParallelBitExtract(x, EverySixth);
        ulong packed = 0;
        for (int g = 0; g < 8; g++)
            packed |= ((x >> (6 * g)) & 1) << g;
        return packed;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe uint NonZeroMask(float* x) =>
        (uint)~Vector512.Equals(Vector512.Load(x), Vector512<float>.Zero).ExtractMostSignificantBits() & 0xFFFF;

    /// <summary>The steps each tile of six logical rows would walk (tests): A row-major [m, k] when
    /// <paramref name="rowMajor"/>, else Aᵀ stored [k, m].</summary>
    internal static unsafe int[][] ListedStepsOf(float[] a, int m, int k, bool rowMajor)
    {
        fixed (float* pa = a)
        {
            var g = new GemmArgs { M = m, K = k, A = pa, ARowStride = rowMajor ? k : 1, AStepStride = rowMajor ? 1 : m };
            if (!ReserveTileSteps(m, k))
                throw new ArgumentException($"[{m}, {k}] is too large to list.");
            ListTileSteps(ref g);
            var lists = new int[(m + ListedTileRows - 1) / ListedTileRows][];
            for (int t = 0; t < lists.Length; t++)
                lists[t] = new ReadOnlySpan<int>(g.TileSteps + (nint)t * k, g.TileStepCounts[t]).ToArray();
            return lists;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void ListedSlice512<TActivation>(in GemmArgs g, int j0, int j1)
        where TActivation : struct, IActivation =>
        SliceVectors<Simd512, Vector512<float>, TActivation, ListedSteps>(g, j0, j1);
}

/// <summary>How a tile walks the product's steps: every one, or its own list (<see cref="ListedSteps"/>). A struct
/// type argument, so the JIT compiles each walk separately and the dense walk is the plain loop.</summary>
internal interface IStepWalk
{
    static abstract bool Listed { get; }
}

/// <summary>Every step p = 0..K-1, in order.</summary>
internal readonly struct AllSteps : IStepWalk
{
    public static bool Listed => false;
}

/// <summary>The tile's listed steps (GemmArgs.TileSteps), in increasing order.</summary>
internal readonly struct ListedSteps : IStepWalk
{
    public static bool Listed => true;
}
