namespace SourceNet;

/// <summary>The element-wise sum of two or more values of one shape. It has no parameters.</summary>
public sealed class AddLayer : Layer
{
    /// <summary>Creates the layer.</summary>
    public AddLayer(string name, LayerShape shape, int inputCount)
        : base(name, shape, shape) => InputCount = inputCount;

    /// <summary>How many values are added.</summary>
    public int InputCount { get; }
}
