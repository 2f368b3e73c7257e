namespace SourceNet;

/// <summary>Each channel's mean over an image's positions: (H, W, C) to (C). It has no parameters.</summary>
public sealed class GlobalAvgPool2DLayer : Layer
{
    /// <summary>Creates the layer.</summary>
    public GlobalAvgPool2DLayer(string name, LayerShape input)
        : base(name, input, LayerShape.Features(input.Channels))
    {
    }
}
