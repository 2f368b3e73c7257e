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
}
