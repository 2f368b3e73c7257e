using System;
using SourceNet.Kernels;

namespace SourceNet.Quantization;

/// <summary>Applies an activation to floats in place.</summary>
internal delegate void InPlaceActivation(Span<float> values);

/// <summary>
/// The forward rule of a layer's activation, for the float stage between an int8 product and the next layer's bytes.
/// <see cref="LayerActivation"/> carries the activation's name and its ONNX form but not its kernel, so the built-in
/// kernels are looked up here by name (a test checks every activation kernel of the runtime has its line).
/// </summary>
internal static class QuantizedActivation
{
    /// <summary>The rule, or null for no activation.</summary>
    /// <exception cref="NotSupportedException">A custom <c>[Differentiable]</c> activation, or a name with no kernel here.</exception>
    public static InPlaceActivation? For(LayerActivation activation, string layer)
    {
        ArgumentNullException.ThrowIfNull(activation);
        if (activation.IsIdentity)
            return null;
        if (activation.IsCustom)
            throw new NotSupportedException($"Layer '{layer}' applies the custom activation '{activation.Name}', which int8 inference cannot evaluate; quantise a network with built-in activations.");
        return activation.Name switch
        {
            "ReLU" => Activations.ForwardInPlace<ReluActivation>,
            "LeakyReLU" => Activations.ForwardInPlace<LeakyReluActivation>,
            "Sigmoid" => Activations.ForwardInPlace<SigmoidActivation>,
            "Tanh" => Activations.ForwardInPlace<TanhActivation>,
            "GELU" => Activations.ForwardInPlace<GeluActivation>,
            "SiLU" => Activations.ForwardInPlace<SiluActivation>,
            _ => throw new NotSupportedException($"Layer '{layer}' applies the activation '{activation.Name}', which int8 inference does not know."),
        };
    }
}
