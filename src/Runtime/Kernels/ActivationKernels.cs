
using SourceNet.Export;

namespace SourceNet.Kernels;

/// <summary>No activation: f(z) = z, f' = 1.</summary>
public readonly struct IdentityActivation : IOutputDerivative
{
    /// <inheritdoc/>
    public static bool ExactAtEveryWidth => true;
    /// <inheritdoc/>
    public static T Forward<T, M>(T z) where M : struct, IActivationMath<T> => z;
    /// <inheritdoc/>
    public static T DerivativeFromOutput<T, M>(T y) where M : struct, IActivationMath<T> => M.Constant(1f);
}

/// <summary>f(z) = max(0, z); f' = 1 where the output is positive, else 0.</summary>
public readonly struct ReluActivation : IOutputDerivative
{
    /// <inheritdoc/>
    public static bool ExactAtEveryWidth => true;
    /// <inheritdoc/>
    public static T Forward<T, M>(T z) where M : struct, IActivationMath<T> => M.Max(z, M.Constant(0f));
    /// <inheritdoc/>
    public static T DerivativeFromOutput<T, M>(T y) where M : struct, IActivationMath<T> => M.WherePositive(y, M.Constant(1f), M.Constant(0f));
}

/// <summary>f(z) = z where z &gt; 0, else 0.01·z (PyTorch's and ONNX's default slope); f' = 1 or 0.01, read off the output's sign.</summary>
public readonly struct LeakyReluActivation : IOutputDerivative
{
    /// <inheritdoc/>
    public static bool ExactAtEveryWidth => true;
    /// <summary>The slope for negative inputs.</summary>
    public const float Slope = 0.01f;

    /// <inheritdoc/>
    public static T Forward<T, M>(T z) where M : struct, IActivationMath<T> => M.WherePositive(z, z, M.Multiply(M.Constant(Slope), z));
    /// <inheritdoc/>
    public static T DerivativeFromOutput<T, M>(T y) where M : struct, IActivationMath<T> => M.WherePositive(y, M.Constant(1f), M.Constant(Slope));
}

/// <summary>f(z) = 1 / (1 + e^-z); f' = y(1 - y).</summary>
public readonly struct SigmoidActivation : IOutputDerivative
{
    /// <inheritdoc/>
    public static T Forward<T, M>(T z) where M : struct, IActivationMath<T> => M.Divide(M.Constant(1f), M.Add(M.Constant(1f), M.Exp(M.Negate(z))));
    /// <inheritdoc/>
    public static T DerivativeFromOutput<T, M>(T y) where M : struct, IActivationMath<T> => M.Multiply(y, M.Subtract(M.Constant(1f), y));
}

/// <summary>f(z) = tanh z, computed as 2σ(2z) - 1 (one exponential, at every width); f' = 1 - y².</summary>
public readonly struct TanhActivation : IOutputDerivative
{
    /// <inheritdoc/>
    public static T Forward<T, M>(T z) where M : struct, IActivationMath<T> =>
        M.Subtract(M.Divide(M.Constant(2f), M.Add(M.Constant(1f), M.Exp(M.Multiply(M.Constant(-2f), z)))), M.Constant(1f));
    /// <inheritdoc/>
    public static T DerivativeFromOutput<T, M>(T y) where M : struct, IActivationMath<T> => M.Subtract(M.Constant(1f), M.Multiply(y, y));
}

/// <summary>
/// GELU in its tanh form, PyTorch's <c>nn.GELU(approximate='tanh')</c>: f(z) = ½·z·(1 + tanh u) with
/// u = √(2/π)·(z + 0.044715·z³). Computed as z·σ(2u), the same value (1 + tanh u = 2σ(2u)) with one exponential
/// and no cancellation near 1 + tanh u = 0. Its derivative needs z: f' = σ(2u) + z·2σ(2u)(1 - σ(2u))·u'.
/// </summary>
public readonly struct GeluActivation : IPreActivationDerivative, ILoweredActivation
{
    /// <summary>√(2/π), the tanh form's scale.</summary>
    public const float Scale = 0.7978845608f;

    /// <summary>The cubic term's coefficient.</summary>
    public const float Cubic = 0.044715f;

    // σ(2u), the gate: 2u = 2√(2/π)·(z + 0.044715·z³).
    private static T Gate<T, M>(T z) where M : struct, IActivationMath<T> =>
        SigmoidActivation.Forward<T, M>(M.Multiply(M.Constant(2f * Scale), M.Add(z, M.Multiply(M.Constant(Cubic), M.Multiply(z, M.Multiply(z, z))))));

    /// <inheritdoc/>
    public static T Forward<T, M>(T z) where M : struct, IActivationMath<T> => M.Multiply(z, Gate<T, M>(z));

    /// <inheritdoc/>
    public static T DerivativeFromPreActivation<T, M>(T z) where M : struct, IActivationMath<T>
    {
        T s = Gate<T, M>(z);
        // d(2u)/dz = 2√(2/π)·(1 + 3·0.044715·z²)
        T du = M.Multiply(M.Constant(2f * Scale), M.Add(M.Constant(1f), M.Multiply(M.Constant(3f * Cubic), M.Multiply(z, z))));
        return M.Add(s, M.Multiply(M.Multiply(z, du), M.Multiply(s, M.Subtract(M.Constant(1f), s))));
    }

    /// <summary>½·x·(1 + tanh(√(2/π)·(x + 0.044715·x·x·x))), PyTorch's own export of the tanh form, from Mul, Add and Tanh.</summary>
    public static string Lower(IOpGraph graph, string hint, string input)
    {
        string cube = graph.Node("Mul", hint + "_cube", [graph.Node("Mul", hint + "_square", [input, input]), input]);
        string inner = graph.Node("Add", hint + "_inner", [input, graph.Node("Mul", hint + "_cubic", [cube, graph.Floats(hint + "_cubic_coefficient", [Cubic], 1)])]);
        string tanh = graph.Node("Tanh", hint + "_tanh", [graph.Node("Mul", hint + "_scaled", [inner, graph.Floats(hint + "_scale", [Scale], 1)])]);
        string half = graph.Node("Mul", hint + "_half", [input, graph.Floats(hint + "_one_half", [0.5f], 1)]);
        return graph.Node("Mul", hint, [half, graph.Node("Add", hint + "_one_plus", [tanh, graph.Floats(hint + "_one", [1f], 1)])]);
    }
}

/// <summary>
/// SiLU (swish), PyTorch's <c>nn.SiLU</c>: f(z) = z·σ(z). Its derivative needs z: f' = σ(z)·(1 + z·(1 - σ(z))).
/// </summary>
public readonly struct SiluActivation : IPreActivationDerivative, ILoweredActivation
{
    /// <inheritdoc/>
    public static T Forward<T, M>(T z) where M : struct, IActivationMath<T> => M.Multiply(z, SigmoidActivation.Forward<T, M>(z));

    /// <inheritdoc/>
    public static T DerivativeFromPreActivation<T, M>(T z) where M : struct, IActivationMath<T>
    {
        T s = SigmoidActivation.Forward<T, M>(z);
        return M.Multiply(s, M.Add(M.Constant(1f), M.Multiply(z, M.Subtract(M.Constant(1f), s))));
    }

    /// <summary>x·Sigmoid(x).</summary>
    public static string Lower(IOpGraph graph, string hint, string input) =>
        graph.Node("Mul", hint, [input, graph.Node("Sigmoid", hint + "_sigmoid", [input])]);
}
