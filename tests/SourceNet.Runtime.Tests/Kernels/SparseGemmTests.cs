using SourceNet.Kernels;
using static SourceNet.Runtime.Tests.Kernels.GemmReference;

namespace SourceNet.Runtime.Tests.Kernels;

/// <summary>The sparse-A path (exact zeros of the left operand skipped) against the dense kernel, bit for bit.</summary>
[Collection(KernelSettingsCollection.Name)]
public class SparseGemmTests
{
    /// <summary>Random values with about <paramref name="density"/> of them nonzero (the rest exactly +0).</summary>
    private static float[] Sparse(int length, double density, int seed)
    {
        var random = new Random(seed);
        var values = new float[length];
        for (int i = 0; i < length; i++)
            values[i] = random.NextDouble() < density ? (float)(random.NextDouble() * 2.0 - 1.0) : 0f;
        return values;
    }

    public static TheoryData<int, int, int, double> Shapes() => new()
    {
        { 100, 300, 784, 0.19 }, // the tutorial's first layer on MNIST
        { 1, 300, 784, 0.19 },   // one image
        { 7, 37, 19, 0.3 },
        { 13, 301, 45, 0.1 },
        { 5, 16, 3, 0.5 },
        { 33, 17, 65, 0.0 },     // all zero: outputs are the bias (or 0)
        { 9, 200, 31, 1.0 },     // no zeros at all
        { 61, 385, 100, 0.2 },   // three 12-vector passes and a remainder
        { 3, 40, 70, 0.3 },      // a few rows: compressed, the nonzero count deciding
        { 5, 16, 33, 0.7 },      // a few rows, too dense for the compressed path
    };

    [SkippableTheory]
    [MemberData(nameof(Shapes))]
    public void ForwardIsBitIdenticalToTheDenseKernel(int m, int n, int k, double density)
    {
        Skip.IfNot(KernelIsaInfo.IsSupported(KernelIsa.Vector512), "the sparse path is AVX-512 only");
        float[] a = Sparse(m * k, density, m + n + k), b = Random(k * n, 2), bias = Random(n, 3);
        foreach (bool withBias in new[] { false, true })
        {
            float[]? biasOrNull = withBias ? bias : null;
            var dense = new float[m * n];
            Gemm.MatMulBiasAt<ReluActivation>(KernelIsa.Vector512, 1, m, n, k, a, b, biasOrNull, dense);
            (double[] sums, double[] magnitudes) = Products(Layout.Forward, m, n, k, a, b, biasOrNull);
            AssertClose<ReluActivation>(sums, magnitudes, dense, k, "dense");
            foreach (int parts in new[] { 1, 2, 3 })
            {
                var sparse = new float[m * n];
                Gemm.MatMulBiasAt<ReluActivation>(KernelIsa.Vector512, parts, m, n, k, a, b, biasOrNull, sparse, sparse: SparseMode.Always);
                AssertBitIdentical(dense, sparse, $"forward {m}x{n}x{k} bias={withBias} parts={parts}");
                var identity = new float[m * n];
                var identityDense = new float[m * n];
                Gemm.MatMulBiasAt<IdentityActivation>(KernelIsa.Vector512, 1, m, n, k, a, b, biasOrNull, identityDense);
                Gemm.MatMulBiasAt<IdentityActivation>(KernelIsa.Vector512, parts, m, n, k, a, b, biasOrNull, identity, sparse: SparseMode.Always);
                AssertBitIdentical(identityDense, identity, $"forward (no activation) {m}x{n}x{k} bias={withBias} parts={parts}");
            }
        }
    }

    [SkippableTheory]
    [MemberData(nameof(Shapes))]
    public void TransposeAIsBitIdenticalToTheDenseKernel(int k, int n, int m, double density)
    {
        // The weight gradient Xᵀ·dZ: A = X stored [k = batch, m = features], sparse; B = dZ [k, n], dense.
        Skip.IfNot(KernelIsaInfo.IsSupported(KernelIsa.Vector512), "the sparse path is AVX-512 only");
        float[] a = Sparse(k * m, density, m * 3 + n + k), b = Random(k * n, 5);
        var dense = new float[m * n];
        Gemm.MatMulTransposeAAt(KernelIsa.Vector512, 1, m, n, k, a, b, dense);
        foreach (int parts in new[] { 1, 2, 3 })
        {
            var sparse = new float[m * n];
            Gemm.MatMulTransposeAAt(KernelIsa.Vector512, parts, m, n, k, a, b, sparse, sparse: SparseMode.Always);
            AssertBitIdentical(dense, sparse, $"transpose-A {m}x{n}x{k} parts={parts}");
        }
    }

