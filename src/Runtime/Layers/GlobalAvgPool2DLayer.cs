using System;
using System.Collections.Generic;
using SourceNet.Export;

namespace SourceNet;

/// <summary>The mean of each channel over the whole image: (H, W, C) to the vector (C). It has no parameters.</summary>
public sealed class GlobalAvgPool2DLayer : Layer
{
    /// <summary>Creates the layer.</summary>
    /// <param name="name">The layer's name.</param>
    /// <param name="input">The image it averages.</param>
    public GlobalAvgPool2DLayer(string name, LayerShape input)
        : base(name, input, Output(name, input))
    {
    }

    /// <summary><c>GlobalAveragePool</c> on NCHW, then <c>Reshape</c> of [N, C, 1, 1] to [N, C].</summary>
    public override OpValue Lower(IOpGraph graph, IReadOnlyList<OpValue> inputs)
    {
        OpValue input = graph.ToNchw(Name, SingleInput(inputs));
        string pooled = graph.Node("GlobalAveragePool", Name + "_pool", new[] { input.Name });
        string output = graph.Node("Reshape", Name, new[] { pooled, graph.Int64s(Name + "_shape", -1, OutputShape.Channels) });
        return new OpValue(output, OpLayout.Features, OutputShape);
    }

    private static LayerShape Output(string name, LayerShape input)
    {
        if (!input.IsImage)
            throw new ArgumentException($"GlobalAvgPool2D '{name}' averages an image (H, W, C), not {input}.", nameof(input));
        return LayerShape.Features(input.Channels);
    }
}
