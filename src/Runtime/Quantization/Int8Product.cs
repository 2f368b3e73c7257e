using System;
using SourceNet.Kernels;

namespace SourceNet.Quantization;

/// <summary>
/// What the int8 matrix product and the int8 convolution share: the weights quantised per output channel and packed,
/// the float bias, the activation, and once bound to its input's and output's quantisation, the step from one row
/// of int32 sums to the next layer's bytes (or to the network's float outputs):
/// <c>y = f((sum − z_in · Σ_k W[k, j]) · s_in · s_w[j] + b[j])</c>, then <c>q = clamp(round(y / s_out) + z_out)</c>.
/// </summary>
internal sealed class Int8Product
{
    private readonly float[] _weightScales;
    private readonly InPlaceActivation? _activation;
    private readonly FusedEpilogue? _fused;
    private float[] _scales = Array.Empty<float>();
    private int[] _offsets = Array.Empty<int>();
    private float _inverseOutputScale;
    private int _outputZeroPoint;

    public Int8Product(string layer, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, int inputs, int outputs, LayerActivation activation)
    {
        if (bias.Length != outputs)
            throw new ArgumentException($"Layer '{layer}' has {bias.Length} biases for {outputs} outputs.", nameof(bias));
        _weightScales = new float[outputs];
        sbyte[] q = WeightQuantization.Quantize(layer + ".Weight", weight, inputs, outputs, _weightScales);
        Weights = new Int8Weights(q, inputs, outputs);
        Bias = bias.ToArray();
        _activation = QuantizedActivation.For(activation, layer);
        _fused = QuantizedActivation.Fused(activation);
    }

    /// <summary>The packed int8 weights.</summary>
    public Int8Weights Weights { get; }

    /// <summary>The float bias, one per output.</summary>
    public float[] Bias { get; }

    /// <summary>Each output channel's weight scale.</summary>
    public ReadOnlySpan<float> WeightScales => _weightScales;

    /// <summary>Applies the activation in place (nothing for none): the float forward pass of calibration uses it too.</summary>
    public void Activate(Span<float> values) => _activation?.Invoke(values);

    /// <summary>Folds the input's quantisation into per-output scales and offsets, and keeps the output's (null: the
    /// outputs stay floats, the network's logits).</summary>
    public void Bind(TensorQuantization input, TensorQuantization? output)
    {
        int n = Weights.Columns;
        _scales = new float[n];
        _offsets = new int[n];
        for (int j = 0; j < n; j++)
        {
            _scales[j] = input.Scale * _weightScales[j];
            _offsets[j] = input.ZeroPoint * Weights.ColumnSums[j];
        }
        if (output is { } o)
        {
            _inverseOutputScale = 1f / o.Scale;
            _outputZeroPoint = o.ZeroPoint;
        }
    }

    /// <summary>
    /// <paramref name="rows"/> rows of sums (<paramref name="ldc"/> apart) to the next layer's bytes (rows
    /// <paramref name="outputStride"/> apart): in one pass where the activation gives the same bits at every vector
    /// width (<see cref="Int8Epilogue"/>), else through floats in <paramref name="scratch"/>, the activation and the
    /// rounding each run once over the whole block rather than once per row. Both give the same bytes.
    /// </summary>
    public void ToBytes(int rows, ReadOnlySpan<int> sums, int ldc, Span<float> scratch, Span<byte> output, int outputStride)
    {
        if (_fused is not null)
        {
            _fused(rows, sums, ldc, _offsets, _scales, Bias, _inverseOutputScale, _outputZeroPoint, output, outputStride, true);
            return;
        }
        int n = Weights.Columns;
        Span<float> values = scratch[..(rows * n)];
        ToFloats(rows, sums, ldc, values);
        if (outputStride == n)
        {
            Int8Requantize.Quantize(values, _inverseOutputScale, _outputZeroPoint, output[..(rows * n)]);
            return;
        }
        for (int r = 0; r < rows; r++)
            Int8Requantize.Quantize(values.Slice(r * n, n), _inverseOutputScale, _outputZeroPoint, output.Slice(r * outputStride, n));
    }

    /// <summary><paramref name="rows"/> rows of sums to floats, written row after row (the network's outputs).</summary>
    public void ToFloats(int rows, ReadOnlySpan<int> sums, int ldc, Span<float> output)
    {
        int n = Weights.Columns;
        for (int r = 0; r < rows; r++)
            Int8Requantize.Dequantize(sums.Slice(r * ldc, n), _offsets, _scales, Bias, output.Slice(r * n, n));
        _activation?.Invoke(output[..(rows * n)]);
    }
}
