using System.Collections.Generic;

namespace SourceNet;

/// <summary>Values joined along the channel axis. It has no parameters.</summary>
public sealed class ConcatenateLayer : Layer
{
    /// <summary>Creates the layer.</summary>
    public ConcatenateLayer(string name, LayerShape[] inputShapes, LayerShape outputShape)
        : base(name, inputShapes[0], outputShape) => InputShapes = inputShapes;

    /// <summary>The shapes joined, in order.</summary>
    public IReadOnlyList<LayerShape> InputShapes { get; }
}
