using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SourceNet.Kernels;

// Products whose left operand is mostly exact zeros: MNIST pixels (about 81 % zero) in the first layer's forward
// product X·W1 and its weight gradient Xᵀ·dZ1. The caller compresses A's rows to their nonzero entries (p increasing,
// value), and each output row runs the dense kernel's FMA chain with the zero terms left out:
//   c = bias; for p in increasing order with A(i,p) != 0: c = fma(A(i,p), B(p,j), c).
// Leaving a term out changes nothing when fma(0, b, c) == c, which holds for every finite b and every c except -0:
// fma(±0, b, -0) is +0 when the zero product is +0. So the result is bit-identical to the dense kernel's unless an
// output's running sum is exactly -0 when a zero term comes, which needs a bias of -0 or a product that underflows
// to -0 before any other term; then only that zero's sign can differ (-0 instead of +0, equal as numbers, and
// both 0 after ReLU). A NaN or infinite B(p,j) facing a zero A(i,p) would give NaN densely and is skipped here;
// the generated networks reject non-finite inputs and losses, so weights and gradients stay finite.
// The tile is the matrix-vector one (one row, up to 12 vectors of 16 columns): a nonzero entry costs one broadcast,
// and per vector one load of B's row p and one FMA. Each output row streams only the rows of B its nonzeros select.
public static partial class Gemm
{
    /// <summary>Largest fraction of nonzeros in A for which products of fewer than 6 rows (single images) skip its
    /// zeros row by row: dense there streams all of B once, sparse only the selected rows, 3.5-4x faster at 19 %.
    /// From 6 rows up the listed tiles of Gemm.TileSteps.cs take over.</summary>
    internal const double SparseMaxDensityFewRows = 0.60;

    /// <summary>Rows of A sampled to estimate its density: every <see cref="DensitySampleStride"/>-th.</summary>
    private const int DensitySampleStride = 4;

    // The compressed rows, built by the calling thread and read by the workers through GemmArgs' pointers.
    // Pinned, so those pointers stay valid; per calling thread, grown as needed, never shrunk.
    [ThreadStatic] private static int[]? t_rowStart;
    [ThreadStatic] private static int[]? t_index;
    [ThreadStatic] private static float[]? t_value;

