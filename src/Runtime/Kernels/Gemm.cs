using System;
using System.Runtime.CompilerServices;

namespace SourceNet.Kernels;

/// <summary>
/// Single-precision matrix products in the three layouts a dense network's forward and backward passes
/// need. Every matrix is row-major and densely packed; every product <b>assigns</b> its output.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><see cref="MatMulBias{TActivation}"/>: forward, <c>C = f(A·B + bias)</c>, bias and activation fused into the tile.</item>
/// <item><see cref="MatMulTransposeA"/>: weight gradient, <c>dW = Xᵀ·dZ</c>, Aᵀ read in place.</item>
/// <item><see cref="MatMulTransposeB"/>: input gradient, <c>dX = dZ·Wᵀ</c>, Bᵀ packed per call into a reused buffer.</item>
/// </list>
/// All three run register-blocked tiles (6x64 floats on AVX-512, one masked vector per row there for fewer than 16 columns;
/// 6x16 on AVX2, 6x8 on Arm64/SSE, scalar otherwise). Each output
/// element is one chain of fused multiply-adds over k in increasing order, started from its bias, whatever the
/// tile, instruction set or thread that computes it; so results do not depend on <see cref="KernelThreads.Count"/>.
/// Large products are split by output columns over <see cref="KernelThreads.Count"/> threads, or run on the calling
/// thread alone where that has been timed faster in this process (<see cref="KernelThreads.Adaptive"/>). A left
/// operand that is mostly exact zeros (MNIST pixels) skips them (<see cref="SparseInputs"/>), with the same sums.
/// </remarks>
public static partial class Gemm
{
    /// <summary>C[m,n] = f(A[m,k]·B[k,n] + bias[n]). An empty <paramref name="bias"/> means no bias.</summary>
    public static void MatMulBias<TActivation>(int m, int n, int k, ReadOnlySpan<float> a, ReadOnlySpan<float> b, ReadOnlySpan<float> bias, Span<float> c)
        where TActivation : struct, IActivation =>
        MatMulBiasAt<TActivation>(KernelIsaInfo.Best, PartsFor(m, n, k), m, n, k, a, b, bias, c, adaptive: true, SparseDefault);

    /// <summary>C[m,n] = Aᵀ·B where A is stored [k,m] and B is [k,n].</summary>
    public static void MatMulTransposeA(int m, int n, int k, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c) =>
        MatMulTransposeAAt(KernelIsaInfo.Best, PartsFor(m, n, k), m, n, k, a, b, c, adaptive: true, SparseDefault);

    /// <summary>
    /// The weight gradient fused with the update: <c>weight.Gradient = Aᵀ·B</c> (A stored [k,m], B [k,n], the
    /// weight [m,n]), and, when <paramref name="optimizer"/> is given, the optimizer's update of each block of the
    /// weight's columns as soon as that block's gradient is computed, on the thread that computed it. The update
    /// then reads the gradient from that core's cache, and runs on both cores when the product is split.
    /// </summary>
    /// <remarks>Results equal <see cref="MatMulTransposeA"/> followed by <see cref="Optimizer.Update"/>: every
    /// element's update is independent of the others.</remarks>
    public static void WeightGradient(int m, int n, int k, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Parameter weight, Optimizer? optimizer) =>
        WeightGradientAt(KernelIsaInfo.Best, PartsFor(m, n, k), m, n, k, a, b, weight, optimizer, adaptive: true);

