using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.ComponentModel;

namespace SourceNet.Kernels;

/// <summary>
/// The arithmetic an activation's rule is written in, for one element type or vector width. Each operation
/// is the plain one (no fused multiply-add), so every width computes the same value for the same element.
/// </summary>
public interface IActivationMath<T>
{
    /// <summary>c in every lane.</summary>
    static abstract T Constant(float c);

    /// <summary>a + b.</summary>
    static abstract T Add(T a, T b);

    /// <summary>a - b.</summary>
    static abstract T Subtract(T a, T b);

    /// <summary>a · b.</summary>
    static abstract T Multiply(T a, T b);

    /// <summary>a / b.</summary>
    static abstract T Divide(T a, T b);

    /// <summary>-a.</summary>
    static abstract T Negate(T a);

    /// <summary>The larger of a and b.</summary>
    static abstract T Max(T a, T b);

    /// <summary>e^a.</summary>
    static abstract T Exp(T a);

    /// <summary>Per lane: <paramref name="whenPositive"/> where <paramref name="condition"/> &gt; 0, else <paramref name="otherwise"/>.</summary>
    static abstract T WherePositive(T condition, T whenPositive, T otherwise);
}

/// <summary>Scalar float arithmetic for activation rules.</summary>
public readonly struct FloatMath : IActivationMath<float>
{
    /// <inheritdoc/>
    public static float Constant(float c) => c;
    /// <inheritdoc/>
    public static float Add(float a, float b) => a + b;
    /// <inheritdoc/>
    public static float Subtract(float a, float b) => a - b;
    /// <inheritdoc/>
    public static float Multiply(float a, float b) => a * b;
    /// <inheritdoc/>
    public static float Divide(float a, float b) => a / b;
    /// <inheritdoc/>
    public static float Negate(float a) => -a;
    /// <inheritdoc/>
    public static float Max(float a, float b) => a > b ? a : b;
    /// <inheritdoc/>
    public static float Exp(float a) => MathF.Exp(a);
    /// <inheritdoc/>
    public static float WherePositive(float condition, float whenPositive, float otherwise) => condition > 0f ? whenPositive : otherwise;
}

/// <summary>Scalar double arithmetic for activation rules (the <c>[Differentiable]</c> functions' double overloads).</summary>
public readonly struct DoubleMath : IActivationMath<double>
{
    /// <inheritdoc/>
    public static double Constant(float c) => c;
    /// <inheritdoc/>
    public static double Add(double a, double b) => a + b;
    /// <inheritdoc/>
    public static double Subtract(double a, double b) => a - b;
    /// <inheritdoc/>
    public static double Multiply(double a, double b) => a * b;
    /// <inheritdoc/>
    public static double Divide(double a, double b) => a / b;
    /// <inheritdoc/>
    public static double Negate(double a) => -a;
    /// <inheritdoc/>
    public static double Max(double a, double b) => a > b ? a : b;
    /// <inheritdoc/>
    public static double Exp(double a) => Math.Exp(a);
    /// <inheritdoc/>
    public static double WherePositive(double condition, double whenPositive, double otherwise) => condition > 0d ? whenPositive : otherwise;
}

/// <summary>16-float arithmetic for activation rules.</summary>
public readonly struct Vector512Math : IActivationMath<Vector512<float>>
{
    /// <inheritdoc/>
    public static Vector512<float> Constant(float c) => Vector512.Create(c);
    /// <inheritdoc/>
    public static Vector512<float> Add(Vector512<float> a, Vector512<float> b) => a + b;
    /// <inheritdoc/>
    public static Vector512<float> Subtract(Vector512<float> a, Vector512<float> b) => a - b;
    /// <inheritdoc/>
    public static Vector512<float> Multiply(Vector512<float> a, Vector512<float> b) => a * b;
    /// <inheritdoc/>
    public static Vector512<float> Divide(Vector512<float> a, Vector512<float> b) => a / b;
    /// <inheritdoc/>
    public static Vector512<float> Negate(Vector512<float> a) => -a;
    /// <inheritdoc/>
    public static Vector512<float> Max(Vector512<float> a, Vector512<float> b) => Vector512.Max(a, b);
    /// <inheritdoc/>
    public static Vector512<float> Exp(Vector512<float> a) => Vector512.Exp(a);
    /// <inheritdoc/>
    public static Vector512<float> WherePositive(Vector512<float> condition, Vector512<float> whenPositive, Vector512<float> otherwise) =>
        Vector512.ConditionalSelect(Vector512.GreaterThan(condition, Vector512<float>.Zero), whenPositive, otherwise);
}

/// <summary>8-float arithmetic for activation rules.</summary>
public readonly struct Vector256Math : IActivationMath<Vector256<float>>
{
    /// <inheritdoc/>
    public static Vector256<float> Constant(float c) => Vector256.Create(c);
    /// <inheritdoc/>
    public static Vector256<float> Add(Vector256<float> a, Vector256<float> b) => a + b;
    /// <inheritdoc/>
    public static Vector256<float> Subtract(Vector256<float> a, Vector256<float> b) => a - b;
    /// <inheritdoc/>
    public static Vector256<float> Multiply(Vector256<float> a, Vector256<float> b) => a * b;
    /// <inheritdoc/>
    public static Vector256<float> Divide(Vector256<float> a, Vector256<float> b) => a / b;
    /// <inheritdoc/>
    public static Vector256<float> Negate(Vector256<float> a) => -a;
    /// <inheritdoc/>
    public static Vector256<float> Max(Vector256<float> a, Vector256<float> b) => Vector256.Max(a, b);
    /// <inheritdoc/>
    public static Vector256<float> Exp(Vector256<float> a) => Vector256.Exp(a);
    /// <inheritdoc/>
    public static Vector256<float> WherePositive(Vector256<float> condition, Vector256<float> whenPositive, Vector256<float> otherwise) =>
        Vector256.ConditionalSelect(Vector256.GreaterThan(condition, Vector256<float>.Zero), whenPositive, otherwise);
}

