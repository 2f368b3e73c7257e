using System.Collections.Generic;
using SourceNet.Export;
using SourceNet.Quantization;

namespace SourceNet;

/// <summary>
/// Reshapes an image (H, W, C) into the vector (H·W·C). Samples are stored channels-last and row-major, so
/// it moves no data: the layer below and the layer above share one buffer.
/// </summary>
public sealed class FlattenLayer : Layer
{
    /// <summary>Creates the layer.</summary>
    public FlattenLayer(string name, LayerShape inputShape)
        : base(name, inputShape, LayerShape.Features(inputShape.Elements))
    {
    }

    /// <summary>
    /// No node: the value keeps its layout with the vector's shape, and the layer that reads it flattens it in the order
    /// its weights need (a Dense with PyTorch's weight reads an NCHW image channels-first, as <c>torch.flatten</c>;
    /// anything else gets SourceNet's channels-last rows through <see cref="IOpGraph.ToFeatures"/>).
    /// </summary>
    public override OpValue Lower(IOpGraph graph, IReadOnlyList<OpValue> inputs) => SingleInput(inputs) with { Shape = OutputShape };

    /// <summary>Nothing to run: the bytes are already in the order the next layer reads.</summary>
    public override QuantizedOperation Quantize() => QuantizedOperation.PassThrough(Name, InputShape, OutputShape);
}