    /// <summary><see cref="WeightGradient"/> at a chosen instruction set and split (tests and benchmarks).</summary>
    internal static unsafe void WeightGradientAt(KernelIsa isa, int parts, int m, int n, int k, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Parameter weight, Optimizer? optimizer,
        bool adaptive = false)
    {
        ArgumentNullException.ThrowIfNull(weight);
        if (weight.Rows != m || weight.Columns != n)
            throw new ArgumentException($"Parameter {weight.Name} is {weight.ShapeText}; the product is [{m}, {n}].", nameof(weight));
        if (optimizer is null || !optimizer.SupportsColumnUpdates)
        {
            MatMulTransposeA(m, n, k, a, b, weight.Gradient);
            optimizer?.Update(weight);
            return;
        }
        CheckSizes(m, n, k, a.Length, b.Length, weight.Length);
        optimizer.PrepareColumnUpdates(weight);
        fixed (float* pa = a)
        fixed (float* pb = b)
        fixed (float* pc = weight.Gradient)
        {
            var g = new GemmArgs
            {
                M = m, N = n, K = k,
                A = pa, ARowStride = 1, AStepStride = m,
                B = pb, BRowStride = n,
                C = pc, CRowStride = n,
                Isa = isa,
                Optimizer = optimizer,
                UpdateTarget = weight,
                AdaptiveKey = adaptive ? AdaptiveSplit.Key(4, m, n, k) : 0,
                Sparse = SparseDefault,
            };
            Run<IdentityActivation>(g, parts);
        }
    }

    /// <summary>C[m,n] = A·Bᵀ where A is [m,k] and B is stored [n,k].</summary>
    public static void MatMulTransposeB(int m, int n, int k, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c) =>
        MatMulTransposeBAt(KernelIsaInfo.Best, PartsFor(m, n, k), m, n, k, a, b, c, adaptive: true);

    /// <summary>sums[j] = Σ_i A[i,j] for A of [rows, columns]: the bias gradient from dZ.</summary>
    public static void ColumnSums(int rows, int columns, ReadOnlySpan<float> a, Span<float> sums) =>
        ColumnSumsAt(KernelIsaInfo.Best, rows, columns, a, sums);

    /// <summary>
    /// Whether <see cref="MatMulBias{TActivation}"/>, <see cref="MatMulTransposeA"/> and <see cref="WeightGradient"/>
    /// may skip the exact zeros of their left operand (A, or Aᵀ's storage). From 6 rows, when A is at most 50 %
    /// nonzero, each tile of six rows walks only the steps where one of its rows is nonzero, if that leaves out at
    /// least 15 % of them (Gemm.TileSteps.cs; MNIST: 43 % of the steps kept in X·W1, 34 % in Xᵀ·dZ1); below 6 rows
    /// (single images) each row skips its own zeros when at most 60 % are nonzero (Gemm.Sparse512.cs). Results are
    /// bit-identical to the dense kernel for finite operands, up to the sign of an exactly-zero output whose sum was
    /// -0 (see Gemm.Sparse512.cs). Default on; the environment variable <c>SOURCENET_SPARSE=0</c> turns it off at
    /// start-up (A/B measurements). AVX-512 only; elsewhere always dense.
    /// </summary>
    public static bool SparseInputs { get; set; } = Environment.GetEnvironmentVariable("SOURCENET_SPARSE") is not "0";

    private static SparseMode SparseDefault => SparseInputs ? SparseMode.Auto : SparseMode.Never;

    private static int PartsFor(int m, int n, int k) =>
        KernelThreads.PartsFor((long)m * n * k, n, KernelThreads.Count);

