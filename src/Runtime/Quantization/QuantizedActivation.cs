using System;
using SourceNet.Kernels;

namespace SourceNet.Quantization;

/// <summary>Applies an activation to floats in place.</summary>
internal delegate void InPlaceActivation(Span<float> values);

/// <summary>An int8 product's rows of sums to the next layer's bytes in one pass, activation included
/// (<see cref="Int8Epilogue.SumsToBytes{TActivation}"/>).</summary>
internal delegate void FusedEpilogue(int rows, ReadOnlySpan<int> sums, int ldc, ReadOnlySpan<int> offsets, ReadOnlySpan<float> scales,
    ReadOnlySpan<float> bias, float inverseScale, int zeroPoint, Span<byte> output, int outputStride, bool vector);

/// <summary>
/// The forward rule of a layer's activation, for the float stage between an int8 product and the next layer's bytes.
/// <see cref="LayerActivation"/> carries the activation's name and its ONNX form but not its kernel, so the built-in
/// kernels are looked up here by name: a new built-in activation needs its line here (the integration tests run
/// every member of <c>SourceNet.Activation</c> through it, so a missing line fails there).
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

    /// <summary>
    /// The one-pass epilogue for activations that give the same bits at every vector width (none, ReLU, LeakyReLU),
    /// or null: the others (with an exponential) run as a pass of their own over the block, as calibration ran them.
    /// </summary>
    public static FusedEpilogue? Fused(LayerActivation activation)
    {
        ArgumentNullException.ThrowIfNull(activation);
        if (activation.IsIdentity)
            return Int8Epilogue.SumsToBytes<IdentityActivation>;
        if (activation.IsCustom)
            return null;
        return activation.Name switch
        {
            "ReLU" => Int8Epilogue.SumsToBytes<ReluActivation>,
            "LeakyReLU" => Int8Epilogue.SumsToBytes<LeakyReluActivation>,
            _ => null,
        };
    }
}
