using System;
using System.Runtime.CompilerServices;

namespace SourceNet.Kernels;

/// <summary>
/// Single-precision matrix products in the three layouts a dense network's forward and backward passes
/// need. Every matrix is row-major and densely packed; every product <b>assigns</b> its output.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><see cref="MatMulBias{TActivation}"/>: forward, <c>C = f(A·B + bias)</c>, activation fused into the epilogue.</item>
/// <item><see cref="MatMulTransposeA"/>: weight gradient, <c>dW = Xᵀ·dZ</c>.</item>
/// <item><see cref="MatMulTransposeB"/>: input gradient, <c>dX = dZ·Wᵀ</c>.</item>
/// </list>
/// </remarks>
public static partial class Gemm
{
    /// <summary>C[m,n] = f(A[m,k]·B[k,n] + bias[n]). An empty <paramref name="bias"/> means no bias.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MatMulBias<TActivation>(int m, int n, int k, ReadOnlySpan<float> a, ReadOnlySpan<float> b, ReadOnlySpan<float> bias, Span<float> c)
        where TActivation : struct, IActivation
    {
        CheckSizes(m, n, k, a.Length, b.Length, c.Length);
        if (!bias.IsEmpty && bias.Length < n)
            throw new ArgumentException($"Bias has {bias.Length} values; {n} expected.", nameof(bias));
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                float sum = bias.IsEmpty ? 0f : bias[j];
                for (int p = 0; p < k; p++)
                    sum += a[i * k + p] * b[p * n + j];
                c[i * n + j] = TActivation.Forward(sum);
            }
        }
    }

    /// <summary>C[m,n] = Aᵀ·B where A is stored [k,m] and B is [k,n].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MatMulTransposeA(int m, int n, int k, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c)
    {
        CheckSizes(m, n, k, a.Length, b.Length, c.Length);
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                float sum = 0f;
                for (int p = 0; p < k; p++)
                    sum += a[p * m + i] * b[p * n + j];
                c[i * n + j] = sum;
            }
        }
    }

    /// <summary>C[m,n] = A·Bᵀ where A is [m,k] and B is stored [n,k].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MatMulTransposeB(int m, int n, int k, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c)
    {
        CheckSizes(m, n, k, a.Length, b.Length, c.Length);
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                float sum = 0f;
                for (int p = 0; p < k; p++)
                    sum += a[i * k + p] * b[j * k + p];
                c[i * n + j] = sum;
            }
        }
    }

    /// <summary>sums[j] = Σ_i A[i,j] for A of [rows, columns]: the bias gradient from dZ.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ColumnSums(int rows, int columns, ReadOnlySpan<float> a, Span<float> sums)
    {
        if (a.Length < rows * columns || sums.Length < columns)
            throw new ArgumentException($"ColumnSums of [{rows},{columns}] needs {rows * columns} inputs and {columns} outputs; got {a.Length} and {sums.Length}.");
        sums.Slice(0, columns).Clear();
        for (int i = 0; i < rows; i++)
            System.Numerics.Tensors.TensorPrimitives.Add(sums.Slice(0, columns), a.Slice(i * columns, columns), sums.Slice(0, columns));
    }

    private static void CheckSizes(int m, int n, int k, int aLength, int bLength, int cLength)
    {
        if (m < 0 || n < 0 || k < 0)
            throw new ArgumentOutOfRangeException(nameof(m), $"Matrix sizes must be non-negative; got m={m}, n={n}, k={k}.");
        if (aLength < m * k || bLength < k * n || cLength < m * n)
            throw new ArgumentException($"A {m}x{k}, B {k}x{n}, C {m}x{n} need {m * k}, {k * n}, {m * n} values; got {aLength}, {bLength}, {cLength}.");
    }
}
