using System;
using SourceNet.Kernels;

namespace SourceNet.Quantization;

/// <summary>A fully connected layer in int8: the batch's input bytes times the packed weights, then the epilogue of <see cref="Int8Product"/>.</summary>
internal sealed class QuantizedMatrixProduct : QuantizedOperation
{
    private readonly Int8Product _product;
    private readonly float[] _weight;
    private bool _sparse;

    public QuantizedMatrixProduct(string layer, int inputs, int units, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, LayerActivation activation)
        : base(layer, LayerShape.Features(inputs), LayerShape.Features(units))
    {
        _product = new Int8Product(layer, weight, bias, inputs, units, activation);
        _weight = weight.ToArray();
    }

    /// <summary>The quantised product (tests read its weights and scales).</summary>
    internal Int8Product Product => _product;

    internal override bool WritesFloats => true;

    internal override ReadOnlySpan<float> WeightScales => _product.WeightScales;

    internal override long MultiplyAddsPerSample => (long)InputShape.Elements * OutputShape.Elements;

    internal override ScratchSize Scratch(int maxBatch) =>
        new(maxBatch * _product.Weights.PaddedColumns, 0, maxBatch * _product.Weights.Columns);

    internal override void ForwardFloat(int batch, ReadOnlySpan<float> input, Span<float> output)
    {
        int k = InputShape.Elements, n = OutputShape.Elements;
        Gemm.MatMulBias<IdentityActivation>(batch, n, k, input[..(batch * k)], _weight, _product.Bias, output[..(batch * n)]);
        _product.Activate(output[..(batch * n)]);
    }

    internal override void Bind(TensorQuantization input, TensorQuantization? output, bool sparseInput)
    {
        _sparse = sparseInput;
        _product.Bind(input, output);
    }

    internal override (long Skippable, long Steps) CountSkippable(int batch, ReadOnlySpan<byte> input, int inputStride, QuantizedScratch scratch) =>
        Int8Gemm.CountSkippable(batch, input, inputStride, _product.Weights.Groups);

    internal override void Run(int batch, ReadOnlySpan<byte> input, int inputStride, Span<byte> output, int outputStride, QuantizedScratch scratch)
    {
        int ldc = Multiply(batch, input, inputStride, scratch);
        _product.ToBytes(batch, scratch.Sums, ldc, scratch.Row, output, outputStride);
    }

    internal override void RunToFloats(int batch, ReadOnlySpan<byte> input, int inputStride, Span<float> output, QuantizedScratch scratch)
    {
        int ldc = Multiply(batch, input, inputStride, scratch);
        _product.ToFloats(batch, scratch.Sums, ldc, output);
    }

    private int Multiply(int batch, ReadOnlySpan<byte> input, int inputStride, QuantizedScratch scratch)
    {
        int ldc = _product.Weights.PaddedColumns;
        Int8Gemm.Multiply(batch, input, inputStride, _product.Weights, scratch.Sums, ldc, _sparse);
        return ldc;
    }
}
