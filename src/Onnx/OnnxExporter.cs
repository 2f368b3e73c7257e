using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.IO;
using Google.Protobuf;
using SourceNet.IO;
using SourceNet.Export;
using SourceNet.Onnx.Protos;

namespace SourceNet.Onnx;

/// <summary>
/// Writes a SourceNet network as an ONNX model (IR version 8, opset 17) that ONNX Runtime, PyTorch's
/// <c>onnx2torch</c>, TensorRT and friends run: the input <c>input</c> [N, InputSize] (images flattened
/// channels-last, exactly as SourceNet takes them) or, with <see cref="OnnxInputLayout.Nchw"/>, [N, C, H, W]; the output
/// <c>logits</c> [N, OutputSize]. Weights carry their safetensors (<c>state_dict</c>) names, shapes and values.
/// </summary>
/// <remarks>
/// The exporter knows no layer kind: it walks <see cref="INetwork.Layers"/> in order, gives each layer the values its
/// <see cref="Layer.Inputs"/> name (the previous layer's by default), and lets the layer lower itself
/// (<see cref="Layer.Lower"/>) into an <see cref="IOpGraph"/>. Images travel through the graph as NCHW, ONNX's layout;
/// layers insert the <c>Transpose</c>s at the edges through <see cref="IOpGraph.ToNchw"/> and <see cref="IOpGraph.ToFeatures"/>.
/// <para>
/// A <see cref="Quantization.QuantizedNetwork"/> is written in ONNX's QDQ form: the same operators, every value the int8
/// network keeps as bytes passed through <c>QuantizeLinear</c>/<c>DequantizeLinear</c> with its calibrated scale and
/// zero point, and every product's weight stored as int8 with a scale per output channel. ONNX Runtime runs these on
/// its int8 kernels.
/// </para>
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

    /// <summary>Writes <paramref name="network"/> to <paramref name="path"/> as an ONNX model, atomically. The path comes
    /// first, as in <c>SafeTensors.Save</c> and <c>Checkpoint.Save</c>.</summary>
    /// <param name="path">The file to write; replaced whole or left as it was.</param>
    /// <param name="network">The network to export.</param>
    /// <param name="options">Model version and input layout; null for the defaults.</param>
    /// <exception cref="NotSupportedException">A layer cannot be expressed in ONNX (a custom activation, an unknown
    /// layer kind); the message names the layer. Nothing is written.</exception>
    /// <exception cref="ArgumentException"><see cref="OnnxInputLayout.Nchw"/> was asked for a network whose input is not an image.</exception>
    /// <exception cref="InvalidOperationException">An int8 network's float source was trained after it was quantised
    /// (its weights no longer give the int8 scales).</exception>
    public static void Export(string path, INetwork network, OnnxExportOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ModelProto model = Build(network, options ?? new OnnxExportOptions());
        AtomicFile.Write(path, stream => model.WriteTo(stream));
    }

    /// <summary>Writes <paramref name="network"/> to <paramref name="stream"/> as an ONNX model.</summary>
    /// <param name="stream">Where the model's bytes go.</param>
    /// <param name="network">The network to export.</param>
    /// <param name="options">Model version and input layout; null for the defaults.</param>
    /// <exception cref="NotSupportedException">A layer cannot be expressed in ONNX; the message names the layer.</exception>
    /// <exception cref="ArgumentException"><see cref="OnnxInputLayout.Nchw"/> was asked for a network whose input is not an image.</exception>
    public static void Export(Stream stream, INetwork network, OnnxExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        Build(network, options ?? new OnnxExportOptions()).WriteTo(stream);
    }

    /// <summary>Writes <paramref name="network"/> to <paramref name="path"/>: the 0.1 argument order.</summary>
    [Obsolete("Use Export(path, network): the path comes first, as in SafeTensors.Save and Checkpoint.Save.")]
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static void Export(INetwork network, string path) => Export(path, network);

    /// <summary>Writes <paramref name="network"/> to <paramref name="stream"/>: the 0.1 argument order.</summary>
    [Obsolete("Use Export(stream, network): the destination comes first, as in SafeTensors.Save and Checkpoint.Save.")]
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static void Export(INetwork network, Stream stream) => Export(stream, network);

    /// <summary>The model as an in-memory message (what <see cref="Export(Stream, INetwork, OnnxExportOptions?)"/> writes).</summary>
    internal static ModelProto Build(INetwork network, OnnxExportOptions options)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(options);
        IReadOnlyList<Layer> layers = network.Layers;
        var graph = new OnnxGraphBuilder();
        var int8 = network as Quantization.QuantizedNetwork;
        QdqOpGraph? qdq = int8 is null ? null : new QdqOpGraph(graph, int8);
        IOpGraph target = qdq is null ? graph : qdq;
        graph.Graph.Name = int8 is null ? network.GetType().Name : int8.SourceName + "Int8";
        graph.Reserve(InputName);
        OpValue input;
        string inputText;
        if (options.InputLayout == OnnxInputLayout.Nchw)
        {
            LayerShape image = InputImage(network);
            graph.Graph.Input.Add(OnnxGraphBuilder.ImageValue(InputName, image));
            input = new OpValue(InputName, OpLayout.Nchw, image);
            inputText = $"[N, {image.Channels}, {image.Height}, {image.Width}] (NCHW)";
        }
        else if (layers.Count > 0 && layers[0].InputShape.ElementType == ShapeElementType.Int32)
        {
            // Token ids go in as int32 [N, T], the indices Gather takes.
            graph.Graph.Input.Add(OnnxGraphBuilder.FeatureValue(InputName, network.InputSize, TensorProto.Types.DataType.Int32));
            input = new OpValue(InputName, OpLayout.Features, layers[0].InputShape);
            inputText = $"[N, {network.InputSize}] int32 token ids";
        }
        else
        {
            graph.Graph.Input.Add(OnnxGraphBuilder.FeatureValue(InputName, network.InputSize, TensorProto.Types.DataType.Float));
            input = new OpValue(InputName, OpLayout.Features, LayerShape.Features(network.InputSize));
            inputText = $"[N, {network.InputSize}] (images flattened channels-last)";
        }

        if (qdq is not null)
            input = qdq.Bytes(0, input, InputName);
        var values = new Dictionary<string, OpValue>(StringComparer.Ordinal) { [Layer.NetworkInput] = input };
        OpValue value = input;
        for (int i = 0; i < layers.Count; i++)
        {
            Layer layer = layers[i];
            OpValue[] inputs = InputsOf(layer, values, value);
            try
            {
                qdq?.Begin(i);
                value = layer.Lower(target, inputs);
                if (qdq is not null)
                    value = qdq.Output(i, value, layer.Name);
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
            ModelVersion = options.ModelVersion,
            Graph = graph.Graph,
            DocString = $"{graph.Graph.Name}: input {inputText}, output logits [N, {network.OutputSize}]. Weights carry their safetensors (state_dict) names.",
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        return model;
    }

    /// <summary>The image the network's first layer reads from the input, for an NCHW input.</summary>
    private static LayerShape InputImage(INetwork network)
    {
        foreach (Layer layer in network.Layers)
        {
            IReadOnlyList<string> names = layer.Inputs;
            int index = names.Count == 0 ? 0 : IndexOf(names, Layer.NetworkInput);
            if (index < 0 || index >= layer.InputShapes.Count)
                continue;
            LayerShape shape = layer.InputShapes[index];
            if (shape.IsImage)
                return shape;
            // A dense layer after Flatten = true takes the image as a vector; its weight's storage knows the image.
            if (layer.Parameters.Count > 0 && layer.Parameters[0].StorageShape is { Length: 4 } storage && storage[0] * storage[1] * storage[2] == shape.Elements)
                return LayerShape.Image(storage[0], storage[1], storage[2]);
            throw new ArgumentException($"An NCHW input needs a network whose input is an image; {network.GetType().Name}'s first layer '{layer.Name}' reads {shape}.", nameof(network));
        }
        throw new ArgumentException($"{network.GetType().Name} has no layer reading its input.", nameof(network));
    }

    private static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (int i = 0; i < names.Count; i++)
        {
            if (names[i] == name)
                return i;
        }
        return -1;
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
