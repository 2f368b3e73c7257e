using System;
using SourceNet.Kernels;

namespace SourceNet.Quantization;

/// <summary>
/// 2-D pooling on bytes, keeping the input's quantisation: the largest byte is the largest value (the scale is
/// positive), so max pooling is exact; average pooling rounds the mean byte half up.
/// </summary>
internal sealed class QuantizedPooling : QuantizedOperation
{
    private readonly Pool2DGeometry _geometry;
    private readonly Pool2DMode _mode;
    private int[] _argmax = Array.Empty<int>();

    public QuantizedPooling(string layer, Pool2DGeometry geometry, Pool2DMode mode)
        : base(layer,
            LayerShape.Image(geometry.InputHeight, geometry.InputWidth, geometry.Channels),
            LayerShape.Image(geometry.OutputHeight, geometry.OutputWidth, geometry.Channels))
    {
        _geometry = geometry;
        _mode = mode;
    }

    internal override bool NeedsCalibration => false;

    internal override void ForwardFloat(int batch, ReadOnlySpan<float> input, Span<float> output)
    {
        Pool2DGeometry g = _geometry;
        ReadOnlySpan<float> x = input[..(batch * g.InputElements)];
        Span<float> y = output[..(batch * g.OutputElements)];
        Int8FloatPasses.Pooling(g, _mode, batch, x, y, ref _argmax);
    }

    internal override void Run(int batch, ReadOnlySpan<byte> input, int inputStride, Span<byte> output, int outputStride, QuantizedScratch scratch)
    {
        for (int b = 0; b < batch; b++)
        {
            ReadOnlySpan<byte> x = input.Slice(b * inputStride, _geometry.InputElements);
            Span<byte> y = output.Slice(b * outputStride, _geometry.OutputElements);
            if (_mode == Pool2DMode.Max)
                Int8Pooling.Max(_geometry, x, y);
            else
                Int8Pooling.Average(_geometry, x, y);
        }
    }
}
