using System;

namespace SourceNet.Integration.Tests.Differentiable;

/// <summary>
/// Every generated gradient against central finite differences in double precision (dlib's test_layer idea):
/// (f(x + h) - f(x - h)) / 2h agrees with the exact derivative to O(h²).
/// </summary>
public class FiniteDifferenceTests
{
    private delegate double WithGradient(double[] x, double[] gradient);

    private static void Check(Func<double[], double> f, WithGradient withGradient, params double[] x)
    {
        double[] gradient = new double[x.Length];
        double value = withGradient(x, gradient);
        Assert.Equal(f(x), value, 12);
        for (int i = 0; i < x.Length; i++)
        {
            Assert.Equal(Numeric(f, x, i), gradient[i], Tolerance(gradient[i]));
        }
    }

    private static double Numeric(Func<double[], double> f, double[] x, int i)
    {
        const double h = 1e-5;
        double[] plus = (double[])x.Clone();
        double[] minus = (double[])x.Clone();
        plus[i] += h;
        minus[i] -= h;
        return (f(plus) - f(minus)) / (2 * h);
    }

    private static double Tolerance(double expected) => 1e-6 * Math.Max(1, Math.Abs(expected));

    private static void Assert1(Func<double, double> f, Func<double, (double, double)> g, params double[] points)
    {
        foreach (double p in points)
        {
            Check(x => f(x[0]), (x, d) => { (double v, double d0) = g(x[0]); d[0] = d0; return v; }, p);
        }
    }

    private static void Assert2(Func<double, double, double> f, Func<double, double, (double, double, double)> g, params (double, double)[] points)
    {
        foreach ((double a, double b) in points)
        {
            Check(x => f(x[0], x[1]), (x, d) => { (double v, double d0, double d1) = g(x[0], x[1]); d[0] = d0; d[1] = d1; return v; }, a, b);
        }
    }

    private static readonly (double, double)[] s_pairs = [(0.7, -1.3), (2, 0.5), (-0.4, 3.1)];

    [Fact] public void Add() => Assert2(Ops.Add, (a, b) => (Ops.AddWithGradient(a, b, out double da, out double db), da, db), s_pairs);
    [Fact] public void Subtract() => Assert2(Ops.Subtract, (a, b) => (Ops.SubtractWithGradient(a, b, out double da, out double db), da, db), s_pairs);
    [Fact] public void Multiply() => Assert2(Ops.Multiply, (a, b) => (Ops.MultiplyWithGradient(a, b, out double da, out double db), da, db), s_pairs);
    [Fact] public void Divide() => Assert2(Ops.Divide, (a, b) => (Ops.DivideWithGradient(a, b, out double da, out double db), da, db), s_pairs);
    [Fact] public void Max() => Assert2(Ops.Max, (a, b) => (Ops.MaxWithGradient(a, b, out double da, out double db), da, db), s_pairs);
    [Fact] public void Min() => Assert2(Ops.Min, (a, b) => (Ops.MinWithGradient(a, b, out double da, out double db), da, db), s_pairs);
    [Fact] public void Pow() => Assert2(Ops.Pow, (a, b) => (Ops.PowWithGradient(a, b, out double da, out double db), da, db), (0.7, -1.3), (2, 0.5), (3.1, 2));
    [Fact] public void Tutorial() => Assert2(Ops.Tutorial, (a, b) => (Ops.TutorialWithGradient(a, b, out double da, out double db), da, db), s_pairs);
    [Fact] public void Reassigned() => Assert2(Ops.Reassigned, (a, b) => (Ops.ReassignedWithGradient(a, b, out double da, out double db), da, db), s_pairs);
    [Fact] public void Shared() => Assert2(Ops.Shared, (a, b) => (Ops.SharedWithGradient(a, b, out double da, out double db), da, db), s_pairs);
    [Fact] public void Series() => Assert2(Ops.Series, (a, b) => (Ops.SeriesWithGradient(a, b, out double da, out double db), da, db), s_pairs);
    [Fact] public void Composed() => Assert2(Ops.Composed, (a, b) => (Ops.ComposedWithGradient(a, b, out double da, out double db), da, db), s_pairs);

