namespace SourceNet.Runtime.Tests.Optimizers;

public class AdamTests
{
    private const int Steps = 6;

    /// <summary>Keras' Adam in double: m = β1m + (1-β1)g; v = β2v + (1-β2)g²; w -= η√(1-β2ᵗ)/(1-β1ᵗ)·m/(√v + ε).</summary>
    private static void ReferenceStep(double[] w, double[] m, double[] v, float[] g, int t, double lr, double b1, double b2, double eps)
    {
        double alpha = lr * Math.Sqrt(1 - Math.Pow(b2, t)) / (1 - Math.Pow(b1, t));
        for (int i = 0; i < w.Length; i++)
        {
            m[i] = b1 * m[i] + (1 - b1) * g[i];
            v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
            w[i] -= alpha * m[i] / (Math.Sqrt(v[i]) + eps);
        }
    }

    private static float[] Gradient(int length, int seed)
    {
        var random = new Random(seed);
        var g = new float[length];
        for (int i = 0; i < length; i++)
            g[i] = i % 11 == 0 ? 0f : (float)((random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-3, 2)));
        return g;
    }

    /// <summary>The update in <paramref name="parts"/> contiguous ranges (<see cref="Optimizer.UpdateRange"/>, which a
    /// split weight-gradient product applies to its blocks of rows; here cut anywhere on 16 elements); one part is
    /// the public update.</summary>
    private static void UpdateInParts(Adam adam, Parameter parameter, int parts)
    {
        if (parts == 1)
        {
            adam.Update(parameter);
            return;
        }
        adam.PrepareColumnUpdates(parameter);
        for (int p = 0; p < parts; p++)
        {
            int first = SourceNet.Kernels.KernelThreads.SliceStart(parameter.Length, p, parts);
            adam.UpdateRange(parameter, first, SourceNet.Kernels.KernelThreads.SliceStart(parameter.Length, p + 1, parts) - first);
        }
    }

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(1, 7, 1)]
    [InlineData(3, 17, 1)]
    [InlineData(1, 300, 2)]
    [InlineData(37, 45, 2)]
    [InlineData(37, 45, 3)]
    [InlineData(200, 300, 2)]
    public void MatchesKerasFormulaInDouble(int rows, int columns, int parts)
    {
        var adam = new Adam(learningRate: 0.01f, beta1: 0.9f, beta2: 0.999f, epsilon: 1e-7f);
        var parameter = new Parameter("W", rows, columns);
        int n = rows * columns;
        float[] initial = Gradient(n, 99);
        initial.CopyTo(parameter.Value, 0);
        double[] w = initial.Select(x => (double)x).ToArray(), m = new double[n], v = new double[n];
        for (int t = 1; t <= Steps; t++)
        {
            float[] g = Gradient(n, t);
            g.CopyTo(parameter.Gradient, 0);
            adam.BeginStep();
            UpdateInParts(adam, parameter, parts);
            ReferenceStep(w, m, v, g, t, 0.01, 0.9, 0.999, 1e-7);
        }
        for (int i = 0; i < n; i++)
        {
            double error = Math.Abs(parameter.Value[i] - w[i]);
            Assert.True(error <= 2e-6 * Math.Max(1, Math.Abs(w[i])), $"[{rows},{columns}] parts={parts}: element {i} is {parameter.Value[i]:R}, expected {w[i]:R}");
        }
    }

    [Theory]
    [InlineData(784, 300)]
    [InlineData(37, 45)]
    public void SplitUpdateIsBitIdentical(int rows, int columns)
    {
        (Parameter, Adam) Run(int parts)
        {
            var adam = new Adam();
            var parameter = new Parameter("W", rows, columns);
            Gradient(rows * columns, 5).CopyTo(parameter.Value, 0);
            for (int t = 1; t <= 3; t++)
            {
                Gradient(rows * columns, 10 + t).CopyTo(parameter.Gradient, 0);
                adam.BeginStep();
                UpdateInParts(adam, parameter, parts);
            }
            return (parameter, adam);
        }
        var (one, adamOne) = Run(1);
        var (two, adamTwo) = Run(2);
        var (three, _) = Run(3);
        Assert.True(one.Value.AsSpan().SequenceEqual(two.Value), "weights differ between 1 and 2 threads");
        Assert.True(one.Value.AsSpan().SequenceEqual(three.Value), "weights differ between 1 and 3 threads");
        Assert.True(adamOne.TryGetSlot(one, 1, out ReadOnlySpan<float> vOne) && adamTwo.TryGetSlot(two, 1, out ReadOnlySpan<float> vTwo)
            && vOne.SequenceEqual(vTwo), "second moments differ between 1 and 2 threads");
    }

    [Fact]
    public void PublicUpdateAllocatesNothingAfterTheFirstStep()
    {
        var adam = new Adam();
        var parameter = new Parameter("W", 784, 300);
        adam.Step(new[] { parameter });
        adam.Step(new[] { parameter });
        var list = new[] { parameter };
        long before = GC.GetAllocatedBytesForCurrentThread();
        adam.Step(list);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
