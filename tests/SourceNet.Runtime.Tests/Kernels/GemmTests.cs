using SourceNet.Kernels;
using static SourceNet.Runtime.Tests.Kernels.GemmReference;

namespace SourceNet.Runtime.Tests.Kernels;

public class GemmTests
{
    // Sizes straddling every tile edge: vector widths 8 and 16, the 64-column panel and the 6-row tile.
    private static readonly int[] EdgeSizes = { 1, 2, 3, 5, 6, 7, 8, 9, 15, 16, 17, 31, 33, 47, 63, 64, 65, 79 };
    private static readonly int[] StepCounts = { 0, 1, 7, 17, 33 };

    public static TheoryData<Layout, int> LayoutsAndIsas()
    {
        var data = new TheoryData<Layout, int>();
        foreach (Layout layout in Enum.GetValues<Layout>())
            foreach (KernelIsa isa in new[] { KernelIsa.Scalar, KernelIsa.Vector128, KernelIsa.Vector256, KernelIsa.Vector512 })
                data.Add(layout, (int)isa);
        return data;
    }

    [SkippableTheory]
    [MemberData(nameof(LayoutsAndIsas))]
    public void MatchesReferenceAtEdgeSizes(Layout layout, int isaLevel)
    {
        var isa = (KernelIsa)isaLevel;
        Skip.IfNot(KernelIsaInfo.IsSupported(isa), $"{isa} is not accelerated on this machine (best: {KernelIsaInfo.Best}).");
        int seed = 1;
        foreach (int m in EdgeSizes)
            foreach (int n in EdgeSizes)
                foreach (int k in StepCounts)
                    Check<IdentityActivation>(layout, isa, 1, m, n, k, withBias: layout == Layout.Forward && (m + n) % 2 == 0, seed++);
    }

    [Theory]
    [InlineData(100, 300, 784)]
    [InlineData(100, 10, 300)]
    [InlineData(1, 300, 784)]
    [InlineData(1, 10, 300)]
    [InlineData(129, 100, 31)]
    [InlineData(33, 129, 100)]
    [InlineData(17, 300, 5)]
    [InlineData(1, 120, 7)] // the single-row tile with 8, 9, 10, 11 and 12 vectors
    [InlineData(1, 130, 7)]
    [InlineData(1, 150, 7)]
    [InlineData(1, 176, 7)]
    [InlineData(1, 191, 7)]
    [InlineData(1, 380, 7)]
    public void MatchesReferenceAtLargeForwardShapes(int m, int n, int k)
    {
        foreach (KernelIsa isa in SupportedIsas())
            Check<ReluActivation>(Layout.Forward, isa, 1, m, n, k, withBias: true, seed: m * 7 + n + k);
    }

    [Theory]
    [InlineData(784, 300, 100)]
    [InlineData(300, 10, 100)]
    [InlineData(129, 33, 17)]
    [InlineData(7, 300, 129)]
    public void MatchesReferenceAtLargeTransposeAShapes(int m, int n, int k)
    {
        foreach (KernelIsa isa in SupportedIsas())
            Check<IdentityActivation>(Layout.TransposeA, isa, 1, m, n, k, withBias: false, seed: m + n * 3 + k);
    }

    [Theory]
    [InlineData(100, 300, 10)]
    [InlineData(100, 784, 300)]
    [InlineData(1, 300, 10)]
    [InlineData(129, 33, 100)]
    public void MatchesReferenceAtLargeTransposeBShapes(int m, int n, int k)
    {
        foreach (KernelIsa isa in SupportedIsas())
            Check<IdentityActivation>(Layout.TransposeB, isa, 1, m, n, k, withBias: false, seed: m + n + k * 5);
    }

    [Fact]
    public void FusesEveryActivationAndOptionalBias()
    {
        foreach (KernelIsa isa in SupportedIsas())
        {
            foreach (bool withBias in new[] { false, true })
            {
                foreach ((int m, int n, int k) in new[] { (7, 37, 19), (1, 300, 65), (13, 10, 9), (6, 5, 3), (100, 70, 33) })
                {
                    Check<IdentityActivation>(Layout.Forward, isa, 1, m, n, k, withBias, 11);
                    Check<ReluActivation>(Layout.Forward, isa, 1, m, n, k, withBias, 12);
                    Check<SigmoidActivation>(Layout.Forward, isa, 1, m, n, k, withBias, 13);
                    Check<TanhActivation>(Layout.Forward, isa, 1, m, n, k, withBias, 14);
                }
            }
        }
    }

