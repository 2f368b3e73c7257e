using System;
using System.ComponentModel;

namespace SourceNet.Kernels;

public static partial class Gemm
{
    /// <summary>
    /// Rows [<paramref name="firstRow"/>, firstRow + <paramref name="rowCount"/>) of a weight gradient
    /// <c>C = Aᵀ·B</c> (A stored [k,m], B [k,n], C [m,n]), on the calling thread: the rows a split training step's
    /// sum-and-update pass needs next (<see cref="TrainingChunks"/>), computed where they are summed and updated, so the
    /// gradient never leaves that core's cache. Each element is the same chain of multiply-adds as in
    /// <see cref="MatMulTransposeA"/>, so any cut into rows gives its bits.
    /// </summary>
    /// <remarks>Called by generated networks (<see cref="ITrainingChunk.WeightGradientRows"/>); not meant for user code.
    /// Rows of <paramref name="c"/> outside the range are left as they are.</remarks>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static unsafe void WeightGradientRows(int m, int n, int k, int firstRow, int rowCount, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c)
    {
        CheckSizes(m, n, k, a.Length, b.Length, c.Length);
        if (firstRow < 0 || rowCount < 0 || firstRow > m - rowCount)
            throw new ArgumentOutOfRangeException(nameof(rowCount), $"Rows [{firstRow}, {firstRow + rowCount}) are not within the gradient's {m} rows.");
        if (rowCount == 0)
            return;
        fixed (float* pa = a)
        fixed (float* pb = b)
        fixed (float* pc = c)
        {
            // Row i of C reads column i of A's storage: the block's A starts firstRow values in, with the whole row stride.
            var g = new GemmArgs
            {
                M = rowCount, N = n, K = k,
                A = pa + firstRow, ARowStride = 1, AStepStride = m,
                B = pb, BRowStride = n,
                C = pc + (nint)firstRow * n, CRowStride = n,
                Isa = KernelIsaInfo.Best,
                Sparse = SparseDefault,
            };
            Run<IdentityActivation>(g, 1);
        }
    }
}
