using System;
using System.Collections.Generic;
using System.IO;
using Google.Protobuf;
using SourceNet.IO;
using SourceNet.Kernels;
using SourceNet.Onnx.Protos;

namespace SourceNet.Onnx;

/// <summary>
/// Writes a SourceNet network as an ONNX model (IR version 8, opset 17) that ONNX Runtime, PyTorch's
/// <c>onnx2torch</c>, TensorRT and friends run: the same input <c>input</c> [N, InputSize] (images flattened
/// channels-last, exactly as SourceNet takes them) and the same output <c>logits</c> [N, OutputSize].
/// </summary>
/// <remarks>
/// Layers map one to one: Dense → <c>Gemm</c> (the weight as stored, [inputs, units]); Conv2D → <c>Conv</c> with
/// OIHW weights and TensorFlow's possibly asymmetric <c>Same</c> padding as explicit pads; Pool2D →
/// <c>MaxPool</c>/<c>AveragePool</c> (padding not counted); Flatten → back to channels-last then <c>Reshape</c>, so
/// the next Dense weight is used as stored; Dropout → nothing (inference). Activations come from
/// <see cref="LayerActivation.OnnxOperator"/>. Images travel through the graph as NCHW, ONNX's layout; the
/// exporter inserts the <c>Transpose</c>s at the edges.
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
        graph.Graph.Input.Add(OnnxGraphBuilder.FeatureValue(InputName, network.InputSize));
        var value = new Value(InputName, Layout.Features, LayerShape.Features(network.InputSize));

        foreach (Layer layer in layers)
        {
            value = layer switch
            {
                DenseLayer dense => Dense(graph, dense, value),
                Conv2DLayer conv => Conv(graph, conv, value),
                Pool2DLayer pool => Pool(graph, pool, value),
                FlattenLayer flatten => ToFeatures(graph, flatten.Name, value, flatten.InputShape),
                DropoutLayer => value, // inverted dropout is the identity at inference
                _ => throw new NotSupportedException($"Layer '{layer.Name}' ({layer.GetType().Name}) has no ONNX form."),
            };
        }

        value = ToFeatures(graph, "Output", value, value.Shape);
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

    private enum Layout
    {
        /// <summary>[N, features]; an image here is flattened channels-last, as SourceNet stores it.</summary>
        Features,

        /// <summary>[N, C, H, W], ONNX's image layout.</summary>
        Nchw,
    }

    /// <summary>A value in the graph: its name, its layout, and the SourceNet shape of one sample.</summary>
    private readonly record struct Value(string Name, Layout Layout, LayerShape Shape);

    private static Value Dense(OnnxGraphBuilder graph, DenseLayer layer, Value input)
    {
        input = ToFeatures(graph, layer.Name, input, input.Shape);
        string weight = graph.Floats(layer.Name + ".weight", layer.Weight.Value, layer.Inputs, layer.Units);
        string bias = graph.Floats(layer.Name + ".bias", layer.Bias.Value, layer.Units);
        // Y = X·W + b with W as stored, [inputs, units]: no transpose needed.
        string output = graph.Node("Gemm", layer.Name, [input.Name, weight, bias]);
        output = Activate(graph, layer.Name, layer.Activation, output);
        return new Value(output, Layout.Features, layer.OutputShape);
    }

    private static Value Conv(OnnxGraphBuilder graph, Conv2DLayer layer, Value input)
    {
        Conv2DGeometry g = layer.Geometry;
        input = ToNchw(graph, layer.Name, input, layer.InputShape);
        // Stored HWIO [KH, KW, Cin, Cout]; ONNX wants OIHW [Cout, Cin, KH, KW].
        var oihw = new float[layer.Weight.Length];
        Interop.StateDictLayout.Transpose(layer.Weight.Value, [g.KernelHeight, g.KernelWidth, g.InputChannels, g.Filters], [3, 2, 0, 1], oihw);
        string weight = graph.Floats(layer.Name + ".weight", oihw, g.Filters, g.InputChannels, g.KernelHeight, g.KernelWidth);
        string bias = graph.Floats(layer.Name + ".bias", layer.Bias.Value, g.Filters);
        string output = graph.Node("Conv", layer.Name, [input.Name, weight, bias],
            OnnxGraphBuilder.Ints("kernel_shape", g.KernelHeight, g.KernelWidth),
            OnnxGraphBuilder.Ints("strides", g.StrideY, g.StrideX),
            OnnxGraphBuilder.Ints("pads", Pads(g.InputHeight, g.InputWidth, g.KernelHeight, g.KernelWidth, g.StrideY, g.StrideX, g.PadTop, g.PadLeft, g.OutputHeight, g.OutputWidth)));
        output = Activate(graph, layer.Name, layer.Activation, output);
        return new Value(output, Layout.Nchw, layer.OutputShape);
    }

    private static Value Pool(OnnxGraphBuilder graph, Pool2DLayer layer, Value input)
    {
        Pool2DGeometry g = layer.Geometry;
        input = ToNchw(graph, layer.Name, input, layer.InputShape);
        var attributes = new List<AttributeProto>
        {
            OnnxGraphBuilder.Ints("kernel_shape", g.PoolHeight, g.PoolWidth),
            OnnxGraphBuilder.Ints("strides", g.StrideY, g.StrideX),
            OnnxGraphBuilder.Ints("pads", Pads(g.InputHeight, g.InputWidth, g.PoolHeight, g.PoolWidth, g.StrideY, g.StrideX, g.PadTop, g.PadLeft, g.OutputHeight, g.OutputWidth)),
        };
        if (layer.Mode == PoolingMode.Average)
            attributes.Add(OnnxGraphBuilder.Int("count_include_pad", 0)); // SourceNet averages over the window's inside only
        string output = graph.Node(layer.Mode == PoolingMode.Max ? "MaxPool" : "AveragePool", layer.Name, [input.Name], [.. attributes]);
        return new Value(output, Layout.Nchw, layer.OutputShape);
    }

    /// <summary>
    /// ONNX pads [top, left, bottom, right]. TensorFlow's <c>Same</c> puts the odd pixel after, so bottom and right
    /// are what the output size needs beyond top and left; <c>Valid</c> drops leftover pixels (no padding at all).
    /// </summary>
    internal static long[] Pads(int height, int width, int kernelHeight, int kernelWidth, int strideY, int strideX,
        int padTop, int padLeft, int outputHeight, int outputWidth)
    {
        long bottom = Math.Max((long)(outputHeight - 1) * strideY + kernelHeight - height - padTop, 0);
        long right = Math.Max((long)(outputWidth - 1) * strideX + kernelWidth - width - padLeft, 0);
        return [padTop, padLeft, bottom, right];
    }

    private static string Activate(OnnxGraphBuilder graph, string layerName, LayerActivation activation, string input)
    {
        if (activation.IsCustom || (activation.OnnxOperator is null && !activation.IsIdentity))
            throw new NotSupportedException($"Layer '{layerName}' uses the custom activation '{activation.Name}', which ONNX cannot express; export a network with built-in activations (ReLU, Sigmoid, Tanh).");
        return activation.OnnxOperator is null ? input : graph.Node(activation.OnnxOperator, layerName + "_" + activation.Name, [input]);
    }

    /// <summary>NCHW → [N, H·W·C] channels-last (SourceNet's order, which the next Dense weight is stored for).</summary>
    private static Value ToFeatures(OnnxGraphBuilder graph, string hint, Value value, LayerShape shape)
    {
        if (value.Layout == Layout.Features)
            return value;
        string nhwc = graph.Node("Transpose", hint + "_to_nhwc", [value.Name], OnnxGraphBuilder.Ints("perm", 0, 2, 3, 1));
        string flat = graph.Node("Reshape", hint + "_flat", [nhwc, graph.Int64s(hint + "_flat_shape", -1, shape.Elements)]);
        return new Value(flat, Layout.Features, LayerShape.Features(shape.Elements));
    }

    /// <summary>[N, H·W·C] channels-last → NCHW, ONNX's image layout.</summary>
    private static Value ToNchw(OnnxGraphBuilder graph, string hint, Value value, LayerShape shape)
    {
        if (value.Layout == Layout.Nchw)
            return value;
        if (!shape.IsImage)
            throw new NotSupportedException($"Layer '{hint}' takes {shape}, not an image.");
        string nhwc = graph.Node("Reshape", hint + "_nhwc", [value.Name, graph.Int64s(hint + "_nhwc_shape", -1, shape.Height, shape.Width, shape.Channels)]);
        string nchw = graph.Node("Transpose", hint + "_to_nchw", [nhwc], OnnxGraphBuilder.Ints("perm", 0, 3, 1, 2));
        return new Value(nchw, Layout.Nchw, shape);
    }
}
