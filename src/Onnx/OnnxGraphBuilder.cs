using System;
using System.Collections.Generic;
using Google.Protobuf;
using SourceNet.Export;
using SourceNet.Onnx.Protos;

namespace SourceNet.Onnx;

/// <summary>Builds a <see cref="GraphProto"/> node by node, naming intermediate values uniquely: the ONNX form of <see cref="IOpGraph"/>.</summary>
internal sealed class OnnxGraphBuilder : IOpGraph
{
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);

    public GraphProto Graph { get; } = new();

    /// <summary>A fresh value name from <paramref name="hint"/>.</summary>
    public string Name(string hint)
    {
        string name = hint;
        for (int i = 1; !_names.Add(name); i++)
        {
            name = $"{hint}_{i}";
        }
        return name;
    }

    /// <summary>Reserves <paramref name="name"/> (a graph input) so no node output takes it.</summary>
    public void Reserve(string name) => _names.Add(name);

    /// <inheritdoc/>
    public string Node(string op, string hint, IReadOnlyList<string> inputs, params OpAttribute[] attributes)
    {
        ArgumentException.ThrowIfNullOrEmpty(op);
        ArgumentNullException.ThrowIfNull(inputs);
        string output = Name(hint);
        var node = new NodeProto { OpType = op, Name = output + "_" + op };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        foreach (OpAttribute attribute in attributes)
        {
            node.Attribute.Add(Attribute(attribute));
        }
        Graph.Node.Add(node);
        return output;
    }

    /// <inheritdoc/>
    public string Floats(string hint, ReadOnlySpan<float> values, params long[] dims)
    {
        var bytes = new byte[values.Length * 4];
        for (int i = 0; i < values.Length; i++)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(4 * i), values[i]);
        }
        return Initializer(hint, TensorProto.Types.DataType.Float, bytes, dims);
    }

    /// <inheritdoc/>
    public string Int64s(string hint, params long[] values)
    {
        var bytes = new byte[values.Length * 8];
        for (int i = 0; i < values.Length; i++)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(8 * i), values[i]);
        }
        return Initializer(hint, TensorProto.Types.DataType.Int64, bytes, values.Length);
    }

    /// <summary>[N, H·W·C] channels-last → NCHW, ONNX's image layout.</summary>
    public OpValue ToNchw(string hint, OpValue value)
    {
        if (value.Layout == OpLayout.Nchw)
            return value;
        LayerShape shape = value.Shape;
        if (!shape.IsImage)
            throw new NotSupportedException($"Layer '{hint}' takes an image (H, W, C); its input is {shape}.");
        string nhwc = Node("Reshape", hint + "_nhwc", [value.Name, Int64s(hint + "_nhwc_shape", -1, shape.Height, shape.Width, shape.Channels)]);
        string nchw = Node("Transpose", hint + "_to_nchw", [nhwc], OpAttribute.Of("perm", 0, 3, 1, 2));
        return new OpValue(nchw, OpLayout.Nchw, shape);
    }

    /// <summary>NCHW → [N, H·W·C] channels-last: SourceNet's order, the one a weight reading a flattened image is stored for.</summary>
    public OpValue ToFeatures(string hint, OpValue value)
    {
        if (value.Layout == OpLayout.Features)
            return value;
        string nhwc = Node("Transpose", hint + "_to_nhwc", [value.Name], OpAttribute.Of("perm", 0, 2, 3, 1));
        string flat = Node("Reshape", hint + "_flat", [nhwc, Int64s(hint + "_flat_shape", -1, value.Shape.Elements)]);
        return new OpValue(flat, OpLayout.Features, value.Shape);
    }

    /// <summary>Adds a constant of <paramref name="type"/> from its little-endian bytes and returns its name.</summary>
    public string Initializer(string hint, TensorProto.Types.DataType type, byte[] bytes, params long[] dims)
    {
        string name = Name(hint);
        var tensor = new TensorProto { Name = name, DataType = (int)type, RawData = ByteString.CopyFrom(bytes) };
        tensor.Dims.AddRange(dims);
        Graph.Initializer.Add(tensor);
        return name;
    }

    private static AttributeProto Attribute(OpAttribute attribute)
    {
        var proto = new AttributeProto { Name = attribute.Name };
        if (attribute.Ints is { } ints)
        {
            proto.Type = AttributeProto.Types.AttributeType.Ints;
            proto.Ints.AddRange(ints);
        }
        else if (attribute.Int is long value)
        {
            proto.Type = AttributeProto.Types.AttributeType.Int;
            proto.I = value;
        }
        else if (attribute.Float is float real)
        {
            proto.Type = AttributeProto.Types.AttributeType.Float;
            proto.F = real;
        }
        else if (attribute.Text is string text)
        {
            proto.Type = AttributeProto.Types.AttributeType.String;
            proto.S = ByteString.CopyFromUtf8(text);
        }
        else
        {
            throw new ArgumentException($"The attribute '{attribute.Name}' has no value.", nameof(attribute));
        }
        return proto;
    }

    /// <summary>A float image value [batch, C, H, W] with a symbolic batch axis.</summary>
    public static ValueInfoProto ImageValue(string name, LayerShape image)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "batch" });
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = image.Channels });
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = image.Height });
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = image.Width });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
        };
    }

    /// <summary>A float tensor value [batch, <paramref name="features"/>] with a symbolic batch axis.</summary>
    public static ValueInfoProto FeatureValue(string name, int features, TensorProto.Types.DataType type = TensorProto.Types.DataType.Float)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "batch" });
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = features });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } },
        };
    }
}
