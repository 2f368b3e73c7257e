using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace SourceNet.Kernels;

/// <summary>
/// A recurrent layer's weight gradient over every step at once, <c>dW = Aᵀ·dZ</c> with A [rows, m] (the inputs or the
/// previous hidden states of every step, step-major) and dZ [rows, n] (the gates' gradients), rows = steps·batch: a
/// long sum (1,400 rows for 28 steps of 50 samples) into a small output. Blocked over the rows so that the strip of dZ
/// a tile reads stays in L1 and the block of A in L2; each output element is still one chain of fused multiply-adds
/// over the rows in increasing order (the partial sum is stored and reloaded exactly between blocks), so the result
/// is the same whichever path, block size or thread computes it.
/// </summary>
/// <remarks>Threads split the output's columns in panels of 16 (a fixed partition: the same bits on any count).</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class RecurrentWeightGradient
{
    /// <summary>Rows of A and dZ one pass over the output covers: dZ's packed 16-column strip of them (8 KiB) and the
    /// packed tile of A a row tile reads (3 KiB) stay in L1 together.</summary>
    private const int RowBlock = 128;

    /// <summary>A as wide as this (rows 256 bytes or more apart, so a tile's rows fall into few of L1's sets) is packed.</summary>
    private const int PackedAFrom = 64;

    /// <summary>
    /// <c>weight.Gradient = Aᵀ·dZ</c> (A stored [rows, m], dZ [rows, n], the weight [m, n]), then the optimizer's update
    /// of the weight when <paramref name="optimizer"/> is given.
    /// </summary>
    /// <param name="m">Rows of the weight (features of A).</param>
    /// <param name="n">Columns of the weight (of dZ).</param>
    /// <param name="rows">Rows of A and dZ (steps · batch).</param>
    /// <param name="a">A, [rows, m] (more values are ignored).</param>
    /// <param name="gradients">dZ, [rows, n].</param>
    /// <param name="weight">The weight, [m, n].</param>
    /// <param name="optimizer">Updates the weight afterwards, or null.</param>
    /// <exception cref="ArgumentException">A span is shorter than the sizes need, or the weight's shape is not [m, n].</exception>
    public static unsafe void Compute(int m, int n, int rows, ReadOnlySpan<float> a, ReadOnlySpan<float> gradients, Parameter weight, Optimizer? optimizer)
    {
        ArgumentNullException.ThrowIfNull(weight);
        if (m <= 0 || n <= 0 || rows < 0)
            throw new ArgumentOutOfRangeException(nameof(rows), $"A weight gradient needs m > 0, n > 0, rows ≥ 0; got m {m}, n {n}, rows {rows}.");
        if (weight.Rows != m || weight.Columns != n)
            throw new ArgumentException($"Parameter {weight.Name} is {weight.ShapeText}; the gradient is [{m}, {n}].", nameof(weight));
        if (a.Length < (long)rows * m || gradients.Length < (long)rows * n)
            throw new ArgumentException($"A weight gradient over {rows} rows needs {(long)rows * m} values of A and {(long)rows * n} of dZ; got {a.Length} and {gradients.Length}.");
        int panels = (n + 15) / 16;
        int parts = Math.Min(BlockRunner.PartsFor((long)m * n * rows), panels);
        fixed (float* pa = a)
        fixed (float* pb = gradients)
        fixed (float* pc = weight.Gradient)
        {
            var work = new Work
            {
                A = pa, B = pb, C = pc, M = m, N = n, Rows = rows,
                PanelsPerBlock = parts <= 1 ? panels : (panels + parts - 1) / parts,
            };
            BlockRunner.Run(work, parts);
        }
        optimizer?.Update(weight);
    }

    /// <summary>Per thread: A's block of rows packed by tiles of 6 columns, then dZ's 16-column strip (see <see cref="Work.RunBlock"/>).</summary>
    [ThreadStatic]
    private static float[]? t_packed;

    private unsafe struct Work : IBlockWork
    {
        public float* A;
        public float* B;
        public float* C;
        public int M;
        public int N;
        public int Rows;
        public int PanelsPerBlock;

        public readonly int Blocks => ((N + 15) / 16 + PanelsPerBlock - 1) / PanelsPerBlock;

        /// <summary>
        /// Columns of this block's panels. Per block of rows, A's rows are first packed tile by tile (tile t: for each
        /// row p, A[p, 6t .. 6t + 5]) and, per panel, dZ's strip (for each row p, its 16 columns) next to them: read in
        /// place, rows 2 KiB (dZ) and 512 bytes (A) apart fall into a few of L1's sets and evict each other, so every
        /// tile read both from L2; packed, a tile reads two contiguous streams and the strip stays in L1. Only where
        /// the values are read from changes: each sum is the same chain.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public readonly void RunBlock(int block)
        {
            int firstColumn = block * PanelsPerBlock * 16, endColumn = Math.Min(N, firstColumn + PanelsPerBlock * 16);
            int vectorEnd = Vector256.IsHardwareAccelerated ? firstColumn + (endColumn - firstColumn) / 16 * 16 : firstColumn;
            int tiles = (M + 5) / 6;
            int packedA = tiles * 6 * RowBlock;
            if (t_packed is null || t_packed.Length < packedA + 16 * RowBlock)
                t_packed = new float[packedA + 16 * RowBlock];
            fixed (float* packed = t_packed)
            {
                float* strip = packed + packedA;
                // Rows of the sum in blocks; the first block starts each element from zero, the others from its partial sum.
                for (int p0 = 0; p0 < Math.Max(Rows, 1); p0 += RowBlock)
                {
                    int p1 = Math.Min(Rows, p0 + RowBlock);
                    // Narrow A (dW_ih's 28 inputs: rows 112 bytes apart) is read in place: its rows spread over L1's sets.
                    bool packA = M >= PackedAFrom;
                    if (packA && vectorEnd > firstColumn)
                        PackA(packed, p0, p1);
                    int aStride = packA ? 6 : M;
                    for (int j = firstColumn; j < vectorEnd; j += 16)
                    {
                        float* b = B + (nint)p0 * N + j;
                        for (int p = 0; p < p1 - p0; p++, b += N)
                        {
                            Vector256.Load(b).Store(strip + 16 * p);
                            Vector256.Load(b + 8).Store(strip + 16 * p + 8);
                        }
                        int i = 0;
                        for (; i + 6 <= M; i += 6)
                            Tile<Count6>(this, i, j, p1 - p0, p0 > 0, packA ? packed + i * RowBlock : A + (nint)p0 * M + i, aStride, strip);
                        float* a = packA ? packed + i * RowBlock : A + (nint)p0 * M + i;
                        switch (M - i)
                        {
                            case 1: Tile<Count1>(this, i, j, p1 - p0, p0 > 0, a, aStride, strip); break;
                            case 2: Tile<Count2>(this, i, j, p1 - p0, p0 > 0, a, aStride, strip); break;
                            case 3: Tile<Count3>(this, i, j, p1 - p0, p0 > 0, a, aStride, strip); break;
                            case 4: Tile<Count4>(this, i, j, p1 - p0, p0 > 0, a, aStride, strip); break;
                            case 5: Tile<Count5>(this, i, j, p1 - p0, p0 > 0, a, aStride, strip); break;
                        }
                    }
                    // Columns past the last full panel: the same chains, one element at a time.
                    for (int i = 0; i < M; i++)
                    {
                        for (int j = vectorEnd; j < endColumn; j++)
                        {
                            float sum = p0 == 0 ? 0f : C[(nint)i * N + j];
                            for (int p = p0; p < p1; p++)
                                sum = MultiplyAdd.Scalar(A[(nint)p * M + i], B[(nint)p * N + j], sum);
                            C[(nint)i * N + j] = sum;
                        }
                    }
                }
            }
        }

        /// <summary>A's rows [p0, p1) into <paramref name="packed"/>: tile t (columns 6t to 6t + 5) from 6t · RowBlock,
        /// six values per row, written in order; columns past M are never read.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private readonly void PackA(float* packed, int p0, int p1)
        {
            int full = M / 6 * 6;
            for (int i = 0; i < full; i += 6)
            {
                float* from = A + (nint)p0 * M + i, to = packed + i * RowBlock;
                for (int p = p0; p < p1; p++, from += M, to += 6)
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
    }

    /// <summary>Output rows [i, i + TRows) x columns [j, j + 16), over <paramref name="count"/> rows of the sum: A's
    /// tile <paramref name="a"/> (packed, 6 values a row, or in place, M) and dZ's packed strip <paramref name="b"/> (16 a row).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Tile<TRows>(in Work w, int i, int j, int count, bool accumulate, float* a, int aStride, float* b)
        where TRows : struct, ITileCount
    {
        int rows = TRows.Value;
        nint n = w.N;
        float* c = w.C + i * n + j;
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
        for (int p = 0; p < count; p++, a += aStride, b += 16)
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
