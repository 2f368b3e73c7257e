using SourceNet.Kernels;
using static SourceNet.Runtime.Tests.Kernels.GemmReference;

namespace SourceNet.Runtime.Tests.Kernels;

/// <summary>
/// <see cref="Gemm.WeightGradientRows"/>: a weight gradient computed block of rows by block of rows (what a split
/// training step does with its largest dense layer's) must give the whole product's bits, and leave other rows alone.
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
            Gemm.WeightGradientRows(m, n, k, row, Math.Min(rows, m - row), a, b, blocks.AsSpan(row * n, Math.Min(rows, m - row) * n));
        Assert.Equal(whole.Select(BitConverter.SingleToInt32Bits), blocks.Select(BitConverter.SingleToInt32Bits));
        // And against a double-precision reference, so that equal bits are not two equal mistakes.
        (double[] sums, double[] magnitudes) = Products(Layout.TransposeA, m, n, k, a, b, null);
        AssertClose<IdentityActivation>(sums, magnitudes, blocks, k, $"{m}x{n}x{k} in blocks of {rows}");
    }

    [Fact]
    public void Only_the_blocks_values_are_written()
    {
        const int m = 20, n = 9, k = 5;
        float[] a = Random(k * m, seed: 3), b = Random(k * n, seed: 4);
        var whole = new float[m * n];
        Gemm.MatMulTransposeA(m, n, k, a, b, whole);
        var rows = Enumerable.Repeat(7f, 7 * n + 5).ToArray();
        Gemm.WeightGradientRows(m, n, k, 6, 7, a, b, rows);
        Assert.Equal(whole.Skip(6 * n).Take(7 * n), rows.Take(7 * n));
        Assert.All(rows.Skip(7 * n), v => Assert.Equal(7f, v));
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
            Gemm.WeightGradientRows(m, n, k, firstRow, rowCount, new float[k * m], new float[k * n], new float[Math.Max(rowCount, 0) * n]));
        Assert.Contains($"[{firstRow}, {firstRow + rowCount})", error.Message);
        Assert.Contains("10 rows", error.Message);
    }

    [Theory]
    [InlineData(29, 12, 24, "got 29, 12, 24")]
    [InlineData(30, 11, 24, "got 30, 11, 24")]
    [InlineData(30, 12, 23, "got 30, 12, 23")]
    public void A_short_operand_is_named(int aLength, int bLength, int rowsLength, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() =>
            Gemm.WeightGradientRows(10, 4, 3, 2, 6, new float[aLength], new float[bLength], new float[rowsLength]));
        Assert.Contains("need 30, 12, 24 values", error.Message);
        Assert.Contains(expected, error.Message);
    }
}