    [Fact]
    public void OverwritesOutputInsteadOfAccumulating()
    {
        int m = 5, n = 70, k = 3;
        float[] a = Random(m * k, 1), b = Random(k * n, 2);
        var c = Enumerable.Repeat(1e6f, m * n).ToArray();
        Gemm.MatMulBias<IdentityActivation>(m, n, k, a, b, ReadOnlySpan<float>.Empty, c);
        (double[] sums, double[] magnitudes) = Products(Layout.Forward, m, n, k, a, b, null);
        AssertClose<IdentityActivation>(sums, magnitudes, c, k, "assigned output");
    }

    [Fact]
    public void LeavesMemoryOutsideTheOutputAlone()
    {
        // C is a slice of a larger buffer: the shifted last vectors must stay inside the matrix.
        int m = 7, n = 37, k = 9;
        float[] a = Random(m * k, 3), b = Random(k * n, 4);
        foreach (KernelIsa isa in SupportedIsas())
        {
            var buffer = Enumerable.Repeat(-7f, m * n + 32).ToArray();
            Gemm.MatMulBiasAt<IdentityActivation>(isa, 1, m, n, k, a, b, default, buffer.AsSpan(16, m * n));
            Assert.All(buffer.Take(16).Concat(buffer.Skip(16 + m * n)), x => Assert.Equal(-7f, x));
        }
    }

    public static TheoryData<Layout, int, int, int> SplitShapes()
    {
        var data = new TheoryData<Layout, int, int, int>();
        foreach (Layout layout in Enum.GetValues<Layout>())
        {
            data.Add(layout, 100, 300, 97);
            data.Add(layout, 1, 300, 784);
            data.Add(layout, 1, 97, 33); // the single-row tiles: 12 vectors, then one shifted vector
            data.Add(layout, 5, 97, 33);
            data.Add(layout, 13, 64, 7);
            data.Add(layout, 7, 1000, 3);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(SplitShapes))]
    public void IsBitIdenticalForAnyThreadCountAndInstructionSet(Layout layout, int m, int n, int k)
    {
        int aLength = m * k, bLength = k * n;
        float[] a = Random(aLength, m), b = Random(bLength, n), bias = Random(n, k);
        float[]? biasOrNull = layout == Layout.Forward ? bias : null;
        var expected = new float[m * n];
        Run<IdentityActivation>(layout, KernelIsa.Scalar, 1, m, n, k, a, b, biasOrNull, expected);
        foreach (KernelIsa isa in SupportedIsas())
        {
            foreach (int parts in new[] { 1, 2, 3 })
            {
                var actual = new float[m * n];
                Run<IdentityActivation>(layout, isa, parts, m, n, k, a, b, biasOrNull, actual);
                for (int e = 0; e < expected.Length; e++)
                {
                    if (BitConverter.SingleToInt32Bits(expected[e]) != BitConverter.SingleToInt32Bits(actual[e]))
                        Assert.Fail($"{layout} {isa} parts={parts}: element {e} is {actual[e]:R}, scalar single-thread gave {expected[e]:R}.");
                }
            }
        }
    }

    [Fact]
    public void ForwardWithActivationIsBitIdenticalAcrossThreadCounts()
    {
        int m = 100, n = 300, k = 784;
        float[] a = Random(m * k, 5), b = Random(k * n, 6), bias = Random(n, 7);
        var one = new float[m * n];
        var two = new float[m * n];
        Gemm.MatMulBiasAt<SigmoidActivation>(KernelIsaInfo.Best, 1, m, n, k, a, b, bias, one);
        Gemm.MatMulBiasAt<SigmoidActivation>(KernelIsaInfo.Best, 2, m, n, k, a, b, bias, two);
        Assert.True(one.AsSpan().SequenceEqual(two), "1 and 2 threads differ");
    }

