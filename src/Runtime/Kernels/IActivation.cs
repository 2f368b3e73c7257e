namespace SourceNet.Kernels;

/// <summary>
/// An element-wise activation as a type: its forward rule, written <b>once</b> over any element type and vector
/// width (<see cref="IActivationMath{T}"/>: float, double, 4, 8 and 16 floats). Kernels generic over it are
/// specialised by the JIT, so the activation is inlined into the matmul epilogue; <see cref="Apply{TActivation}"/>
/// gives each width's entry point. Its derivative sits beside the rule, through one of the two interfaces that
/// say what the backward pass must keep: <see cref="IOutputDerivative"/> (f' from y = f(z): nothing extra) or
/// <see cref="IPreActivationDerivative"/> (f' from z: the layer keeps its pre-activations).
/// </summary>
/// <remarks>
/// This is the one definition of a built-in activation: the network generator fuses it through the
/// <c>[ActivationKernel]</c> attribute of its <c>SourceNet.Activation</c> member and reads from the interface
/// which derivative to call; the <c>[Differentiable]</c> generator's companions of
/// <c>SourceNet.ActivationFunctions</c> call the same forward rule and derivative, and the generator's test
/// interpreter evaluates them at <c>double</c> through <see cref="DoubleMath"/>.
/// </remarks>
public interface IActivation
{
    /// <summary>f(z).</summary>
    static abstract T Forward<T, TMath>(T z) where TMath : struct, IActivationMath<T>;

    /// <summary>
    /// Whether f gives the same bits at every width: identity and the piecewise-linear activations (a compare and a
    /// multiply per lane). Those with an exponential may differ in the last bit between the scalar and the vector
    /// code, so kernels that pick their width by the output size must pick it alike (a JIT-time constant).
    /// </summary>
    static virtual bool ExactAtEveryWidth => false;
}

/// <summary>An activation whose derivative is a function of its output y = f(z), so the backward pass needs no pre-activations.</summary>
public interface IOutputDerivative : IActivation
{
    /// <summary>f'(z), written in terms of y = f(z).</summary>
    static abstract T DerivativeFromOutput<T, TMath>(T y) where TMath : struct, IActivationMath<T>;
}

/// <summary>
/// An activation whose derivative is not a function of its output (GELU, SiLU: neither is one-to-one), so the layer
/// keeps its pre-activations z for the backward pass. The network generator sees this interface on the kernel
/// type and allocates that buffer.
/// </summary>
public interface IPreActivationDerivative : IActivation
{
    /// <summary>f'(z), from the pre-activation z.</summary>
    static abstract T DerivativeFromPreActivation<T, TMath>(T z) where TMath : struct, IActivationMath<T>;
}

/// <summary>
/// An activation that ONNX has no single operator for, lowered as a small graph of opset-17 primitives beside its
/// rule. The generator hands <see cref="Lower"/> to the layer's <c>SourceNet.LayerActivation</c>; an activation
/// that is one ONNX operator names it in its <c>[ActivationKernel(OnnxOperator = ...)]</c> instead.
/// </summary>
public interface ILoweredActivation : IActivation
{
    /// <summary>Adds the nodes computing f(<paramref name="input"/>) element-wise and returns the output's name.</summary>
    static abstract string Lower(SourceNet.Export.IOpGraph graph, string hint, string input);
}
