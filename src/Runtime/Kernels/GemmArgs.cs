namespace SourceNet.Kernels;

/// <summary>
/// One product in the form every layout reduces to: <c>C(i,j) = f(bias[j] + Σ_p A(i,p)·B(p,j))</c> with
/// <c>A(i,p) = A[i·ARowStride + p·AStepStride]</c>, <c>B(p,j) = B[p·BRowStride + j]</c> and
/// <c>C(i,j) = C[i·CRowStride + j]</c>. Strides let Aᵀ be read in place; a transposed B is packed per slice.
/// </summary>
/// <remarks>Holds raw pointers: valid only while the caller keeps the spans pinned.</remarks>
internal unsafe struct GemmArgs
{
    public int M;
    public int N;
    public int K;
    public float* A;
    public nint ARowStride;
    public nint AStepStride;
    public float* B;
    public nint BRowStride;
    /// <summary>B is stored [N,K] (row j holds column j of the logical B) and is packed before use.</summary>
    public bool BTransposed;
    /// <summary>Null for no bias.</summary>
    public float* Bias;
    public float* C;
    public nint CRowStride;
    public KernelIsa Isa;
    /// <summary>When set, each finished block of output columns is handed to <see cref="Optimizer"/>'s
    /// <see cref="Optimizer.UpdateColumns"/> for <see cref="UpdateTarget"/> on the thread that computed it.</summary>
    public Optimizer? Optimizer;
    /// <summary>The parameter whose gradient C is (see <see cref="Optimizer"/>).</summary>
    public Parameter? UpdateTarget;
    /// <summary>Nonzero: the product's <see cref="AdaptiveSplit.Key"/>, and a split may be replaced by one thread
    /// when that is faster here (public entry points); zero: exactly the parts asked for (tests, benchmarks).</summary>
    public long AdaptiveKey;
    /// <summary>Whether A's exact zeros may be skipped (<see cref="Gemm.SparseInputs"/>, decided per call from A's density).</summary>
    public SparseMode Sparse;
    /// <summary>Set when A was compressed: row i's nonzeros are SparseIndex/SparseValue[SparseRowStart[i]..SparseRowStart[i+1]).</summary>
    public int* SparseRowStart;
    public int* SparseIndex;
    public float* SparseValue;
    /// <summary>Set when the tiles walk listed steps: tile t (logical rows 6t..6t+5) runs the steps
    /// TileSteps[t·K .. t·K + TileStepCounts[t]), increasing (Gemm.TileSteps.cs).</summary>
    public int* TileSteps;
    public int* TileStepCounts;
}

/// <summary>When a product may skip the exact zeros of its left operand (AVX-512, un-transposed B, N >= 16).</summary>
internal enum SparseMode
{
    /// <summary>Always dense.</summary>
    Never = 0,
    /// <summary>Below 6 rows, per-row sparse when a sample of A is at most <see cref="Gemm.SparseMaxDensityFewRows"/> nonzero;
    /// from 6 rows, listed steps when the tiles' lists keep at most <see cref="Gemm.ListedMaxKept"/> of the steps.</summary>
    Auto = 1,
    /// <summary>Sparse whenever possible (tests).</summary>
    Always = 2,
}
