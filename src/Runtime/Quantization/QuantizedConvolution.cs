using System;
using SourceNet.Kernels;

namespace SourceNet.Quantization;

/// <summary>
/// A 2-D convolution in int8, one sample at a time: the sample's patches as rows of bytes (padding reads the input's
/// zero point, the byte for 0.0), one int8 product with the packed HWIO filters, then the epilogue of
/// <see cref="Int8Product"/> writing the channels-last output.
/// </summary>
internal sealed class QuantizedConvolution : QuantizedOperation
{
    private readonly Conv2DGeometry _geometry;
    private readonly Int8Product _product;
    private readonly float[] _weight;
    private byte _inputZeroPoint;
    private bool _sparse;
    private float[] _floatWorkspace = Array.Empty<float>();

    public QuantizedConvolution(string layer, Conv2DGeometry geometry, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, LayerActivation activation)
        : base(layer,
            LayerShape.Image(geometry.InputHeight, geometry.InputWidth, geometry.InputChannels),
            LayerShape.Image(geometry.OutputHeight, geometry.OutputWidth, geometry.Filters))
    {
        _geometry = geometry;
        _product = new Int8Product(layer, weight, bias, geometry.PatchLength, geometry.Filters, activation);
        _weight = weight.ToArray();
    }

    /// <summary>The convolution's sizes (the benchmark's profile times its steps).</summary>
    internal Conv2DGeometry Geometry => _geometry;

    /// <summary>The quantised product.</summary>
    internal Int8Product Product => _product;

    internal override bool WritesFloats => true;

    internal override ReadOnlySpan<float> WeightScales => _product.WeightScales;

    internal override long MultiplyAddsPerSample => _geometry.MultiplyAddsPerSample;

    internal override ScratchSize Scratch(int maxBatch) => new(
        _geometry.OutputPositions * _product.Weights.PaddedColumns,
        _geometry.OutputPositions * _product.Weights.PaddedDepth + Int8Patches.PaddedLength(_geometry),
        _geometry.OutputPositions * _geometry.Filters);

    internal override void ForwardFloat(int batch, ReadOnlySpan<float> input, Span<float> output)
    {
        Span<float> result = output[..(batch * _geometry.OutputElements)];
        Int8FloatPasses.Convolution(_geometry, batch, input[..(batch * _geometry.InputElements)], _weight, _product.Bias, result, ref _floatWorkspace);
        _product.Activate(result);
    }

    internal override void Bind(TensorQuantization input, TensorQuantization? output, bool sparseInput)
    {
        _sparse = sparseInput;
        _inputZeroPoint = (byte)input.ZeroPoint;
        _product.Bind(input, output);
    }

    internal override (long Skippable, long Steps) CountSkippable(int batch, ReadOnlySpan<byte> input, int inputStride, QuantizedScratch scratch)
    {
        long skippable = 0, steps = 0;
        for (int b = 0; b < batch; b++)
        {
            Gather(input.Slice(b * inputStride, _geometry.InputElements), scratch);
            (long s, long t) = Int8Gemm.CountSkippable(_geometry.OutputPositions, scratch.Patches, _product.Weights.PaddedDepth, _product.Weights.Groups);
            skippable += s;
            steps += t;
        }
        return (skippable, steps);
    }

    internal override void Run(int batch, ReadOnlySpan<byte> input, int inputStride, Span<byte> output, int outputStride, QuantizedScratch scratch)
    {
        int ldc = _product.Weights.PaddedColumns;
        for (int b = 0; b < batch; b++)
        {
            Multiply(input.Slice(b * inputStride, _geometry.InputElements), scratch);
            // Positions are rows of the product and of the channels-last output alike.
            _product.ToBytes(_geometry.OutputPositions, scratch.Sums, ldc, scratch.Row, output.Slice(b * outputStride, _geometry.OutputElements), _geometry.Filters);
        }
    }

    internal override void RunToFloats(int batch, ReadOnlySpan<byte> input, int inputStride, Span<float> output, QuantizedScratch scratch)
    {
        int ldc = _product.Weights.PaddedColumns;
        for (int b = 0; b < batch; b++)
        {
            Multiply(input.Slice(b * inputStride, _geometry.InputElements), scratch);
            _product.ToFloats(_geometry.OutputPositions, scratch.Sums, ldc, output.Slice(b * _geometry.OutputElements, _geometry.OutputElements));
        }
    }

    private void Multiply(ReadOnlySpan<byte> sample, QuantizedScratch scratch)
    {
        Gather(sample, scratch);
        Int8Gemm.Multiply(_geometry.OutputPositions, scratch.Patches, _product.Weights.PaddedDepth, _product.Weights, scratch.Sums, _product.Weights.PaddedColumns, _sparse);
    }

    private void Gather(ReadOnlySpan<byte> sample, QuantizedScratch scratch)
    {
        int ldp = _product.Weights.PaddedDepth, patchBytes = _geometry.OutputPositions * ldp;
        // The padded copy of the image lies past the patches in the same scratch.
        Int8Patches.GatherFromPadded(_geometry, sample, _inputZeroPoint, scratch.Patches.AsSpan(patchBytes), scratch.Patches.AsSpan(0, patchBytes), ldp);
    }
}
