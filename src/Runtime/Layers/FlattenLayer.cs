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

    /// <summary>Back to channels-last, then <c>Reshape</c> to [N, H·W·C]: the order the next Dense weight is stored for.</summary>
    public override OpValue Lower(IOpGraph graph, IReadOnlyList<OpValue> inputs)
    {
        OpValue flat = graph.ToFeatures(Name, SingleInput(inputs));
        return flat with { Shape = OutputShape };
    }

    /// <summary>Nothing to run: the bytes are already in the order the next layer reads.</summary>
    public override QuantizedOperation Quantize() => QuantizedOperation.PassThrough(Name, InputShape, OutputShape);
}
