using System;

namespace SourceNet.Tensors;

/// <summary>
/// Activations as plain scalar functions, for <c>[Differentiable]</c> methods: the generator knows their
/// derivatives (ReLU: 1 where x &gt; 0, else 0; sigmoid: y(1 - y)).
/// </summary>
public static class Functions
{
    /// <summary><c>max(0, x)</c>.</summary>
    public static float Relu(float x) => x > 0f ? x : 0f;

    /// <summary><c>max(0, x)</c>.</summary>
    public static double Relu(double x) => x > 0d ? x : 0d;

    /// <summary><c>1 / (1 + e^-x)</c>.</summary>
    public static float Sigmoid(float x) => 1f / (1f + MathF.Exp(-x));

    /// <summary><c>1 / (1 + e^-x)</c>.</summary>
    public static double Sigmoid(double x) => 1d / (1d + Math.Exp(-x));
}
