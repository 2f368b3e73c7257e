using System;
using System.ComponentModel;

namespace SourceNet.Kernels;

public static partial class Gemm
{
    /// <summary>
    /// Rows [<paramref name="firstRow"/>, firstRow + <paramref name="rowCount"/>) of a weight gradient
    /// <c>Aᵀ·B</c> (A stored [k,m], B [k,n], the gradient [m,n]) into <paramref name="rows"/> (rowCount x n, row-major),
    /// on the calling thread: the rows a split training step's
    /// sum-and-update pass needs next (<see cref="TrainingChunks"/>), computed where they are summed and updated, so the
    /// gradient never leaves that core's cache. Each element is the same chain of multiply-adds as in
    /// <see cref="MatMulTransposeA"/>, so any cut into rows gives its bits.
    /// </summary>
    /// <remarks>Called by generated networks (<see cref="ITrainingChunk.WeightGradientRows"/>); not meant for user code.</remarks>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static unsafe void WeightGradientRows(int m, int n, int k, int firstRow, int rowCount, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> rows)
    {
        if (m < 0 || n < 0 || k < 0)
            throw new ArgumentOutOfRangeException(m < 0 ? nameof(m) : n < 0 ? nameof(n) : nameof(k), $"Matrix sizes must be non-negative; got m={m}, n={n}, k={k}.");
        if (firstRow < 0 || rowCount < 0 || firstRow > m - rowCount)
            throw new ArgumentOutOfRangeException(nameof(rowCount), $"Rows [{firstRow}, {firstRow + rowCount}) are not within the gradient's {m} rows.");
        long aNeeded = (long)k * m, bNeeded = (long)k * n, rowsNeeded = (long)rowCount * n;
        if (a.Length < aNeeded || b.Length < bNeeded || rows.Length < rowsNeeded)
            throw new ArgumentException($"A {k}x{m}, B {k}x{n} and {rowCount} rows of {n} need {aNeeded}, {bNeeded}, {rowsNeeded} values; got {a.Length}, {b.Length}, {rows.Length}.");
        if (rowCount == 0)
            return;
        fixed (float* pa = a)
        fixed (float* pb = b)
        fixed (float* pc = rows)
        {
            // Row i of C reads column i of A's storage: the block's A starts firstRow values in, with the whole row stride.
            var g = new GemmArgs
            {
                M = rowCount, N = n, K = k,
                A = pa + firstRow, ARowStride = 1, AStepStride = m,
                B = pb, BRowStride = n,
                C = pc, CRowStride = n,
                Isa = KernelIsaInfo.Best,
                Sparse = SparseDefault,
            };
            Run<IdentityActivation>(g, 1);
        }
    }
}
