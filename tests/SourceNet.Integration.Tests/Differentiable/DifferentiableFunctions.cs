using System;
using System.Numerics.Tensors;

namespace SourceNet.Integration.Tests.Differentiable;

/// <summary>
/// [Differentiable] methods compiled by the real build: one per supported operation, then compositions.
/// The generator adds a <c>…WithGradient</c> companion for each.
/// </summary>
public static partial class Ops
{
    public static readonly double Scale = 1.5;

    public static double Offset { get; } = -0.25;

    [Differentiable] public static double Add(double a, double b) => a + b;
    [Differentiable] public static double Subtract(double a, double b) => a - b;
    [Differentiable] public static double Multiply(double a, double b) => a * b;
    [Differentiable] public static double Divide(double a, double b) => a / b;
    [Differentiable] public static double Negate(double a) => -a;
    [Differentiable] public static double Exp(double a) => Math.Exp(a);
    [Differentiable] public static double Log(double a) => Math.Log(a);
    [Differentiable] public static double Sqrt(double a) => Math.Sqrt(a);
    [Differentiable] public static double Tanh(double a) => Math.Tanh(a);
    [Differentiable] public static double Sin(double a) => Math.Sin(a);
    [Differentiable] public static double Cos(double a) => Math.Cos(a);
    [Differentiable] public static double Abs(double a) => Math.Abs(a);
    [Differentiable] public static double Max(double a, double b) => Math.Max(a, b);
    [Differentiable] public static double Min(double a, double b) => Math.Min(a, b);
    [Differentiable] public static double Pow(double a, double b) => Math.Pow(a, b);
    [Differentiable] public static double Relu(double a) => ActivationFunctions.ReLU(a);
    [Differentiable] public static double Sigmoid(double a) => ActivationFunctions.Sigmoid(a);
    [Differentiable] public static double LeakyRelu(double a) => ActivationFunctions.LeakyReLU(a);
    [Differentiable] public static double ReluByMax(double a) => Math.Max(0, a);

    /// <summary>Constants, a static field and a static property: they shift values, not gradients.</summary>
    [Differentiable]
    public static double Affine(double x) => Scale * x + Offset - 2 * Math.PI;

    /// <summary>The tutorial's graph in double precision.</summary>
    [Differentiable]
    public static double Tutorial(double b, double c)
    {
        double d = b + c;
        double e = c + 2;
        double a = d * e;
        return a;
    }

    /// <summary>Locals reassigned, compound assignments, a parameter overwritten.</summary>
    [Differentiable]
    public static double Reassigned(double x, double y)
    {
        double t = x * y;
        t = t * t;
        t += x;
        t -= y / 2;
        t *= 3;
        t /= y;
        x = -t;
        return x + y;
    }

    /// <summary>One sub-expression (x * y) used three times.</summary>
    [Differentiable]
    public static double Shared(double x, double y) => x * y + Math.Exp(x * y) - Math.Sin(x * y) / (1 + x * y * (x * y));

    /// <summary>The same input in every operand position.</summary>
    [Differentiable]
    public static double SelfProducts(double x) => x * x * x / (x + x) - x;

    [Differentiable]
    public static double Softplus(double x) => Math.Log(1 + Math.Exp(x));

    [Differentiable]
    public static double Swish(double x) => x * ActivationFunctions.Sigmoid(x);

    /// <summary>GELU, tanh approximation.</summary>
    [Differentiable]
    public static double Gelu(double x)
    {
        const double k = 0.7978845608028654; // sqrt(2 / pi)
        double inner = k * (x + 0.044715 * x * x * x);
        return 0.5 * x * (1 + Math.Tanh(inner));
    }

    /// <summary>Calls other [Differentiable] methods: their companions give the chain rule its local factors.</summary>
    [Differentiable]
    public static double Composed(double a, double b) => Swish(a * b) + Gelu(a) * Tutorial(a, b);

    /// <summary>Everything at once: a small neuron with a loss.</summary>
    [Differentiable]
    public static double Neuron(double x1, double x2, double w1, double w2, double bias, double target)
    {
        double z = w1 * x1 + w2 * x2 + bias;
        double h = Math.Tanh(z);
        double y = ActivationFunctions.Sigmoid(Math.Max(h, 0.5 * h)) + Math.Pow(Math.Abs(z) + 1, 1.5);
        double error = y - target;
        return error * error / 2 + Math.Sqrt(w1 * w1 + w2 * w2 + 1e-3);
    }

