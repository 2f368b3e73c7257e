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

    [Theory]
    [InlineData(128, 512, 700, 50)]  // an LSTM's first step from a zero state: 50 rows of zeros
    [InlineData(28, 512, 1400, 200)] // more zero rows than one block of the sum
    [InlineData(13, 52, 300, 300)]   // all zeros
    [InlineData(7, 9, 5, 1)]
    public void Leading_zero_rows_are_skipped_with_the_bits_of_the_whole_sum(int m, int n, int rows, int zeroRows)
    {
        (float[] a, float[] dz) = Operands(m, n, rows, seed: m + rows);
        for (int i = 0; i < zeroRows * m; i++)
            a[i] = i % 3 == 0 ? -0f : 0f;
        var expected = new float[m * n];
        Gemm.MatMulTransposeAAt(KernelIsaInfo.Best, 1, m, n, rows, a, dz, expected);
        var weight = new Parameter("w", m, n);
        var bias = new float[n];
        new SeededRandom(2).FillNormal(weight.Gradient, 0f, 1f);
        RecurrentWeightGradient.Compute(m, n, rows, a, dz, weight, bias, optimizer: null);
        Assert.Equal(expected, weight.Gradient);
        // The bias's sums still read every row of dZ.
        var columnSums = new float[n];
        Gemm.ColumnSums(rows, n, dz, columnSums);
        Assert.Equal(columnSums, bias);
    }

    [Theory]
    [InlineData(28, 512, 1400)] // sequential MNIST's inputs: 28 pixels a step, 28 steps of 50 samples
    [InlineData(13, 52, 300)]   // a partial tile of one column
    [InlineData(63, 40, 130)]   // the widest A read in place, and a block of two rows
    public void Rows_of_zeros_in_a_tile_of_inputs_are_skipped_with_the_bits_of_the_whole_sum(int m, int n, int rows)
    {
        // Image-like A: zero at the border columns, each row with its own band, whole rows of zeros, −0 among them,
        // and a NaN (which is not a zero: its row stays in).
        (float[] a, float[] dz) = Operands(m, n, rows, seed: m * n + rows);
        var random = new SeededRandom(7);
        for (int p = 0; p < rows; p++)
        {
            int from = (int)(random.NextUInt64() % (ulong)m), to = Math.Min(m, from + 1 + m / 4);
            for (int i = 0; i < m; i++)
            {
                if (p % 5 == 0 || i < from || i >= to)
                    a[p * m + i] = (p + i) % 3 == 0 ? -0f : 0f;
            }
        }
        a[(rows / 2) * m + m - 1] = float.NaN;
        var expected = new float[m * n];
        Gemm.MatMulTransposeAAt(KernelIsaInfo.Best, 1, m, n, rows, a, dz, expected);
        var weight = new Parameter("w", m, n);
        new SeededRandom(3).FillNormal(weight.Gradient, 0f, 1f);
        RecurrentWeightGradient.Compute(m, n, rows, a, dz, weight, optimizer: null);
        Assert.Equal(expected, weight.Gradient);
        Assert.Contains(weight.Gradient, float.IsNaN);
        // Beside a hidden side (packed, every row read), as an LSTM's two weights share the pass.
        (float[] hidden, _) = Operands(70, n, rows, seed: 11);
        var expectedHidden = new float[70 * n];
        Gemm.MatMulTransposeAAt(KernelIsaInfo.Best, 1, 70, n, rows, hidden, dz, expectedHidden);
        var ih = new Parameter("ih", m, n);
        var hh = new Parameter("hh", 70, n);
        RecurrentWeightGradient.ComputeBothSides(m, 70, n, rows, a, hidden, dz, ih, hh, new float[n], optimizer: null);
        Assert.Equal(expected, ih.Gradient);
        Assert.Equal(expectedHidden, hh.Gradient);
    }

    [Theory]
    [InlineData(50, 9, 28, 70, 80)]  // sequential MNIST's shape, fewer steps: groups that straddle blocks of rows
    [InlineData(7, 5, 5, 64, 16)]    // the narrowest hidden side that is packed
    public void Rows_that_share_a_blank_prefix_merge_into_one_row_of_the_hidden_side(int batch, int steps, int inputs, int units, int n)
    {
        // Sample s's first s mod 6 inputs are zeros (sample 2's −0) and, from the zero state, its hidden state is then
        // the one all such samples share; its later inputs are drawn with some zeros, and one late input is blank
        // again (a row with its own state). W_hh's sum merges the rows of a shared state; it must stay the sum up to
        // rounding, the same on one and two threads, and W_ih and the bias keep the bits of the plain products.
        int rows = steps * batch;
        var random = new SeededRandom(batch + steps + units);
        var x = new float[rows * inputs];
        var h = new float[rows * units];
        var dz = new float[rows * n];
        random.FillNormal(dz, 0f, 1f);
        var shared = new float[steps * units];
        random.FillNormal(shared, 0f, 0.5f);
        for (int t = 0; t < steps; t++)
        {
            for (int s = 0; s < batch; s++)
            {
                int p = t * batch + s, blank = s % 6;
                Span<float> xRow = x.AsSpan(p * inputs, inputs), hRow = h.AsSpan(p * units, units);
                if (t < blank || (s == 5 && t == steps - 1))
                    xRow.Fill(s == 2 ? -0f : 0f);
                else
                {
                    random.FillNormal(xRow, 0f, 1f);
                    for (int i = 0; i < inputs; i += 3)
                        xRow[i] = 0f;
                }
                // h of the step before: zeros at step 0, the shared state while every input so far was blank.
                if (t == 0)
                    hRow.Clear();
                else if (t <= blank)
                    shared.AsSpan(t * units, units).CopyTo(hRow);
                else
                    random.FillNormal(hRow, 0f, 0.5f);
            }
        }
        var expectedIh = new float[inputs * n];
        Gemm.MatMulTransposeAAt(KernelIsaInfo.Best, 1, inputs, n, rows, x, dz, expectedIh);
        var expectedBias = new float[n];
        Gemm.ColumnSums(rows, n, dz, expectedBias);
        int saved = KernelThreads.Count;
        try
        {
            float[]? first = null;
            foreach (int threads in new[] { 1, 2 })
            {
                KernelThreads.Count = threads;
                var ih = new Parameter("ih", inputs, n);
                var hh = new Parameter("hh", units, n);
                var bias = new float[n];
                RecurrentWeightGradient.ComputeBothSides(inputs, units, n, rows, x, h, dz, ih, hh, bias, optimizer: null);
                Assert.Equal(expectedIh, ih.Gradient);
                Assert.Equal(expectedBias, bias);
                for (int i = 0; i < units; i++)
                {
                    for (int j = 0; j < n; j++)
                    {
                        double sum = 0, scale = 0;
                        for (int p = 0; p < rows; p++)
                        {
                            double term = (double)h[p * units + i] * dz[p * n + j];
                            sum += term;
                            scale += Math.Abs(term);
                        }
                        float got = hh.Gradient[i * n + j];
                        Assert.True(Math.Abs(got - sum) <= 1e-5 * scale + 1e-6, $"W_hh's gradient [{i}, {j}] is {got}; the sum in doubles is {sum} (terms' magnitudes {scale}), {threads} thread(s)");
                    }
                }
                first ??= hh.Gradient;
                Assert.Equal(first, hh.Gradient);
            }
        }
        finally
        {
            KernelThreads.Count = saved;
        }
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

    [Fact]
    public void A_bias_shorter_than_the_columns_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => RecurrentWeightGradient.Compute(4, 8, 2, new float[8], new float[16], new Parameter("w", 4, 8), new float[7], null));
        Assert.Contains("needs 8 values (dZ's columns); got 7", error.Message);
    }

    [Fact]
    public void Both_sides_refuse_short_operands_and_mismatched_weights()
    {
        var ih = new Parameter("ih", 3, 16);
        var hh = new Parameter("hh", 5, 16);
        var bias = new float[16];
        var hidden = Assert.Throws<ArgumentException>(() => RecurrentWeightGradient.ComputeBothSides(3, 5, 16, 4, new float[12], new float[19], new float[64], ih, hh, bias, null));
        Assert.Equal("hidden", hidden.ParamName);
        Assert.Contains("needs 20 values of hidden ([4, 5]); got 19", hidden.Message);
        var dz = Assert.Throws<ArgumentException>(() => RecurrentWeightGradient.ComputeBothSides(3, 5, 16, 4, new float[12], new float[20], new float[63], ih, hh, bias, null));
        Assert.Contains("needs 64 values of dZ; got 63", dz.Message);
        var shape = Assert.Throws<ArgumentException>(() => RecurrentWeightGradient.ComputeBothSides(3, 4, 16, 4, new float[12], new float[20], new float[64], ih, hh, bias, null));
        Assert.Contains("Parameter hh is [5, 16]; the gradient is [4, 16]", shape.Message);
        var same = Assert.Throws<ArgumentException>(() => RecurrentWeightGradient.ComputeBothSides(3, 3, 16, 4, new float[12], new float[12], new float[64], ih, ih, bias, null));
        Assert.Contains("the same parameter (ih)", same.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => RecurrentWeightGradient.ComputeBothSides(3, 0, 16, 4, new float[12], new float[0], new float[64], ih, hh, bias, null));
        Assert.Throws<ArgumentOutOfRangeException>(() => RecurrentWeightGradient.ComputeBothSides(3, 5, 16, -1, new float[12], new float[20], new float[64], ih, hh, bias, null));
        Assert.All(ih.Gradient, x => Assert.Equal(0f, x)); // nothing written before the checks fail
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