    /// <summary>Image-like rows: each row's nonzeros fill one random window of its k values, so six rows together
    /// still leave whole runs of steps out (what the listed tiles skip on MNIST), and some rows are all zero.</summary>
    private static float[] Windowed(int rows, int k, int seed)
    {
        var random = new Random(seed);
        var values = new float[rows * k];
        for (int r = 0; r < rows; r++)
        {
            if (random.Next(5) == 0)
                continue;
            int start = random.Next(k), length = random.Next(1, Math.Max(2, k / 4));
            for (int p = start; p < Math.Min(k, start + length); p++)
                values[r * k + p] = random.Next(3) == 0 ? 0f : (float)(random.NextDouble() * 2.0 - 1.0);
        }
        return values;
    }

    [SkippableTheory]
    [InlineData(100, 300, 784)]
    [InlineData(6, 16, 40)]
    [InlineData(47, 70, 129)]
    [InlineData(13, 33, 7)]
    public void ListedTilesSkipWholeStepsWithTheDenseBits(int m, int n, int k)
    {
        Skip.IfNot(KernelIsaInfo.IsSupported(KernelIsa.Vector512), "the sparse path is AVX-512 only");
        float[] bias = Random(n, 11);
        // Forward: A [m, k] row-major.
        float[] a = Windowed(m, k, m * 7 + k), b = Random(k * n, 12);
        var dense = new float[m * n];
        Gemm.MatMulBiasAt<ReluActivation>(KernelIsa.Vector512, 1, m, n, k, a, b, bias, dense);
        (double[] sums, double[] magnitudes) = Products(Layout.Forward, m, n, k, a, b, bias);
        AssertClose<ReluActivation>(sums, magnitudes, dense, k, "dense");
        foreach (int parts in new[] { 1, 2 })
        {
            var listed = new float[m * n];
            Gemm.MatMulBiasAt<ReluActivation>(KernelIsa.Vector512, parts, m, n, k, a, b, bias, listed, sparse: SparseMode.Always);
            AssertBitIdentical(dense, listed, $"forward {m}x{n}x{k} parts={parts}");
        }
        // Weight gradient: Aᵀ stored [k, m] (here k is the batch), windows over the m features.
        float[] at = Windowed(k, m, m + k * 5), dz = Random(k * n, 13);
        var gradient = new float[m * n];
        Gemm.MatMulTransposeAAt(KernelIsa.Vector512, 1, m, n, k, at, dz, gradient);
        foreach (int parts in new[] { 1, 2 })
        {
            var listed = new float[m * n];
            Gemm.MatMulTransposeAAt(KernelIsa.Vector512, parts, m, n, k, at, dz, listed, sparse: SparseMode.Always);
            AssertBitIdentical(gradient, listed, $"transpose-A {m}x{n}x{k} parts={parts}");
        }
    }

    [SkippableTheory]
    [InlineData(100, 784, true)]   // X·W1: tiles of six images, steps = pixels
    [InlineData(784, 100, false)]  // Xᵀ·dZ1: tiles of six pixels, steps = images
    [InlineData(13, 29, true)]
    [InlineData(131, 70, false)]   // more than 64 steps and 64 tiles: several transposed blocks
    [InlineData(5, 3, false)]
    public void EachTileListsExactlyTheStepsWhereOneOfItsRowsIsNonzero(int m, int k, bool rowMajor)
    {
        Skip.IfNot(KernelIsaInfo.IsSupported(KernelIsa.Vector512), "the sparse path is AVX-512 only");
        // Row-major A is [m, k]; otherwise the storage is [k, m] and logical row i is storage column i.
        float[] a = rowMajor ? Windowed(m, k, m + k) : Windowed(k, m, m * k);
        float At(int i, int p) => rowMajor ? a[i * k + p] : a[p * m + i];
        int[][] lists = Gemm.ListedStepsOf(a, m, k, rowMajor);
        Assert.Equal((m + 5) / 6, lists.Length);
        for (int t = 0; t < lists.Length; t++)
        {
            int[] expected = Enumerable.Range(0, k)
                .Where(p => Enumerable.Range(6 * t, Math.Min(6, m - 6 * t)).Any(i => At(i, p) != 0f)).ToArray();
            Assert.Equal(expected, lists[t]);
        }
    }

    [SkippableTheory]
    [InlineData(100, 300, 784)]
    [InlineData(1, 300, 784)] // one image: the compression is the density test
    public void PublicEntryPointsGiveTheDenseBitsForSparseAndDenseInputs(int m, int n, int k)
    {
        Skip.IfNot(KernelIsaInfo.IsSupported(KernelIsa.Vector512), "the sparse path is AVX-512 only");
        float[] b = Random(k * n, 7), bias = Random(n, 8);
        foreach (double density in new[] { 0.19, 0.9 })
        {
            float[] a = Sparse(m * k, density, 9);
            var expected = new float[m * n];
            Gemm.MatMulBiasAt<ReluActivation>(KernelIsaInfo.Best, 1, m, n, k, a, b, bias, expected);
            var actual = new float[m * n];
            for (int call = 0; call < 20; call++)
            {
                Gemm.MatMulBias<ReluActivation>(m, n, k, a, b, bias, actual);
                AssertBitIdentical(expected, actual, $"density {density}, call {call}");
            }
        }
    }

