using System;
using System.Collections.Generic;
using System.Globalization;
using SourceNet.Export;
using SourceNet.Onnx.Protos;
using SourceNet.Quantization;

namespace SourceNet.Onnx;

/// <summary>
/// The ONNX graph of an int8 network in the QDQ form: the float network's operators, with every value the int8
/// network holds as bytes passed through <c>QuantizeLinear</c> → <c>DequantizeLinear</c> (uint8, its scale and zero
/// point), and every product's weight stored as int8 with a scale per output channel behind a <c>DequantizeLinear</c>.
/// ONNX Runtime fuses these into its own int8 kernels; a runtime that does not runs them in floats, with the same
/// rounding points as <see cref="QuantizedNetwork"/>.
/// </summary>
/// <remarks>
/// Everything but <see cref="Weight"/> goes to the float graph unchanged, so the layers lower themselves exactly as for
/// a float export. The weights are quantised here again from the layers' floats, with the scales the int8 network
/// keeps; a layer whose floats no longer give those scales (trained after quantising) is refused.
/// </remarks>
internal sealed class QdqOpGraph : IOpGraph
{
    private readonly OnnxGraphBuilder _graph;
    private readonly QuantizedNetwork _network;
    private QuantizedOperation? _operation;

    public QdqOpGraph(OnnxGraphBuilder graph, QuantizedNetwork network)
    {
        _graph = graph;
        _network = network;
    }

    /// <summary>Makes operation <paramref name="index"/> the one whose layer lowers itself next.</summary>
    public void Begin(int index) => _operation = _network.Graph.Operations[index];

    /// <summary>The value as the int8 network holds it: <paramref name="value"/> quantised with the quantisation of
    /// value <paramref name="index"/> (0: the input, i + 1: operation i's output), and dequantised for the next
    /// float operator.</summary>
    public OpValue Bytes(int index, OpValue value, string hint)
    {
        TensorQuantization q = _network.QuantizationOf(index);
        string scale = _graph.Floats(hint + "_scale", [q.Scale]);
        string zeroPoint = _graph.Initializer(hint + "_zero_point", TensorProto.Types.DataType.Uint8, [(byte)q.ZeroPoint]);
        string quantized = _graph.Node("QuantizeLinear", hint + "_q", [value.Name, scale, zeroPoint]);
        return value with { Name = _graph.Node("DequantizeLinear", hint + "_dq", [quantized, scale, zeroPoint]) };
    }

    /// <summary>Operation <paramref name="index"/>'s output as the int8 network holds it: bytes, unless the operation
    /// hands its input on (it shares the input's bytes) or is the last and writes the network's floats.</summary>
    public OpValue Output(int index, OpValue value, string hint)
    {
        QuantizedOperation[] operations = _network.Graph.Operations;
        if (operations[index].PassesThrough || (index == operations.Length - 1 && operations[index].WritesFloats))
            return value;
        return Bytes(index + 1, value, hint);
    }

    /// <inheritdoc/>
    public string Weight(string hint, ReadOnlySpan<float> values, int outputAxis, params long[] dims)
    {
        QuantizedOperation operation = _operation ?? throw new InvalidOperationException("No operation is being lowered.");
        ReadOnlySpan<float> scales = operation.WeightScales;
        if (scales.IsEmpty || outputAxis < 0 || outputAxis >= dims.Length || dims[outputAxis] != scales.Length)
            throw new InvalidOperationException($"Layer '{operation.LayerName}' lowers a weight of {dims.Length} axes with {(outputAxis >= 0 && outputAxis < dims.Length ? dims[outputAxis] : -1)} output channels; its int8 form has {scales.Length}.");
        long inner = 1;
        for (int axis = outputAxis + 1; axis < dims.Length; axis++)
            inner *= dims[axis];
        int channels = scales.Length;
        var largest = new float[channels];
        var bytes = new byte[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            int channel = (int)(i / inner % channels);
            largest[channel] = Math.Max(largest[channel], Math.Abs(values[i]));
            bytes[i] = unchecked((byte)WeightQuantization.ToInt8(values[i], scales[channel]));
        }
        for (int c = 0; c < channels; c++)
        {
            float expected = WeightQuantization.ScaleFor(largest[c]);
            if (expected != scales[c])
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                    $"Layer '{operation.LayerName}': output channel {c} of the float weights now gives the int8 scale {expected:G9}, the quantised network holds {scales[c]:G9}; the float network changed after it was quantised. Quantise it again, then export."));
        }
        string quantized = _graph.Initializer(hint + "_int8", TensorProto.Types.DataType.Int8, bytes, dims);
        string scale = _graph.Floats(hint + "_scale", scales, channels);
        string zeroPoint = _graph.Initializer(hint + "_zero_point", TensorProto.Types.DataType.Int8, new byte[channels], channels);
        return _graph.Node("DequantizeLinear", hint, [quantized, scale, zeroPoint], OpAttribute.Integer("axis", outputAxis));
    }

    /// <inheritdoc/>
    public string Floats(string hint, ReadOnlySpan<float> values, params long[] dims) => _graph.Floats(hint, values, dims);

    /// <inheritdoc/>
    public string Int64s(string hint, params long[] values) => _graph.Int64s(hint, values);

    /// <inheritdoc/>
    public string Node(string op, string hint, IReadOnlyList<string> inputs, params OpAttribute[] attributes) =>
        _graph.Node(op, hint, inputs, attributes);

    /// <inheritdoc/>
    public OpValue ToNchw(string hint, OpValue value) => _graph.ToNchw(hint, value);

    /// <inheritdoc/>
    public OpValue ToFeatures(string hint, OpValue value) => _graph.ToFeatures(hint, value);
}