/// <summary>4-float arithmetic for activation rules.</summary>
public readonly struct Vector128Math : IActivationMath<Vector128<float>>
{
    /// <inheritdoc/>
    public static Vector128<float> Constant(float c) => Vector128.Create(c);
    /// <inheritdoc/>
    public static Vector128<float> Add(Vector128<float> a, Vector128<float> b) => a + b;
    /// <inheritdoc/>
    public static Vector128<float> Subtract(Vector128<float> a, Vector128<float> b) => a - b;
    /// <inheritdoc/>
    public static Vector128<float> Multiply(Vector128<float> a, Vector128<float> b) => a * b;
    /// <inheritdoc/>
    public static Vector128<float> Divide(Vector128<float> a, Vector128<float> b) => a / b;
    /// <inheritdoc/>
    public static Vector128<float> Negate(Vector128<float> a) => -a;
    /// <inheritdoc/>
    public static Vector128<float> Max(Vector128<float> a, Vector128<float> b) => Vector128.Max(a, b);
    /// <inheritdoc/>
    public static Vector128<float> Exp(Vector128<float> a) => Vector128.Exp(a);
    /// <inheritdoc/>
    public static Vector128<float> WherePositive(Vector128<float> condition, Vector128<float> whenPositive, Vector128<float> otherwise) =>
        Vector128.ConditionalSelect(Vector128.GreaterThan(condition, Vector128<float>.Zero), whenPositive, otherwise);
}

/// <summary>
/// An activation at each width the kernels use: <c>Apply&lt;ReluActivation&gt;.Forward(v)</c> for a float, a
/// double or a vector of 4, 8 or 16 floats. All inline to the activation's one rule.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class Apply<TActivation> where TActivation : struct, IActivation
{
    /// <summary>The kernel's <see cref="IActivation.ExactAtEveryWidth"/>, a JIT-time constant.</summary>
    internal static bool ExactAtEveryWidth => TActivation.ExactAtEveryWidth;

    /// <summary>f(z) at this width.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Forward(float z) => TActivation.Forward<float, FloatMath>(z);

    /// <summary>f(z) at this width.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Forward(double z) => TActivation.Forward<double, DoubleMath>(z);

    /// <summary>f(z) at this width.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Forward(Vector128<float> z) => TActivation.Forward<Vector128<float>, Vector128Math>(z);

    /// <summary>f(z) at this width.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Forward(Vector256<float> z) => TActivation.Forward<Vector256<float>, Vector256Math>(z);

    /// <summary>f(z) at this width.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Forward(Vector512<float> z) => TActivation.Forward<Vector512<float>, Vector512Math>(z);
}

/// <summary>
/// An activation's derivative at each width: <c>Derivative.FromOutput&lt;ReluActivation&gt;(y)</c> or
/// <c>Derivative.FromPreActivation&lt;GeluActivation&gt;(z)</c>, whichever interface the kernel implements.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class Derivative
{
    /// <summary>f'(z) from y = f(z).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float FromOutput<TActivation>(float y) where TActivation : struct, IOutputDerivative =>
        TActivation.DerivativeFromOutput<float, FloatMath>(y);

    /// <summary>f'(z) from y = f(z).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double FromOutput<TActivation>(double y) where TActivation : struct, IOutputDerivative =>
        TActivation.DerivativeFromOutput<double, DoubleMath>(y);

    /// <summary>f'(z) from y = f(z).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> FromOutput<TActivation>(Vector128<float> y) where TActivation : struct, IOutputDerivative =>
        TActivation.DerivativeFromOutput<Vector128<float>, Vector128Math>(y);

    /// <summary>f'(z) from y = f(z).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> FromOutput<TActivation>(Vector256<float> y) where TActivation : struct, IOutputDerivative =>
        TActivation.DerivativeFromOutput<Vector256<float>, Vector256Math>(y);

    /// <summary>f'(z) from y = f(z).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> FromOutput<TActivation>(Vector512<float> y) where TActivation : struct, IOutputDerivative =>
        TActivation.DerivativeFromOutput<Vector512<float>, Vector512Math>(y);

    /// <summary>f'(z) from the pre-activation z.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float FromPreActivation<TActivation>(float z) where TActivation : struct, IPreActivationDerivative =>
        TActivation.DerivativeFromPreActivation<float, FloatMath>(z);

    /// <summary>f'(z) from the pre-activation z.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double FromPreActivation<TActivation>(double z) where TActivation : struct, IPreActivationDerivative =>
        TActivation.DerivativeFromPreActivation<double, DoubleMath>(z);

    /// <summary>f'(z) from the pre-activation z.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> FromPreActivation<TActivation>(Vector128<float> z) where TActivation : struct, IPreActivationDerivative =>
        TActivation.DerivativeFromPreActivation<Vector128<float>, Vector128Math>(z);

    /// <summary>f'(z) from the pre-activation z.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> FromPreActivation<TActivation>(Vector256<float> z) where TActivation : struct, IPreActivationDerivative =>
        TActivation.DerivativeFromPreActivation<Vector256<float>, Vector256Math>(z);

    /// <summary>f'(z) from the pre-activation z.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> FromPreActivation<TActivation>(Vector512<float> z) where TActivation : struct, IPreActivationDerivative =>
        TActivation.DerivativeFromPreActivation<Vector512<float>, Vector512Math>(z);
}
