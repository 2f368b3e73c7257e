using System;
using SourceNet.Kernels;

namespace SourceNet.Quantization;

/// <summary>
/// A layer's part of int8 inference, as <see cref="Layer.Quantize"/> makes it: its weights quantised per output
/// channel, and the code that runs it on bytes. <see cref="QuantizedNetwork"/> chains these along the layers'
/// <see cref="Layer.Inputs"/>, calibrates them and runs them; it knows no layer kind.
/// </summary>
public abstract class QuantizedOperation
{
    private protected QuantizedOperation(string layer, LayerShape inputShape, LayerShape outputShape)
    {
        ArgumentException.ThrowIfNullOrEmpty(layer);
        LayerName = layer;
        InputShape = inputShape;
        OutputShape = outputShape;
    }

    /// <summary>The name of the layer this operation runs.</summary>
    public string LayerName { get; }

    /// <summary>The shape of one sample entering the operation.</summary>
    public LayerShape InputShape { get; }

    /// <summary>The shape of one sample leaving it.</summary>
    public LayerShape OutputShape { get; }

    /// <summary>Whether the output is the input itself (a reshape, inference-time dropout): it shares the buffer and
    /// the quantisation, and nothing runs.</summary>
    internal virtual bool PassesThrough => false;

    /// <summary>Whether the output gets a quantisation of its own from calibration (a product); false when it keeps its
    /// input's (max pooling picks input bytes, so the input's scale is exact for it).</summary>
    internal virtual bool NeedsCalibration => true;

    /// <summary>Whether the operation can write the network's float outputs directly.</summary>
    internal virtual bool WritesFloats => false;

    /// <summary>The weight scale of each output channel, for a product (the ONNX exporter writes the same int8 weights);
    /// empty when the operation has no weights.</summary>
    internal virtual ReadOnlySpan<float> WeightScales => default;

    /// <summary>About how many multiply-adds one sample costs.</summary>
    internal virtual long MultiplyAddsPerSample => 0;

    /// <summary>The scratch one thread needs for batches of <paramref name="maxBatch"/>.</summary>
    internal virtual ScratchSize Scratch(int maxBatch) => default;

    /// <summary>The float computation, as the float network does it: calibration runs it to see each tensor's values.</summary>
    internal abstract void ForwardFloat(int batch, ReadOnlySpan<float> input, Span<float> output);

    /// <summary>Fixes the input's and output's quantisation (<paramref name="output"/> null: floats out);
    /// <paramref name="sparseInput"/>: calibration found the input mostly zero bytes.</summary>
    internal virtual void Bind(TensorQuantization input, TensorQuantization? output, bool sparseInput)
    {
    }

    /// <summary>For a product: of the steps its zero-skipping tiles would take over these samples, how many they would
    /// skip (<see cref="SourceNet.Kernels.Int8Gemm.CountSkippable"/>); (0, 0) for other operations.</summary>
    internal virtual (long Skippable, long Steps) CountSkippable(int batch, ReadOnlySpan<byte> input, int inputStride, QuantizedScratch scratch) => default;

    /// <summary>Runs <paramref name="batch"/> samples, bytes to bytes; sample b starts at b · stride in each buffer.</summary>
    internal abstract void Run(int batch, ReadOnlySpan<byte> input, int inputStride, Span<byte> output, int outputStride, QuantizedScratch scratch);

    /// <summary>Runs <paramref name="batch"/> samples, bytes to floats (the last layer); <see cref="WritesFloats"/> says whether it can.</summary>
    internal virtual void RunToFloats(int batch, ReadOnlySpan<byte> input, int inputStride, Span<float> output, QuantizedScratch scratch) =>
        throw new NotSupportedException($"Layer '{LayerName}' does not write floats.");

    /// <summary>A fully connected layer's operation: <c>y = f(x · W + b)</c>, W [inputs, units].</summary>
    internal static QuantizedOperation MatrixProduct(string layer, int inputs, int units, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, LayerActivation activation) =>
        new QuantizedMatrixProduct(layer, inputs, units, weight, bias, activation);

    /// <summary>A 2-D convolution's operation over channels-last images, weights HWIO.</summary>
    internal static QuantizedOperation Convolution(string layer, Conv2DGeometry geometry, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, LayerActivation activation) =>
        new QuantizedConvolution(layer, geometry, weight, bias, activation);

    /// <summary>A 2-D max or average pooling's operation.</summary>
    internal static QuantizedOperation Pooling(string layer, Pool2DGeometry geometry, Pool2DMode mode) =>
        new QuantizedPooling(layer, geometry, mode);

    /// <summary>An operation that hands its input on unchanged (a reshape, or dropout at inference).</summary>
    internal static QuantizedOperation PassThrough(string layer, LayerShape inputShape, LayerShape outputShape) =>
        new QuantizedPassThrough(layer, inputShape, outputShape);

    /// <inheritdoc/>
    public override string ToString() => $"{LayerName}: {GetType().Name} {InputShape} -> {OutputShape}";
}

/// <summary>Hands the input on: no data moves, the buffer and the quantisation are shared.</summary>
internal sealed class QuantizedPassThrough : QuantizedOperation
{
    public QuantizedPassThrough(string layer, LayerShape inputShape, LayerShape outputShape)
        : base(layer, inputShape, outputShape)
    {
        if (inputShape.Elements != outputShape.Elements)
            throw new ArgumentException($"Layer '{layer}' passes {inputShape} on as {outputShape}: the sizes differ.");
    }

    internal override bool PassesThrough => true;

    internal override bool NeedsCalibration => false;

    internal override void ForwardFloat(int batch, ReadOnlySpan<float> input, Span<float> output) =>
        input[..(batch * InputShape.Elements)].CopyTo(output);

    internal override void Run(int batch, ReadOnlySpan<byte> input, int inputStride, Span<byte> output, int outputStride, QuantizedScratch scratch)
    {
        for (int b = 0; b < batch; b++)
            input.Slice(b * inputStride, InputShape.Elements).CopyTo(output.Slice(b * outputStride));
    }
}