    [Fact] public void Negate() => Assert1(Ops.Negate, a => (Ops.NegateWithGradient(a, out double d), d), -1.5, 0.3);
    [Fact] public void Exp() => Assert1(Ops.Exp, a => (Ops.ExpWithGradient(a, out double d), d), -1.5, 0.3, 2);
    [Fact] public void Log() => Assert1(Ops.Log, a => (Ops.LogWithGradient(a, out double d), d), 0.2, 1, 7);
    [Fact] public void Sqrt() => Assert1(Ops.Sqrt, a => (Ops.SqrtWithGradient(a, out double d), d), 0.2, 1, 7);
    [Fact] public void Tanh() => Assert1(Ops.Tanh, a => (Ops.TanhWithGradient(a, out double d), d), -1.5, 0.3, 2);
    [Fact] public void Sin() => Assert1(Ops.Sin, a => (Ops.SinWithGradient(a, out double d), d), -1.5, 0.3, 2);
    [Fact] public void Cos() => Assert1(Ops.Cos, a => (Ops.CosWithGradient(a, out double d), d), -1.5, 0.3, 2);
    [Fact] public void Abs() => Assert1(Ops.Abs, a => (Ops.AbsWithGradient(a, out double d), d), -1.5, 0.3, 2);
    [Fact] public void Relu() => Assert1(Ops.Relu, a => (Ops.ReluWithGradient(a, out double d), d), -1.5, 0.3, 2);
    [Fact] public void ReluByMax() => Assert1(Ops.ReluByMax, a => (Ops.ReluByMaxWithGradient(a, out double d), d), -1.5, 0.3, 2);
    [Fact] public void Sigmoid() => Assert1(Ops.Sigmoid, a => (Ops.SigmoidWithGradient(a, out double d), d), -1.5, 0.3, 2);
    [Fact] public void LeakyRelu() => Assert1(Ops.LeakyRelu, a => (Ops.LeakyReluWithGradient(a, out double d), d), -1.5, 0.3, 2);
    [Fact] public void Affine() => Assert1(Ops.Affine, a => (Ops.AffineWithGradient(a, out double d), d), -1.5, 0.3, 2);
    [Fact] public void SelfProducts() => Assert1(Ops.SelfProducts, a => (Ops.SelfProductsWithGradient(a, out double d), d), -1.5, 0.3, 2);
    [Fact] public void Softplus() => Assert1(Ops.Softplus, a => (Ops.SoftplusWithGradient(a, out double d), d), -1.5, 0.3, 2);
    [Fact] public void Swish() => Assert1(Ops.Swish, a => (Ops.SwishWithGradient(a, out double d), d), -1.5, 0.3, 2);
    [Fact] public void Gelu() => Assert1(Ops.Gelu, a => (Ops.GeluWithGradient(a, out double d), d), -1.5, 0.3, 2);

    [Fact]
    public void Kinks_send_the_gradient_to_one_side()
    {
        Assert.Equal(0, Ops.ReluByMaxWithGradient(0, out double reluAtZero));
        Assert.Equal(0, reluAtZero);
        Ops.ReluWithGradient(0, out double functionsReluAtZero);
        Assert.Equal(0, functionsReluAtZero);
        Ops.MaxWithGradient(1, 1, out double da, out double db);
        Assert.Equal(1, da + db);
        Ops.AbsWithGradient(0, out double absAtZero);
        Assert.Equal(0, absAtZero);
    }

    [Fact]
    public void Neuron()
    {
        double[] x = [0.3, -1.2, 0.8, 0.45, -0.1, 0.6];
        Check(
            v => Ops.Neuron(v[0], v[1], v[2], v[3], v[4], v[5]),
            (v, d) => Ops.NeuronWithGradient(v[0], v[1], v[2], v[3], v[4], v[5], out d[0], out d[1], out d[2], out d[3], out d[4], out d[5]),
            x);
    }

    [Fact]
    public void Span_reductions()
    {
        double[] x = [0.5, -1.25, 2, 3.5, -0.75];
        double[] y = [1.5, 0.25, -2, 0.5, 1];
        CheckSpans(v => Ops.Sum(v[0]), (v, g) => Ops.SumWithGradient(v[0], g[0]), x);
        CheckSpans(v => Ops.Mean(v[0]), (v, g) => Ops.MeanWithGradient(v[0], g[0]), x);
        CheckSpans(v => Ops.Dot(v[0], v[1]), (v, g) => Ops.DotWithGradient(v[0], v[1], g[0], g[1]), x, y);
        CheckSpans(v => Ops.WeightedSquares(v[0], v[1][0]),
            (v, g) => Ops.WeightedSquaresWithGradient(v[0], v[1][0], g[0], out g[1][0]), x, [0.7]);
        CheckSpans(v => Ops.Reductions(v[0], v[1]), (v, g) => Ops.ReductionsWithGradient(v[0], v[1], g[0], g[1]), x, y);
        CheckSpans(v => Ops.MeanSquaredError(v[0], v[1], v[2][0]),
            (v, g) => Ops.MeanSquaredErrorWithGradient(v[0], v[1], v[2][0], g[0], g[1], out g[2][0]), x, y, [1.5]);

        CheckSpans(v => Ops.DenseLoss(v[0], v[1], v[2], v[3]),
            (v, g) => Ops.DenseLossWithGradient(v[0], v[1], v[2], v[3], g[0], g[1], g[2], g[3]),
            [0.1, -0.4, 0.7, 0.3, 0.2, -0.6], [0.05, -0.1], [1.5, -0.5, 0.25], [0.3, -0.2]);

        // Span gradients are assigned, not accumulated.
        double[] stale = [9, 9, 9, 9, 9];
        Ops.SumWithGradient(x, stale);
        Assert.Equal([1, 1, 1, 1, 1], stale);
        Assert.Throws<ArgumentException>(() => Ops.SumWithGradient(x, new double[4]));
    }

    private delegate double SpanGradient(double[][] inputs, double[][] gradients);

    private static void CheckSpans(Func<double[][], double> f, SpanGradient withGradient, params double[][] inputs)
    {
        double[][] gradients = inputs.Select(a => new double[a.Length]).ToArray();
        Assert.Equal(f(inputs), withGradient(inputs, gradients), 12);
        for (int p = 0; p < inputs.Length; p++)
        {
            for (int i = 0; i < inputs[p].Length; i++)
            {
                double expected = Numeric(flat => { double[][] copy = inputs.Select(a => (double[])a.Clone()).ToArray(); copy[p][i] = flat[0]; return f(copy); }, [inputs[p][i]], 0);
                Assert.Equal(expected, gradients[p][i], Tolerance(expected));
            }
        }
    }
}
