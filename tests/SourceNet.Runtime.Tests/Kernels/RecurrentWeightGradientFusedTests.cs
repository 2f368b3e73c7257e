using System;
using SourceNet.Kernels;

namespace SourceNet.Runtime.Tests.Kernels;

/// <summary>
/// The one-pass calls (<see cref="RecurrentWeightGradient.ComputeBothSides"/>, and <see cref="RecurrentWeightGradient"/>'s
/// <c>Compute</c> with a bias) against the separate calls they replace in the generated backward pass (one
/// <c>Compute</c> per weight and <see cref="Gemm.ColumnSums"/> for the bias) and against independent references (the
/// general product <see cref="Gemm.MatMulTransposeA"/> and a scalar chain of adds per column): the same bits, at row
/// counts around the row block (128), widths with partial tiles and partial column panels, on one and two threads.
/// </summary>
[Collection(KernelSettingsCollection.Name)]
public class RecurrentWeightGradientFusedTests
{
    private static readonly int[] Rows = [1, 7, 127, 128, 129, 1400];
    private static readonly int[] Widths = [16, 24, 512];
    private static readonly int[] ThreadCounts = [1, 2];

    /// <summary>Runs <paramref name="check"/> for every thread count, width and row count, restoring the thread count.</summary>
    private static void ForEachCase(Action<int, int, int> check)
    {
        int saved = KernelThreads.Count;
        try
        {
            foreach (int threads in ThreadCounts)
            {
                KernelThreads.Count = threads;
                foreach (int n in Widths)
                {
                    foreach (int rows in Rows)
                        check(threads, n, rows);
                }
            }
        }
        finally
        {
            KernelThreads.Count = saved;
        }
    }

    public static TheoryData<int, int> SidePairs() => new()
    {
        // (inputs, units): each of 1, 5, 28, 128 on both sides, so every tile remainder (M mod 6) and both ways of
        // reading A (in place and packed) meet each other.
        { 1, 128 }, { 5, 28 }, { 28, 128 }, { 128, 5 },
    };

