namespace SourceNet.Kernels;

/// <summary>
/// An element-wise activation as a type: its forward rule and its derivative, each written <b>once</b>, over
/// any element type and vector width (<see cref="IActivationMath{T}"/>: float, double, 4, 8 and 16 floats).
/// Kernels generic over it are specialised by the JIT, so the activation is inlined into the matmul
/// epilogue; <see cref="Apply{TActivation}"/> gives each width's entry point. The derivative is expressed
/// through the activation's <i>output</i>, so the backward pass needs no stored pre-activations.
/// </summary>
/// <remarks>
/// This is the one definition of a built-in activation: the network generator fuses it through the
/// <c>[ActivationKernel]</c> attribute of its <c>SourceNet.Activation</c> member, and the <c>[Differentiable]</c>
/// generator's companions of <c>SourceNet.Tensors.Functions</c> call the same derivative.
/// </remarks>
public interface IActivation
{
    /// <summary>f(z).</summary>
    static abstract T Forward<T, TMath>(T z) where TMath : struct, IActivationMath<T>;

    /// <summary>f'(z), written in terms of y = f(z).</summary>
    static abstract T DerivativeFromOutput<T, TMath>(T y) where TMath : struct, IActivationMath<T>;
}
