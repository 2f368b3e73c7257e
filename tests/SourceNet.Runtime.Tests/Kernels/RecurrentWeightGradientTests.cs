using System;
using SourceNet.Kernels;

namespace SourceNet.Runtime.Tests.Kernels;

/// <summary>
/// <see cref="RecurrentWeightGradient"/> against <see cref="Gemm.MatMulTransposeA"/>, which sums each element in the same
/// order (one chain of fused multiply-adds over the rows): the same bits, on sizes with partial tiles, partial column
/// panels and more rows than one block; and the same bits on one and two threads.
/// </summary>
[Collection(KernelSettingsCollection.Name)]
public class RecurrentWeightGradientTests
{
    [Theory]
    [InlineData(128, 512, 700)]
    [InlineData(13, 52, 300)]
    [InlineData(7, 9, 5)]
    [InlineData(28, 512, 1400)]
    [InlineData(5, 40, 0)]
    public void Matches_the_general_product_bit_for_bit(int m, int n, int rows)
    {
        (float[] a, float[] dz) = Operands(m, n, rows, seed: m + n + rows);
        var expected = new float[m * n];
        Gemm.MatMulTransposeAAt(KernelIsaInfo.Best, 1, m, n, rows, a, dz, expected);
        var weight = new Parameter("w", m, n);
        new SeededRandom(1).FillNormal(weight.Gradient, 0f, 1f); // stale values must not leak in
        RecurrentWeightGradient.Compute(m, n, rows, a, dz, weight, optimizer: null);
        Assert.Equal(expected, weight.Gradient);
    }

    [Fact]
    public void One_and_two_threads_give_the_same_bits()
    {
        int saved = KernelThreads.Count;
        try
        {
            (float[] a, float[] dz) = Operands(40, 200, 600, seed: 3);
            var one = new Parameter("one", 40, 200);
            var two = new Parameter("two", 40, 200);
            KernelThreads.Count = 1;
            RecurrentWeightGradient.Compute(40, 200, 600, a, dz, one, null);
            KernelThreads.Count = 2;
            RecurrentWeightGradient.Compute(40, 200, 600, a, dz, two, null);
            Assert.Equal(one.Gradient, two.Gradient);
        }
        finally
        {
            KernelThreads.Count = saved;
        }
    }

    [Fact]
    public void A_weight_of_another_shape_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => RecurrentWeightGradient.Compute(4, 8, 2, new float[8], new float[16], new Parameter("w", 8, 4), null));
        Assert.Contains("the gradient is [4, 8]", error.Message);
    }

    private static (float[] A, float[] Dz) Operands(int m, int n, int rows, int seed)
    {
        var random = new SeededRandom(seed);
        var a = new float[rows * m];
        var dz = new float[rows * n];
        random.FillNormal(a, 0f, 1f);
        random.FillNormal(dz, 0f, 1f);
        return (a, dz);
    }
}