    [Fact]
    public void AllocatesNothingOnceWarm()
    {
        int m = 100, n = 300, k = 97;
        float[] a = Random(m * k, 1), b = Random(k * n, 2), bias = Random(n, 3), c = new float[m * n];
        float[] at = Random(k * m, 4);
        void All(int parts)
        {
            Gemm.MatMulBiasAt<ReluActivation>(KernelIsaInfo.Best, parts, m, n, k, a, b, bias, c);
            Gemm.MatMulTransposeAAt(KernelIsaInfo.Best, parts, m, n, k, at, b, c);
            Gemm.MatMulTransposeBAt(KernelIsaInfo.Best, parts, m, n, k, a, b, c);
            Gemm.ColumnSums(m, n, c, bias);
        }
        All(1);
        All(2);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 5; i++)
        {
            All(1);
            All(2);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void RejectsBadSizesWithClearMessages()
    {
        float[] a = new float[6], b = new float[6], c = new float[4];
        var e = Assert.Throws<ArgumentException>(() => Gemm.MatMulBias<IdentityActivation>(2, 2, 4, a, b, default, c));
        Assert.Contains("A 2x4", e.Message);
        Assert.Throws<ArgumentException>(() => Gemm.MatMulBias<IdentityActivation>(2, 2, 3, a, b, new float[1], c));
        Assert.Throws<ArgumentException>(() => Gemm.MatMulBias<IdentityActivation>(2, 2, 3, a, b, default, new float[3]));
        Assert.Throws<ArgumentException>(() => Gemm.MatMulTransposeA(2, 4, 3, a, b, new float[8]));
        Assert.Throws<ArgumentException>(() => Gemm.MatMulTransposeB(3, 2, 3, a, b, c));
        Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.MatMulTransposeB(-1, 2, 3, a, b, c));
        Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.MatMulBias<ReluActivation>(1, 1, -1, a, b, default, c));
        Assert.Throws<ArgumentException>(() => Gemm.ColumnSums(3, 3, a, c));
        Assert.Throws<ArgumentException>(() => Gemm.ColumnSums(2, 3, a, new float[2]));
        Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.ColumnSums(-1, 3, a, c));
    }

    [Fact]
    public void EmptyProductsAreNoOps()
    {
        Gemm.MatMulBias<IdentityActivation>(0, 5, 3, default, new float[15], default, default);
        Gemm.MatMulTransposeA(5, 0, 3, new float[15], default, default);
        var c = new float[4];
        Gemm.MatMulTransposeB(2, 2, 0, default, default, c);
        Assert.All(c, x => Assert.Equal(0f, x));
    }

    [Fact]
    public void ColumnSumsMatchReference()
    {
        foreach (KernelIsa isa in SupportedIsas())
        {
            foreach (int rows in new[] { 0, 1, 3, 100 })
            {
                foreach (int columns in new[] { 1, 5, 7, 8, 9, 15, 16, 17, 31, 33, 64, 65, 100, 129, 300 })
                {
                    float[] a = Random(rows * columns, rows + columns);
                    var sums = Enumerable.Repeat(99f, columns + 3).ToArray();
                    Gemm.ColumnSumsAt(isa, rows, columns, a, sums);
                    for (int j = 0; j < columns; j++)
                    {
                        double expected = 0;
                        for (int i = 0; i < rows; i++)
                            expected += a[i * columns + j];
                        Assert.True(Math.Abs(sums[j] - expected) <= 1e-5 * (rows + 1), $"{isa} [{rows},{columns}] column {j}: {sums[j]} vs {expected}");
                    }
                    Assert.All(sums.Skip(columns), x => Assert.Equal(99f, x));
                }
            }
        }
    }

    [Fact]
    public void ColumnSumsAreOneChainOfAddsPerColumnInRowOrder()
    {
        // The bias gradients' bits (and so the MNIST goldens) rest on this order, whatever the number of columns a
        // pass sums at once.
        foreach (KernelIsa isa in SupportedIsas())
            foreach (int columns in new[] { 7, 32, 40, 64, 1024 })
            {
                const int rows = 53;
                float[] a = Random(rows * columns, columns);
                var sums = new float[columns];
                Gemm.ColumnSumsAt(isa, rows, columns, a, sums);
                for (int j = 0; j < columns; j++)
                {
                    float chain = 0f;
                    for (int i = 0; i < rows; i++)
                        chain += a[i * columns + j];
                    Assert.True(chain == sums[j], $"{isa} [{rows},{columns}] column {j}: {sums[j]:R} vs the chain's {chain:R}");
                }
            }
    }

    private static void Check<TActivation>(Layout layout, KernelIsa isa, int parts, int m, int n, int k, bool withBias, int seed)
        where TActivation : struct, IActivation
    {
        float[] a = Random(m * k, seed), b = Random(k * n, seed + 1000);
        float[]? bias = withBias ? Random(n, seed + 2000) : null;
        var c = Enumerable.Repeat(float.NaN, m * n).ToArray();
        Run<TActivation>(layout, isa, parts, m, n, k, a, b, bias, c);
        (double[] sums, double[] magnitudes) = Products(layout, m, n, k, a, b, bias);
        AssertClose<TActivation>(sums, magnitudes, c, k, $"{layout} {typeof(TActivation).Name} {isa} m={m} n={n} k={k} bias={withBias}");
    }
}
