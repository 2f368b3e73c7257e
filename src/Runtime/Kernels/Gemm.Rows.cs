namespace SourceNet.Kernels;

public static partial class Gemm
{
    /// <summary>
    /// Rows [i0, i0 + m) of a transposed-A product on the calling thread: <c>C[m,n] = Aᵀ·B</c> with
    /// <c>A(i,p) = a[p·aStepStride + i]</c>, where <paramref name="a"/> already points at column i0 of A's storage.
    /// For callers that split a product by output rows themselves (the convolution's filter gradient, whose 64
    /// columns are too few to split): each element is the same chain of fused multiply-adds as in the full product.
    /// </summary>
    internal static unsafe void MatMulTransposeARows(KernelIsa isa, int m, int n, int k, float* a, nint aStepStride, float* b, float* c)
    {
        if (m == 0 || n == 0)
            return;
        var g = new GemmArgs
        {
            M = m, N = n, K = k,
            A = a, ARowStride = 1, AStepStride = aStepStride,
            B = b, BRowStride = n,
            C = c, CRowStride = n,
            Isa = isa,
        };
        ExecuteSlice<IdentityActivation>(g, 0, n);
    }
}
