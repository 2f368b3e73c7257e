using System.Collections.Generic;
using SourceNet.Kernels;

namespace SourceNet;

/// <summary>
/// A 2-D convolution over channels-last images: <see cref="Weight"/> stored [kernelHeight, kernelWidth,
/// inChannels, filters] (HWIO, so that it is the right-hand matrix of an im2col product) and
/// <see cref="Bias"/> [filters].
/// </summary>
public sealed class Conv2DLayer : Layer
{
    private readonly Parameter[] _parameters;

    /// <summary>Creates the layer's parameters, zero-filled.</summary>
    public Conv2DLayer(string name, Conv2DGeometry geometry, LayerActivation activation)
        : base(name,
            LayerShape.Image(geometry.InputHeight, geometry.InputWidth, geometry.InputChannels),
            LayerShape.Image(geometry.OutputHeight, geometry.OutputWidth, geometry.Filters))
    {
        Geometry = geometry;
        Activation = activation;
        Weight = new Parameter(name + ".Weight", geometry.KernelHeight * geometry.KernelWidth * geometry.InputChannels, geometry.Filters);
        Bias = new Parameter(name + ".Bias", 1, geometry.Filters);
        _parameters = new[] { Weight, Bias };
    }

    /// <summary>Sizes, strides and padding.</summary>
    public Conv2DGeometry Geometry { get; }

    /// <summary>The activation applied to the output.</summary>
    public LayerActivation Activation { get; }

    /// <summary>The filters, [kernelHeight · kernelWidth · inChannels, filters] (HWIO flattened to a matrix).</summary>
    public Parameter Weight { get; }

    /// <summary>One bias per filter.</summary>
    public Parameter Bias { get; }

    /// <inheritdoc/>
    public override IReadOnlyList<Parameter> Parameters => _parameters;
}
