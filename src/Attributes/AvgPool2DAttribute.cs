using System;

namespace SourceNet;

/// <summary>
/// 2-D average pooling over a channels-last image: the mean of each window's values inside the image (padding is not counted), channel by channel.
/// Put it on a <c>public partial Pool2DLayer Name { get; }</c> property. It has no parameters.
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
public sealed class AvgPool2DAttribute : LayerAttribute
{
    /// <summary>The default of <see cref="Stride"/>: 0, which means the pool size (non-overlapping windows, as in Keras).</summary>
    public const int DefaultStride = 0;

    /// <summary>Square poolSize x poolSize windows.</summary>
    public AvgPool2DAttribute(int poolSize)
        : this(poolSize, poolSize)
    {
    }

    /// <summary>poolHeight x poolWidth windows.</summary>
    public AvgPool2DAttribute(int poolHeight, int poolWidth)
    {
        PoolHeight = poolHeight;
        PoolWidth = poolWidth;
    }

    /// <summary>Rows of each window.</summary>
    public int PoolHeight { get; }

    /// <summary>Columns of each window.</summary>
    public int PoolWidth { get; }

    /// <summary>Step between two windows along both axes; 0 (the default) uses the window's own height and width.</summary>
    public int Stride { get; set; } = DefaultStride;

    /// <summary>The step between two windows down the image; 0 (the default) uses <see cref="Stride"/> (or the window's height when that is 0 too).</summary>
    public int StrideY { get; set; }

    /// <summary>The step between two windows across the image; 0 (the default) uses <see cref="Stride"/> (or the window's width when that is 0 too).</summary>
    public int StrideX { get; set; }

    /// <summary><see cref="SourceNet.Padding.Valid"/> (the default) or <see cref="SourceNet.Padding.Same"/>.</summary>
    public Padding Padding { get; set; }
}