    [SkippableFact]
    public void OnlyTheSignOfAZeroSumStartedAtMinusZeroCanDiffer()
    {
        // The documented exception (Gemm.Sparse512.cs): a sum that is exactly -0 when a zero term comes. Densely,
        // fma(0, w, -0) = -0 + (+0) = +0 for w >= 0; the sparse kernel leaves the term out and keeps -0.
        Skip.IfNot(KernelIsaInfo.IsSupported(KernelIsa.Vector512), "the sparse path is AVX-512 only");
        int m = 2, n = 16, k = 3;
        float[] a = { 0f, 0f, 0f, 0f, 2f, 0f }; // row 0 all zero; row 1 one nonzero term
        float[] b = Enumerable.Repeat(0.5f, k * n).ToArray();
        float[] bias = Enumerable.Repeat(-0f, n).ToArray();
        var dense = new float[m * n];
        var sparse = new float[m * n];
        Gemm.MatMulBiasAt<IdentityActivation>(KernelIsa.Vector512, 1, m, n, k, a, b, bias, dense);
        Gemm.MatMulBiasAt<IdentityActivation>(KernelIsa.Vector512, 1, m, n, k, a, b, bias, sparse, sparse: SparseMode.Always);
        for (int j = 0; j < n; j++)
        {
            Assert.True(float.IsPositive(dense[j]) && dense[j] == 0f, "dense: -0 + 0·0.5 = +0");
            Assert.True(float.IsNegative(sparse[j]) && sparse[j] == 0f, "sparse: the -0 bias is kept");
            Assert.Equal(dense[n + j], sparse[n + j]); // any nonzero term makes the sums agree again
        }
        // After ReLU both are +0, bit for bit (a comparison of values would not see the sign).
        Gemm.MatMulBiasAt<ReluActivation>(KernelIsa.Vector512, 1, m, n, k, a, b, bias, dense);
        Gemm.MatMulBiasAt<ReluActivation>(KernelIsa.Vector512, 1, m, n, k, a, b, bias, sparse, sparse: SparseMode.Always);
        for (int j = 0; j < n; j++)
            Assert.Equal(0, BitConverter.SingleToInt32Bits(sparse[j]));
        AssertBitIdentical(dense, sparse, "after ReLU");
    }

    [SkippableFact]
    public void ListedTilesKeepAMinusZeroSumOnlyWhereAllSixRowsSkipAStep()
    {
        // The same exception for the listed tiles: a step is left out only when all six rows of a tile are zero
        // there, so a -0 start survives only in a tile none of whose rows has a nonzero term.
        Skip.IfNot(KernelIsaInfo.IsSupported(KernelIsa.Vector512), "the sparse path is AVX-512 only");
        int m = 12, n = 16, k = 3;
        var a = new float[m * k];
        a[7 * k + 1] = 2f; // rows 0-5 (tile 0) all zero; row 7 (tile 1) has one nonzero term
        float[] b = Enumerable.Repeat(0.5f, k * n).ToArray();
        float[] bias = Enumerable.Repeat(-0f, n).ToArray();
        var dense = new float[m * n];
        var listed = new float[m * n];
        Gemm.MatMulBiasAt<IdentityActivation>(KernelIsa.Vector512, 1, m, n, k, a, b, bias, dense);
        Gemm.MatMulBiasAt<IdentityActivation>(KernelIsa.Vector512, 1, m, n, k, a, b, bias, listed, sparse: SparseMode.Always);
        for (int j = 0; j < n; j++)
        {
            Assert.True(float.IsNegative(listed[j]) && listed[j] == 0f, "tile 0 skipped every step: the -0 bias is kept");
            Assert.True(float.IsPositive(dense[j]) && dense[j] == 0f, "dense: -0 + 0·0.5 = +0");
            for (int row = 6; row < m; row++)
                Assert.Equal(BitConverter.SingleToInt32Bits(dense[row * n + j]), BitConverter.SingleToInt32Bits(listed[row * n + j]));
        }
    }

    private static void AssertBitIdentical(float[] expected, float[] actual, string what)
    {
        for (int e = 0; e < expected.Length; e++)
        {
            if (BitConverter.SingleToInt32Bits(expected[e]) != BitConverter.SingleToInt32Bits(actual[e]))
                Assert.Fail($"{what}: element {e} is {actual[e]:R}, the dense kernel gave {expected[e]:R}.");
        }
    }
}
