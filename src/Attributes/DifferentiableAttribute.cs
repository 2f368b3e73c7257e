using System;

namespace SourceNet;

/// <summary>
/// Marks a static method, written with ordinary C# arithmetic over <c>float</c> or <c>double</c>, whose
/// gradient SourceNet derives at compile time. For <c>static float F(float a, float b)</c> in a
/// <c>partial</c> type <c>C</c>, the generator adds
/// <c>public static float FWithGradient(float a, float b, out float dA, out float dB)</c>, which returns
/// <c>F(a, b)</c> and assigns the partial derivative with respect to every input.
/// </summary>
/// <remarks>
/// <para>
/// Supported: <c>+ - * /</c>, unary minus, local variables (reassignment included), <c>for</c> loops over
/// constant bounds (unrolled), constants, static
/// fields, <c>Math</c>/<c>MathF</c> <c>Exp</c>, <c>Log</c>, <c>Sqrt</c>, <c>Tanh</c>, <c>Max</c>, <c>Min</c>,
/// <c>Abs</c>, <c>Pow</c>, <c>Sin</c>, <c>Cos</c>, <c>SourceNet.ActivationFunctions.ReLU</c>/<c>Sigmoid</c>,
/// calls to other <c>[Differentiable]</c> methods, and the reductions <c>TensorPrimitives.Sum</c>,
/// <c>Average</c>, <c>SumOfSquares</c>, <c>SumOfMagnitudes</c>, <c>Norm</c>, <c>Dot</c> and <c>Distance</c>
/// over <c>ReadOnlySpan</c> parameters (whose gradients are then <c>Span</c> parameters).
/// See <c>docs/differentiable.md</c>.
/// </para>
/// <para>
/// Loops over runtime bounds, branches on values and calls the generator cannot see into are reported as errors
/// (SN0102–SN0104) at their location; the generator never emits a gradient it cannot prove.
/// </para>
/// </remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class DifferentiableAttribute : Attribute
{
}