    [Theory]
    [MemberData(nameof(SidePairs))]
    public void Both_sides_and_the_bias_match_the_separate_calls_bit_for_bit(int inputs, int units) =>
        ForEachCase((threads, n, rows) =>
        {
            string what = $"inputs {inputs}, units {units}, n {n}, rows {rows}, {threads} thread(s)";
            var random = new SeededRandom(inputs * 7 + units * 31 + n + rows);
            float[] x = Filled(random, rows * inputs), h = Filled(random, rows * units), dz = Filled(random, rows * n);
            (float[] expectedIh, float[] expectedHh, float[] expectedBias) = SeparateCalls(inputs, units, n, rows, x, h, dz);

            var ih = Stale(random, "ih", inputs, n);
            var hh = Stale(random, "hh", units, n);
            float[] bias = Filled(random, n + 3);
            float[] tail = bias[n..];
            RecurrentWeightGradient.ComputeBothSides(inputs, units, n, rows, x, h, dz, ih, hh, bias, null);

            AssertSameBits(expectedIh, ih.Gradient, "dW_ih, " + what);
            AssertSameBits(expectedHh, hh.Gradient, "dW_hh, " + what);
            AssertSameBits(expectedBias, bias[..n], "bias, " + what);
            AssertSameBits(tail, bias[n..], "past the bias, " + what);
            AssertSameBits(Product(inputs, n, rows, x, dz), ih.Gradient, "dW_ih against the general product, " + what);
            AssertSameBits(Chains(n, rows, dz), bias[..n], "bias against the chains of adds, " + what);
        });

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    [InlineData(50)]
    public void Sequential_mnist_lstm_shapes_match_the_separate_calls_bit_for_bit(int batch)
    {
        // 28 steps of 28 pixels: rows = 28 · batch, W_ih [28, 4·units], W_hh [units, 4·units].
        const int steps = 28, inputs = 28;
        int saved = KernelThreads.Count;
        try
        {
            foreach (int threads in ThreadCounts)
            {
                KernelThreads.Count = threads;
                foreach (int units in new[] { 7, 8, 40, 128 })
                {
                    int n = 4 * units, rows = steps * batch;
                    string what = $"batch {batch}, units {units}, {threads} thread(s)";
                    var random = new SeededRandom(batch * 101 + units);
                    float[] x = Filled(random, rows * inputs), h = Filled(random, (rows + batch) * units), dz = Filled(random, rows * n);
                    (float[] expectedIh, float[] expectedHh, float[] expectedBias) = SeparateCalls(inputs, units, n, rows, x, h, dz);
                    var ih = Stale(random, "ih", inputs, n);
                    var hh = Stale(random, "hh", units, n);
                    float[] bias = Filled(random, n);
                    RecurrentWeightGradient.ComputeBothSides(inputs, units, n, rows, x, h, dz, ih, hh, bias, null);
                    AssertSameBits(expectedIh, ih.Gradient, "dW_ih, " + what);
                    AssertSameBits(expectedHh, hh.Gradient, "dW_hh, " + what);
                    AssertSameBits(expectedBias, bias, "bias, " + what);
                }
            }
        }
        finally
        {
            KernelThreads.Count = saved;
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(28)]
    [InlineData(128)]
    public void One_side_and_its_bias_match_the_separate_calls_bit_for_bit(int m) =>
        ForEachCase((threads, n, rows) =>
        {
            string what = $"m {m}, n {n}, rows {rows}, {threads} thread(s)";
            var random = new SeededRandom(m * 13 + n + rows);
            float[] a = Filled(random, rows * m), dz = Filled(random, rows * n);
            var separate = new Parameter("separate", m, n);
            RecurrentWeightGradient.Compute(m, n, rows, a, dz, separate, null);
            var expectedBias = new float[n];
            Gemm.ColumnSums(rows, n, dz, expectedBias);

            var weight = Stale(random, "w", m, n);
            float[] bias = Filled(random, n);
            RecurrentWeightGradient.Compute(m, n, rows, a, dz, weight, bias, null);

            AssertSameBits(separate.Gradient, weight.Gradient, "dW, " + what);
            AssertSameBits(expectedBias, bias, "bias, " + what);
            AssertSameBits(Product(m, n, rows, a, dz), weight.Gradient, "dW against the general product, " + what);
        });

    [Fact]
    public void No_rows_give_zero_gradients_as_the_separate_calls_do()
    {
        var ih = Stale(new SeededRandom(2), "ih", 28, 24);
        var hh = Stale(new SeededRandom(3), "hh", 128, 24);
        float[] bias = Filled(new SeededRandom(4), 24);
        RecurrentWeightGradient.ComputeBothSides(28, 128, 24, 0, default, default, default, ih, hh, bias, null);
        Assert.All(ih.Gradient, g => Assert.Equal(0, BitConverter.SingleToInt32Bits(g)));
        Assert.All(hh.Gradient, g => Assert.Equal(0, BitConverter.SingleToInt32Bits(g)));
        Assert.All(bias, g => Assert.Equal(0, BitConverter.SingleToInt32Bits(g)));
    }

    [Fact]
    public void The_optimizer_updates_both_weights_as_after_the_separate_calls()
    {
        const int inputs = 28, units = 128, n = 512, rows = 300;
        var random = new SeededRandom(9);
        float[] x = Filled(random, rows * inputs), h = Filled(random, rows * units), dz = Filled(random, rows * n);
        Parameter ihOld = Stale(random, "ih", inputs, n), hhOld = Stale(random, "hh", units, n);
        Parameter ihNew = Copy(ihOld), hhNew = Copy(hhOld);
        float[] before = (float[])ihOld.Value.Clone();
        var adamOld = new Adam(learningRate: 1e-2f);
        var adamNew = new Adam(learningRate: 1e-2f);
        adamOld.BeginStep();
        adamNew.BeginStep();
        RecurrentWeightGradient.Compute(inputs, n, rows, x, dz, ihOld, adamOld);
        RecurrentWeightGradient.Compute(units, n, rows, h, dz, hhOld, adamOld);
        RecurrentWeightGradient.ComputeBothSides(inputs, units, n, rows, x, h, dz, ihNew, hhNew, new float[n], adamNew);
        Assert.NotEqual(before, ihNew.Value); // the update moved W_ih
        AssertSameBits(ihOld.Value, ihNew.Value, "W_ih after Adam");
        AssertSameBits(hhOld.Value, hhNew.Value, "W_hh after Adam");
    }

    /// <summary>Today's backward pass: dW_ih, dW_hh and the bias by three separate calls.</summary>
    private static (float[] Ih, float[] Hh, float[] Bias) SeparateCalls(int inputs, int units, int n, int rows, float[] x, float[] h, float[] dz)
    {
        var ih = new Parameter("ih", inputs, n);
        var hh = new Parameter("hh", units, n);
        var bias = new float[n];
        Gemm.ColumnSums(rows, n, dz, bias);
        RecurrentWeightGradient.Compute(inputs, n, rows, x, dz, ih, null);
        RecurrentWeightGradient.Compute(units, n, rows, h, dz, hh, null);
        return (ih.Gradient, hh.Gradient, bias);
    }

    /// <summary>Aᵀ·dZ by the general product, which sums each element in the same order.</summary>
    private static float[] Product(int m, int n, int rows, float[] a, float[] dz)
    {
        var c = new float[m * n];
        Gemm.MatMulTransposeAAt(KernelIsaInfo.Best, 1, m, n, rows, a, dz, c);
        return c;
    }

    /// <summary>Each column's sum as one scalar chain of adds from zero in row order.</summary>
    private static float[] Chains(int n, int rows, float[] dz)
    {
        var sums = new float[n];
        for (int j = 0; j < n; j++)
        {
            float s = 0f;
            for (int p = 0; p < rows; p++)
                s += dz[p * n + j];
            sums[j] = s;
        }
        return sums;
    }

    private static void AssertSameBits(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            if (BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(actual[i]))
                Assert.Fail($"{what}: element {i} is {actual[i]:R}, expected {expected[i]:R}.");
        }
    }

    private static float[] Filled(SeededRandom random, int length)
    {
        var values = new float[length];
        random.FillNormal(values, 0f, 1f);
        return values;
    }

    /// <summary>A weight whose gradient holds stale values, which must not leak into the result.</summary>
    private static Parameter Stale(SeededRandom random, string name, int rows, int columns)
    {
        var weight = new Parameter(name, rows, columns);
        random.FillNormal(weight.Gradient, 0f, 1f);
        random.FillNormal(weight.Value, 0f, 0.1f);
        return weight;
    }

    private static Parameter Copy(Parameter source)
    {
        var copy = new Parameter(source.Name, source.Rows, source.Columns);
        source.Value.CopyTo(copy.Value, 0);
        source.Gradient.CopyTo(copy.Gradient, 0);
        return copy;
    }
}