    /// <summary><see cref="MatMulBias{TActivation}(int, int, int, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float})"/>
    /// at a chosen instruction set, in <paramref name="parts"/> column slices (tests and benchmarks).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static unsafe void MatMulBiasAt<TActivation>(KernelIsa isa, int parts, int m, int n, int k, ReadOnlySpan<float> a, ReadOnlySpan<float> b, ReadOnlySpan<float> bias, Span<float> c,
        bool adaptive = false, SparseMode sparse = SparseMode.Never)
        where TActivation : struct, IActivation
    {
        CheckSizes(m, n, k, a.Length, b.Length, c.Length);
        if (!bias.IsEmpty && bias.Length < n)
            throw new ArgumentException($"Bias has {bias.Length} values; {n} expected (or none for no bias).", nameof(bias));
        fixed (float* pa = a)
        fixed (float* pb = b)
        fixed (float* pbias = bias)
        fixed (float* pc = c)
        {
            var g = new GemmArgs
            {
                M = m, N = n, K = k,
                A = pa, ARowStride = k, AStepStride = 1,
                B = pb, BRowStride = n,
                Bias = bias.IsEmpty ? null : pbias,
                C = pc, CRowStride = n,
                Isa = isa,
                AdaptiveKey = adaptive ? AdaptiveSplit.Key(1, m, n, k) : 0,
                Sparse = sparse,
            };
            Run<TActivation>(g, parts);
        }
    }

    /// <summary><see cref="MatMulTransposeA(int, int, int, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float})"/> at a chosen instruction set and split.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static unsafe void MatMulTransposeAAt(KernelIsa isa, int parts, int m, int n, int k, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c,
        bool adaptive = false, SparseMode sparse = SparseMode.Never)
    {
        CheckSizes(m, n, k, a.Length, b.Length, c.Length);
        fixed (float* pa = a)
        fixed (float* pb = b)
        fixed (float* pc = c)
        {
            // A(i,p) = a[p·m + i]: the six values a tile broadcasts at step p are adjacent, so no packing.
            var g = new GemmArgs
            {
                M = m, N = n, K = k,
                A = pa, ARowStride = 1, AStepStride = m,
                B = pb, BRowStride = n,
                C = pc, CRowStride = n,
                Isa = isa,
                AdaptiveKey = adaptive ? AdaptiveSplit.Key(2, m, n, k) : 0,
                Sparse = sparse,
            };
            Run<IdentityActivation>(g, parts);
        }
    }

    /// <summary><see cref="MatMulTransposeB(int, int, int, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float})"/> at a chosen instruction set and split.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static unsafe void MatMulTransposeBAt(KernelIsa isa, int parts, int m, int n, int k, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c,
        bool adaptive = false)
    {
        CheckSizes(m, n, k, a.Length, b.Length, c.Length);
        fixed (float* pa = a)
        fixed (float* pb = b)
        fixed (float* pc = c)
        {
            var g = new GemmArgs
            {
                M = m, N = n, K = k,
                A = pa, ARowStride = k, AStepStride = 1,
                B = pb, BTransposed = true,
                C = pc, CRowStride = n,
                Isa = isa,
                AdaptiveKey = adaptive ? AdaptiveSplit.Key(3, m, n, k) : 0,
            };
            Run<IdentityActivation>(g, parts);
        }
    }

    /// <summary><see cref="ColumnSums(int, int, ReadOnlySpan{float}, Span{float})"/> at a chosen instruction set.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static unsafe void ColumnSumsAt(KernelIsa isa, int rows, int columns, ReadOnlySpan<float> a, Span<float> sums)
    {
        if (rows < 0 || columns < 0)
            throw new ArgumentOutOfRangeException(rows < 0 ? nameof(rows) : nameof(columns), $"ColumnSums sizes must be non-negative; got [{rows},{columns}].");
        if (a.Length < (long)rows * columns || sums.Length < columns)
            throw new ArgumentException($"ColumnSums of [{rows},{columns}] needs {(long)rows * columns} inputs and {columns} outputs; got {a.Length} and {sums.Length}.");
        if (columns == 0)
            return;
        fixed (float* pa = a)
        fixed (float* ps = sums)
        {
            switch (isa)
            {
                case KernelIsa.Vector512: ColumnSums512(rows, columns, pa, ps); break;
                case KernelIsa.Vector256: ColumnSums256(rows, columns, pa, ps); break;
                case KernelIsa.Vector128: ColumnSums128(rows, columns, pa, ps); break;
                default: ColumnSumsScalar(rows, columns, pa, ps); break;
            }
        }
    }

    private static void CheckSizes(int m, int n, int k, int aLength, int bLength, int cLength)
    {
        if (m < 0 || n < 0 || k < 0)
            throw new ArgumentOutOfRangeException(m < 0 ? nameof(m) : n < 0 ? nameof(n) : nameof(k), $"Matrix sizes must be non-negative; got m={m}, n={n}, k={k}.");
        long ma = (long)m * k, mb = (long)k * n, mc = (long)m * n;
        if (aLength < ma || bLength < mb || cLength < mc)
            throw new ArgumentException($"A {m}x{k}, B {k}x{n}, C {m}x{n} need {ma}, {mb}, {mc} values; got {aLength}, {bLength}, {cLength}.");
    }
}
