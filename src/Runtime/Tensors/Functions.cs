using System;
using SourceNet.Kernels;

namespace SourceNet.Tensors;

/// <summary>
/// The built-in activations as plain scalar functions, for <c>[Differentiable]</c> methods. Each is its kernel's
/// one rule (<see cref="ReluActivation"/>, ...), and the generated companions call that kernel's derivative.
/// </summary>
public static class Functions
{
    /// <summary><c>max(0, x)</c>.</summary>
    public static float Relu(float x) => Apply<ReluActivation>.Forward(x);

    /// <summary><c>max(0, x)</c>.</summary>
    public static double Relu(double x) => Apply<ReluActivation>.Forward(x);

    /// <summary><c>1 / (1 + e^-x)</c>.</summary>
    public static float Sigmoid(float x) => Apply<SigmoidActivation>.Forward(x);

    /// <summary><c>1 / (1 + e^-x)</c>.</summary>
    public static double Sigmoid(double x) => Apply<SigmoidActivation>.Forward(x);

    /// <summary><c>x</c> where x &gt; 0, else <c>0.01·x</c>.</summary>
    public static float LeakyRelu(float x) => Apply<LeakyReluActivation>.Forward(x);

    /// <summary><c>x</c> where x &gt; 0, else <c>0.01·x</c>.</summary>
    public static double LeakyRelu(double x) => Apply<LeakyReluActivation>.Forward(x);
}
