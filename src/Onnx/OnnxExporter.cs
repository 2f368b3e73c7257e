using System;
using System.Collections.Generic;
using System.IO;
using Google.Protobuf;
using SourceNet.IO;
using SourceNet.Export;
using SourceNet.Onnx.Protos;

namespace SourceNet.Onnx;

/// <summary>
/// Writes a SourceNet network as an ONNX model (IR version 8, opset 17) that ONNX Runtime, PyTorch's
/// <c>onnx2torch</c>, TensorRT and friends run: the same input <c>input</c> [N, InputSize] (images flattened
/// channels-last, exactly as SourceNet takes them) and the same output <c>logits</c> [N, OutputSize].
/// </summary>
/// <remarks>
/// The exporter knows no layer kind: it walks <see cref="INetwork.Layers"/> in order, gives each layer the values its
/// <see cref="Layer.Inputs"/> name (the previous layer's by default), and lets the layer lower itself
/// (<see cref="Layer.Lower"/>) into an <see cref="IOpGraph"/>. Images travel through the graph as NCHW, ONNX's layout;
/// layers insert the <c>Transpose</c>s at the edges through <see cref="IOpGraph.ToNchw"/> and <see cref="IOpGraph.ToFeatures"/>.
/// </remarks>
public static class OnnxExporter
{
    /// <summary>The ONNX IR version written.</summary>
    public const int IrVersion = 8;

    /// <summary>The default-domain opset the model imports.</summary>
    public const int Opset = 17;

    /// <summary>The graph's input name.</summary>
    public const string InputName = "input";

    /// <summary>The graph's output name.</summary>
    public const string OutputName = "logits";

    /// <summary>Writes <paramref name="network"/> to <paramref name="path"/> as an ONNX model, atomically.</summary>
    /// <exception cref="NotSupportedException">A layer cannot be expressed in ONNX (a custom activation, an unknown
    /// layer kind); the message names the layer. Nothing is written.</exception>
    public static void Export(INetwork network, string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ModelProto model = Build(network);
        AtomicFile.Write(path, stream => model.WriteTo(stream));
    }

    /// <summary>Writes <paramref name="network"/> to <paramref name="stream"/> as an ONNX model.</summary>
    /// <exception cref="NotSupportedException">A layer cannot be expressed in ONNX; the message names the layer.</exception>
    public static void Export(INetwork network, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        Build(network).WriteTo(stream);
    }

    /// <summary>The model as an in-memory message (what <see cref="Export(INetwork, Stream)"/> writes).</summary>
    internal static ModelProto Build(INetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        IReadOnlyList<Layer> layers = network.Layers;
        var graph = new OnnxGraphBuilder();
        graph.Graph.Name = network.GetType().Name;
        graph.Reserve(InputName);
        // Token ids go in as int32 [N, T], the indices Gather takes; every other input as floats [N, features].
        bool tokens = layers.Count > 0 && layers[0].InputShape.ElementType == ShapeElementType.Int32;
        graph.Graph.Input.Add(OnnxGraphBuilder.FeatureValue(InputName, network.InputSize,
            tokens ? TensorProto.Types.DataType.Int32 : TensorProto.Types.DataType.Float));
        var input = new OpValue(InputName, OpLayout.Features, tokens ? layers[0].InputShape : LayerShape.Features(network.InputSize));

        var values = new Dictionary<string, OpValue>(StringComparer.Ordinal) { [Layer.NetworkInput] = input };
        OpValue value = input;
        foreach (Layer layer in layers)
        {
            OpValue[] inputs = InputsOf(layer, values, value);
            try
            {
                value = layer.Lower(graph, inputs);
            }
            catch (NotSupportedException e) when (!e.Message.Contains($"'{layer.Name}'", StringComparison.Ordinal))
            {
                // An activation's refusal names the activation; say which layer uses it.
                throw new NotSupportedException($"Layer '{layer.Name}': {e.Message}", e);
            }
            if (!values.TryAdd(layer.Name, value))
                throw new InvalidOperationException($"Two layers are named '{layer.Name}' (or a layer is named '{Layer.NetworkInput}', the network's input); each value needs its own name.");
        }

        value = graph.ToFeatures("Output", value);
        if (value.Shape.Elements != network.OutputSize)
            throw new InvalidOperationException($"The last layer gives {value.Shape.Elements} values per sample ({value.Shape}); the network's OutputSize is {network.OutputSize}.");
        graph.Node("Identity", OutputName, [value.Name]);
        graph.Graph.Output.Add(OnnxGraphBuilder.FeatureValue(OutputName, network.OutputSize));

        var model = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = "SourceNet",
            ProducerVersion = typeof(INetwork).Assembly.GetName().Version?.ToString() ?? "",
            Graph = graph.Graph,
            DocString = $"{network.GetType().Name}: input [N, {network.InputSize}] (images flattened channels-last), output logits [N, {network.OutputSize}].",
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        return model;
    }

    /// <summary>
    /// The values that feed <paramref name="layer"/>: those its <see cref="Layer.Inputs"/> name, or the previous value.
    /// A flat [N, features] value is read with the shape the layer expects (the network's input is flat; an image
    /// stored channels-last is the same bytes), which must hold as many values.
    /// </summary>
    private static OpValue[] InputsOf(Layer layer, Dictionary<string, OpValue> values, OpValue previous)
    {
        IReadOnlyList<LayerShape> shapes = layer.InputShapes;
        IReadOnlyList<string> names = layer.Inputs;
        var inputs = new OpValue[names.Count == 0 ? 1 : names.Count];
        for (int i = 0; i < inputs.Length; i++)
        {
            if (names.Count == 0)
            {
                inputs[i] = previous;
            }
            else if (!values.TryGetValue(names[i], out inputs[i]))
            {
                throw new InvalidOperationException($"Layer '{layer.Name}' reads '{names[i]}', which is neither the network's input nor a layer before it.");
            }
            if (i < shapes.Count && inputs[i].Layout == OpLayout.Features && inputs[i].Shape != shapes[i])
            {
                if (inputs[i].Shape.Elements != shapes[i].Elements)
                    throw new InvalidOperationException($"Layer '{layer.Name}' takes {shapes[i]} as input {i}; '{(names.Count == 0 ? "the value before it" : names[i])}' gives {inputs[i].Shape}.");
                inputs[i] = inputs[i] with { Shape = shapes[i] };
            }
        }
        return inputs;
    }
}
