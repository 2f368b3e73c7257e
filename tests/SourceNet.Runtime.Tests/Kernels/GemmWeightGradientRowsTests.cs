using SourceNet.Kernels;
using static SourceNet.Runtime.Tests.Kernels.GemmReference;

namespace SourceNet.Runtime.Tests.Kernels;

/// <summary>
/// <see cref="Gemm.WeightGradientRows"/>: a weight gradient computed block of rows by block of rows (what a split
/// training step does with its first dense layer's) must give the whole product's bits, and leave other rows alone.
/// </summary>
public class GemmWeightGradientRowsTests
{
    [Theory]
    [InlineData(784, 300, 50, 24)] // the tutorial's first layer, one chunk of its batch, the step's 24-row blocks
    [InlineData(37, 21, 19, 6)]
    [InlineData(37, 21, 19, 12)]
    [InlineData(13, 65, 7, 13)]
    [InlineData(9, 17, 33, 7)]    // blocks that are not a multiple of the 6-row tile: same bits too
    public void Blocks_of_rows_give_the_whole_products_bits(int m, int n, int k, int rows)
    {
        float[] a = Random(k * m, seed: m + n), b = Random(k * n, seed: k + 1);
        var whole = new float[m * n];
        Gemm.MatMulTransposeA(m, n, k, a, b, whole);
        var blocks = new float[m * n];
        for (int row = 0; row < m; row += rows)
            Gemm.WeightGradientRows(m, n, k, row, Math.Min(rows, m - row), a, b, blocks);
        Assert.Equal(whole.Select(BitConverter.SingleToInt32Bits), blocks.Select(BitConverter.SingleToInt32Bits));
        // And against a double-precision reference, so that equal bits are not two equal mistakes.
        (double[] sums, double[] magnitudes) = Products(Layout.TransposeA, m, n, k, a, b, null);
        AssertClose<IdentityActivation>(sums, magnitudes, blocks, k, $"{m}x{n}x{k} in blocks of {rows}");
    }

    [Fact]
    public void Rows_outside_the_block_are_left_as_they_are()
    {
        const int m = 20, n = 9, k = 5;
        float[] a = Random(k * m, seed: 3), b = Random(k * n, seed: 4);
        var c = Enumerable.Repeat(7f, m * n).ToArray();
        Gemm.WeightGradientRows(m, n, k, 6, 6, a, b, c);
        Assert.All(c.Take(6 * n).Concat(c.Skip(12 * n)), v => Assert.Equal(7f, v));
        Assert.Contains(c.Skip(6 * n).Take(6 * n), v => v != 7f);
    }

    [Theory]
    [InlineData(-1, 3)]
    [InlineData(8, 3)]
    [InlineData(0, 11)]
    [InlineData(2, -1)]
    public void Rows_outside_the_gradient_are_named(int firstRow, int rowCount)
    {
        const int m = 10, n = 4, k = 3;
        var error = Assert.Throws<ArgumentOutOfRangeException>(() =>
            Gemm.WeightGradientRows(m, n, k, firstRow, rowCount, new float[k * m], new float[k * n], new float[m * n]));
        Assert.Contains($"[{firstRow}, {firstRow + rowCount})", error.Message);
        Assert.Contains("10 rows", error.Message);
    }

    [Fact]
    public void A_short_operand_is_named()
    {
        Assert.Throws<ArgumentException>(() => Gemm.WeightGradientRows(10, 4, 3, 0, 6, new float[29], new float[12], new float[40]));
    }
}
