using System.Collections.Generic;
using System.Globalization;
using SourceNet.Export;
using SourceNet.Kernels;
using SourceNet.Quantization;

namespace SourceNet;

/// <summary>How a pooling layer reduces each window.</summary>
public enum Pool2DMode
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
    public Pool2DLayer(string name, Pool2DGeometry geometry, Pool2DMode mode)
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
    public Pool2DMode Mode { get; }

    /// <inheritdoc/>
    protected override string DefaultDescription
    {
        get
        {
            Pool2DGeometry g = Geometry;
            string stride = g.StrideY == g.StrideX ? g.StrideY.ToString(CultureInfo.InvariantCulture) : $"{g.StrideY}x{g.StrideX}";
            string padding = g.PadTop + g.PadLeft + g.PadBottom + g.PadRight == 0 ? "valid" : "same";
            return string.Create(CultureInfo.InvariantCulture,
                $"{(Mode == Pool2DMode.Max ? "MaxPool2D" : "AvgPool2D")} {g.PoolHeight}x{g.PoolWidth}, stride {stride}, {padding}");
        }
    }

    /// <summary><c>MaxPool</c> or <c>AveragePool</c> (padding not counted) on NCHW, with the geometry's explicit pads.</summary>
    public override OpValue Lower(IOpGraph graph, IReadOnlyList<OpValue> inputs)
    {
        Pool2DGeometry g = Geometry;
        OpValue input = graph.ToNchw(Name, SingleInput(inputs));
        var attributes = new List<OpAttribute>
        {
            OpAttribute.Of("kernel_shape", g.PoolHeight, g.PoolWidth),
            OpAttribute.Of("strides", g.StrideY, g.StrideX),
            OpAttribute.Of("pads", g.PadTop, g.PadLeft, g.PadBottom, g.PadRight),
        };
        if (Mode == Pool2DMode.Average)
            attributes.Add(OpAttribute.Integer("count_include_pad", 0)); // SourceNet averages over the window's inside only
        string output = graph.Node(Mode == Pool2DMode.Max ? "MaxPool" : "AveragePool", Name, new[] { input.Name }, attributes.ToArray());
        return new OpValue(output, OpLayout.Nchw, OutputShape);
    }

    /// <summary>Pooling on bytes, keeping the input's quantisation.</summary>
    public override QuantizedOperation Quantize() => QuantizedOperation.Pooling(Name, Geometry, Mode);
}