    private const int Terms = 5;

    /// <summary>A loop over constant bounds is unrolled; its index is a constant in each copy.</summary>
    [Differentiable]
    public static double Series(double x, double a)
    {
        double sum = 0;
        for (int k = 0; k < Terms; k++)
        {
            double term = Math.Pow(x, k) / (k + 1);
            sum += a * term + (double)k * Math.Sin(x * k);
        }
        for (int k = 3; k > 0; k -= 2)
        {
            for (int j = 0; j <= k; j++) sum *= 1 + x / (j + k + 10);
        }
        return sum;
    }

    /// <summary>
    /// A matrix-vector product with compile-time shapes: y = tanh(W·x + b) with W 2×3 (row-major), then the
    /// squared error against t. The loops unroll, so every w[r * 3 + c] is one element with its own gradient.
    /// </summary>
    [Differentiable]
    public static double DenseLoss(ReadOnlySpan<double> w, ReadOnlySpan<double> b, ReadOnlySpan<double> x, ReadOnlySpan<double> t)
    {
        const int Rows = 2, Columns = 3;
        double loss = 0;
        for (int r = 0; r < Rows; r++)
        {
            double z = b[r];
            for (int c = 0; c < Columns; c++)
            {
                z += w[r * Columns + c] * x[c];
            }
            double error = Math.Tanh(z) - t[r];
            loss += error * error;
        }
        return loss / Rows;
    }

    [Differentiable]
    public static double Sum(ReadOnlySpan<double> x) => TensorPrimitives.Sum(x);

    [Differentiable]
    public static double Mean(ReadOnlySpan<double> x) => TensorPrimitives.Sum(x) / x.Length;

    [Differentiable]
    public static double WeightedSquares(ReadOnlySpan<double> x, double w) => w * TensorPrimitives.SumOfSquares(x);

    [Differentiable]
    public static double Dot(ReadOnlySpan<double> x, ReadOnlySpan<double> y) => TensorPrimitives.Dot(x, y);

    [Differentiable]
    public static double Reductions(ReadOnlySpan<double> x, ReadOnlySpan<double> y) =>
        TensorPrimitives.Average(x) * TensorPrimitives.Norm(y) + TensorPrimitives.Distance(x, y) - TensorPrimitives.SumOfMagnitudes(x);

    /// <summary>Mean squared error written with reductions: (Σx² - 2Σxt + Σt²) / n, scaled.</summary>
    [Differentiable]
    public static double MeanSquaredError(ReadOnlySpan<double> prediction, ReadOnlySpan<double> target, double scale)
    {
        double n = prediction.Length;
        double sum = TensorPrimitives.SumOfSquares(prediction) - 2 * TensorPrimitives.Dot(prediction, target) + TensorPrimitives.SumOfSquares(target);
        return scale * sum / n;
    }
}

/// <summary>Single precision, including the tutorial and user-defined activations a network can name.</summary>
public static partial class FloatOps
{
    [Differentiable]
    public static float Tutorial(float b, float c)
    {
        float d = b + c;
        float e = c + 2;
        float a = d * e;
        return a;
    }

    [Differentiable]
    public static float Swish(float x) => x * ActivationFunctions.Sigmoid(x);

    [Differentiable]
    public static float Gelu(float x) => 0.5f * x * (1f + MathF.Tanh(0.7978846f * (x + 0.044715f * x * x * x)));

    /// <summary>Math (double) functions in a float method keep their precision: computed in double, then narrowed.</summary>
    [Differentiable]
    public static float MixedPrecision(float x) => (float)Math.Exp(x) + MathF.Log(x) * (float)Math.Sqrt(x);

    [Differentiable]
    public static float Relu(float x) => ActivationFunctions.ReLU(x);
}

/// <summary>Nested partial types get their companions too.</summary>
public static partial class Outer
{
    public partial struct Inner
    {
        [Differentiable]
        public static float Square(float @in) => @in * @in;
    }
}
