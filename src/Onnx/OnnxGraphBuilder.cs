using System;
using System.Collections.Generic;
using Google.Protobuf;
using SourceNet.Onnx.Protos;

namespace SourceNet.Onnx;

/// <summary>Builds a <see cref="GraphProto"/> node by node, naming intermediate values uniquely.</summary>
internal sealed class OnnxGraphBuilder
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

    /// <summary>Adds a node and returns its (single) output's name.</summary>
    public string Node(string opType, string outputHint, IEnumerable<string> inputs, params AttributeProto[] attributes)
    {
        string output = Name(outputHint);
        var node = new NodeProto { OpType = opType, Name = output + "_" + opType };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        node.Attribute.AddRange(attributes);
        Graph.Node.Add(node);
        return output;
    }

    /// <summary>A float initializer of shape <paramref name="dims"/>, little-endian in <c>raw_data</c>.</summary>
    public string Floats(string hint, ReadOnlySpan<float> values, params long[] dims)
    {
        var bytes = new byte[values.Length * 4];
        for (int i = 0; i < values.Length; i++)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(4 * i), values[i]);
        }
        return Initializer(hint, TensorProto.Types.DataType.Float, bytes, dims);
    }

    /// <summary>An int64 vector initializer, such as a Reshape's target shape.</summary>
    public string Int64s(string hint, params long[] values)
    {
        var bytes = new byte[values.Length * 8];
        for (int i = 0; i < values.Length; i++)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(8 * i), values[i]);
        }
        return Initializer(hint, TensorProto.Types.DataType.Int64, bytes, values.Length);
    }

    private string Initializer(string hint, TensorProto.Types.DataType type, byte[] bytes, params long[] dims)
    {
        string name = Name(hint);
        var tensor = new TensorProto { Name = name, DataType = (int)type, RawData = ByteString.CopyFrom(bytes) };
        tensor.Dims.AddRange(dims);
        Graph.Initializer.Add(tensor);
        return name;
    }

    public static AttributeProto Ints(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    public static AttributeProto Int(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    /// <summary>A float tensor value [batch, <paramref name="features"/>] with a symbolic batch axis.</summary>
    public static ValueInfoProto FeatureValue(string name, int features)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "batch" });
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = features });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
        };
    }
}