    /// <summary>Fraction of nonzeros in a sample of A's rows (logical rows i, either storage layout).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe double EstimateDensity(in GemmArgs g)
    {
        long nonzeros = 0, count = 0;
        if (g.AStepStride == 1)
        {
            // Row-major [M, K]: sample rows.
            for (int i = 0; i < g.M; i += DensitySampleStride)
            {
                nonzeros += CountNonZeros(g.A + i * g.ARowStride, g.K);
                count += g.K;
            }
        }
        else
        {
            // Aᵀ stored [K, M]: sample storage rows (steps p); each covers every logical row.
            for (int p = 0; p < g.K; p += DensitySampleStride)
            {
                nonzeros += CountNonZeros(g.A + p * g.AStepStride, g.M);
                count += g.M;
            }
        }
        return count == 0 ? 1.0 : (double)nonzeros / count;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe int CountNonZeros(float* x, int length)
    {
        int count = 0, i = 0;
        for (; i + 16 <= length; i += 16)
            count += BitOperations.PopCount((uint)~Vector512.Equals(Vector512.Load(x + i), Vector512<float>.Zero).ExtractMostSignificantBits() & 0xFFFF);
        for (; i < length; i++)
            count += x[i] != 0f ? 1 : 0;
        return count;
    }

    /// <summary>Compresses A's logical rows into the thread's buffers and points <paramref name="g"/> at them;
    /// returns how many entries are nonzero.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe int CompressRows(ref GemmArgs g)
    {
        int m = g.M, k = g.K;
        ReserveCompressedRows(m, k);
        int[] rowStart = t_rowStart!, index = t_index!;
        float[] value = t_value!;
        fixed (int* rs = rowStart)
        fixed (int* ix = index)
        fixed (float* vs = value)
        {
            if (g.AStepStride == 1)
                CompressRowMajor(g.A, m, k, g.ARowStride, rs, ix, vs);
            else
                CompressColumnMajor(g.A, m, k, g.AStepStride, rs, ix, vs);
            // Pinned arrays: the pointers outlive this fixed block.
            g.SparseRowStart = rs;
            g.SparseIndex = ix;
            g.SparseValue = vs;
            return rs[m];
        }
    }

    /// <summary>Sizes this thread's buffers for compressing an [M, K] left operand, before its density is known, so
    /// that inputs which turn sparse only later find them ready: the steady state allocates nothing.</summary>
    private static void ReserveCompressedRows(int m, int k)
    {
        long total = (long)m * k;
        Grow(ref t_rowStart, m + 1);
        // Worst case every entry is nonzero; the buffers hold that, so no pass can overflow them. Spare entries:
        // the row-major compression stores 16 lanes at a time, and the tile prefetches PrefetchAhead entries on.
        Grow(ref t_index, (int)Math.Min(total + 16 + PrefetchAhead, int.MaxValue));
        Grow(ref t_value, (int)Math.Min(total + 16, int.MaxValue));
    }

    private static T[] Grow<T>(ref T[]? buffer, int length)
    {
        if (buffer is null || buffer.Length < length)
            buffer = GC.AllocateUninitializedArray<T>(Math.Max(length, 1024), pinned: true);
        return buffer;
    }

    /// <summary>A row-major [M, K]: each row's nonzeros in increasing p.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void CompressRowMajor(float* a, int m, int k, nint rowStride, int* rowStart, int* index, float* value)
    {
        int n = 0;
        for (int i = 0; i < m; i++)
        {
            rowStart[i] = n;
            float* row = a + i * rowStride;
            int p = 0;
            // Sixteen entries at a time, without a branch per entry: the nonzero lanes' values and positions are
            // packed to the front of a vector and stored whole; the next store starts where the kept ones end.
            for (; p + 16 <= k; p += 16)
            {
                Vector512<float> x = Vector512.Load(row + p);
                Vector512<float> nonzero = ~Vector512.Equals(x, Vector512<float>.Zero);
                Avx512F.Compress(Vector512<float>.Zero, nonzero, x).Store(value + n);
                Avx512F.Compress(Vector512<int>.Zero, nonzero.AsInt32(), Vector512<int>.Indices + Vector512.Create(p)).Store(index + n);
                n += BitOperations.PopCount(nonzero.ExtractMostSignificantBits());
            }
            for (; p < k; p++)
            {
                if (row[p] != 0f)
                {
                    index[n] = p;
                    value[n++] = row[p];
                }
            }
        }
        rowStart[m] = n;
    }

    /// <summary>Aᵀ stored [K, M] (A(i,p) = a[p·stride + i]): logical row i is storage column i. Counts per row, then
    /// fills in increasing p, so each row's entries keep the order of its FMA chain.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void CompressColumnMajor(float* a, int m, int k, nint stride, int* rowStart, int* index, float* value)
    {
        // rowStart[i + 1] counts row i's nonzeros; a prefix sum then turns the counts into starts.
        new Span<int>(rowStart, m + 1).Clear();
        int* counts = rowStart + 1;
        for (int p = 0; p < k; p++)
        {
            float* line = a + p * stride;
            int i = 0;
            for (; i + 16 <= m; i += 16)
            {
                uint mask = (uint)~Vector512.Equals(Vector512.Load(line + i), Vector512<float>.Zero).ExtractMostSignificantBits() & 0xFFFF;
                while (mask != 0)
                {
                    counts[i + BitOperations.TrailingZeroCount(mask)]++;
                    mask &= mask - 1;
                }
            }
            for (; i < m; i++)
                counts[i] += line[i] != 0f ? 1 : 0;
        }
        for (int i = 0; i < m; i++)
            rowStart[i + 1] += rowStart[i];
        // Fill: rowStart[i] walks forward as row i's entries are written, then is shifted back.
        for (int p = 0; p < k; p++)
        {
            float* line = a + p * stride;
            int i = 0;
            for (; i + 16 <= m; i += 16)
            {
                uint mask = (uint)~Vector512.Equals(Vector512.Load(line + i), Vector512<float>.Zero).ExtractMostSignificantBits() & 0xFFFF;
                while (mask != 0)
                {
                    int r = i + BitOperations.TrailingZeroCount(mask);
                    int at = rowStart[r]++;
                    index[at] = p;
                    value[at] = line[r];
                    mask &= mask - 1;
                }
            }
            for (; i < m; i++)
            {
                if (line[i] != 0f)
                {
                    int at = rowStart[i]++;
                    index[at] = p;
                    value[at] = line[i];
                }
            }
        }
        for (int i = m; i > 0; i--)
            rowStart[i] = rowStart[i - 1];
        rowStart[0] = 0;
    }
}
