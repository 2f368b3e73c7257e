using Google.Protobuf;
using SourceNet.Export;
using SourceNet.Onnx.Protos;

namespace SourceNet.Interop.Tests.Onnx;

/// <summary>
/// A minimal <see cref="IOpGraph"/> of the tests' own, writing ONNX protos directly, so an activation's lowering can be
/// run in ONNX Runtime on its own: one input <c>x</c> of [N, features], one output.
/// </summary>
internal sealed class ProtoOpGraph : IOpGraph
{
    private readonly GraphProto _graph = new() { Name = "activation" };
    private int _next;

    public const string Input = "x";

    public int NodeCount => _graph.Node.Count;

    public IReadOnlyList<string> Operators => _graph.Node.Select(n => n.OpType).ToArray();

    private string Fresh(string hint) => $"{hint}_{_next++}";

    public string Floats(string hint, ReadOnlySpan<float> values, params long[] dims)
    {
        var tensor = new TensorProto { Name = Fresh(hint), DataType = (int)TensorProto.Types.DataType.Float };
        tensor.Dims.AddRange(dims);
        tensor.FloatData.AddRange(values.ToArray());
        _graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    public string Int64s(string hint, params long[] values)
    {
        var tensor = new TensorProto { Name = Fresh(hint), DataType = (int)TensorProto.Types.DataType.Int64 };
        tensor.Dims.Add(values.Length);
        tensor.Int64Data.AddRange(values);
        _graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    public string Node(string op, string hint, IReadOnlyList<string> inputs, params OpAttribute[] attributes)
    {
        string output = Fresh(hint);
        var node = new NodeProto { OpType = op, Name = output + "_node" };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        foreach (OpAttribute attribute in attributes)
        {
            var proto = new AttributeProto { Name = attribute.Name };
            if (attribute.Float is { } f) { proto.Type = AttributeProto.Types.AttributeType.Float; proto.F = f; }
            else if (attribute.Int is { } i) { proto.Type = AttributeProto.Types.AttributeType.Int; proto.I = i; }
            else if (attribute.Ints is { } ints) { proto.Type = AttributeProto.Types.AttributeType.Ints; proto.Ints.AddRange(ints); }
            else throw new NotSupportedException($"Attribute '{attribute.Name}' of this kind is not needed by activations.");
            node.Attribute.Add(proto);
        }
        _graph.Node.Add(node);
        return output;
    }

    public OpValue ToNchw(string hint, OpValue value) => throw new NotSupportedException("Activations are element-wise: no layout change.");

    public OpValue ToFeatures(string hint, OpValue value) => throw new NotSupportedException("Activations are element-wise: no layout change.");

    /// <summary>The model (IR 8, opset 17) computing <paramref name="output"/> from <see cref="Input"/>.</summary>
    public byte[] Model(string output, int features)
    {
        _graph.Input.Add(Value(Input, features));
        if (output == Input)
        {
            // ONNX wants an output produced by a node; the identity's lowering adds none.
            output = Node("Identity", "y", [Input]);
        }
        _graph.Output.Add(Value(output, features));
        var model = new ModelProto { IrVersion = 8, Graph = _graph, ProducerName = "SourceNet tests" };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 17 });
        return model.ToByteArray();
    }

    private static ValueInfoProto Value(string name, int features)
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
