using SourceNet.Kernels;

namespace SourceNet;

/// <summary>How a pooling layer reduces each window.</summary>
public enum PoolingMode
{
    /// <summary>The window's largest value (its position is kept for the backward pass).</summary>
    Max,

    /// <summary>The mean of the window's values inside the input (padding is not counted).</summary>
    Average,
}

/// <summary>A 2-D max or average pooling layer over channels-last images. It has no parameters.</summary>
public sealed class Pool2DLayer : Layer
{
    /// <summary>Creates the layer.</summary>
    public Pool2DLayer(string name, Pool2DGeometry geometry, PoolingMode mode)
        : base(name,
            LayerShape.Image(geometry.InputHeight, geometry.InputWidth, geometry.Channels),
            LayerShape.Image(geometry.OutputHeight, geometry.OutputWidth, geometry.Channels))
    {
        Geometry = geometry;
        Mode = mode;
    }

    /// <summary>Window, strides and padding.</summary>
    public Pool2DGeometry Geometry { get; }

    /// <summary>Max or average.</summary>
    public PoolingMode Mode { get; }
}
