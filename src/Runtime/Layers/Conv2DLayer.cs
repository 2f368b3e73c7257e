using System.Collections.Generic;
using System.Globalization;
using SourceNet.Export;
using SourceNet.Interop;
using SourceNet.Kernels;
using SourceNet.Quantization;

namespace SourceNet;

/// <summary>
/// A 2-D convolution over channels-last images: <see cref="Weight"/> stored [kernelHeight, kernelWidth,
/// inChannels, filters] (HWIO, so that it is the right-hand matrix of an im2col product) and
/// <see cref="Bias"/> [filters].
/// </summary>
public sealed class Conv2DLayer : Layer
{
    private readonly Parameter[] _parameters;

    /// <summary>Creates the layer's parameters, zero-filled.</summary>
    public Conv2DLayer(string name, Conv2DGeometry geometry, LayerActivation activation)
        : base(name,
            LayerShape.Image(geometry.InputHeight, geometry.InputWidth, geometry.InputChannels),
            LayerShape.Image(geometry.OutputHeight, geometry.OutputWidth, geometry.Filters))
    {
        Geometry = geometry;
        Activation = activation;
        Weight = new Parameter(name + ".Weight", geometry.KernelHeight * geometry.KernelWidth * geometry.InputChannels, geometry.Filters);
        Bias = new Parameter(name + ".Bias", 1, geometry.Filters);
        _parameters = new[] { Weight, Bias };
    }

    /// <summary>Sizes, strides and padding.</summary>
    public Conv2DGeometry Geometry { get; }

    /// <summary>The activation applied to the output.</summary>
    public LayerActivation Activation { get; }

    /// <summary>The filters, [kernelHeight · kernelWidth · inChannels, filters] (HWIO flattened to a matrix).</summary>
    public Parameter Weight { get; }

    /// <summary>One bias per filter.</summary>
    public Parameter Bias { get; }

    /// <inheritdoc/>
    public override IReadOnlyList<Parameter> Parameters => _parameters;

    /// <inheritdoc/>
    protected override string DefaultDescription
    {
        get
        {
            Conv2DGeometry g = Geometry;
            string stride = g.StrideY == g.StrideX ? g.StrideY.ToString(CultureInfo.InvariantCulture) : $"{g.StrideY}x{g.StrideX}";
            string padding = g.PadTop + g.PadLeft + g.PadBottom + g.PadRight == 0 ? "valid" : "same";
            string text = string.Create(CultureInfo.InvariantCulture, $"Conv2D {g.KernelHeight}x{g.KernelWidth}, stride {stride}, {padding}");
            return Activation.IsIdentity ? text : text + ", " + Activation.Name;
        }
    }

    /// <summary><c>Conv</c> on NCHW with OIHW weights and the geometry's explicit (possibly asymmetric) pads, then the activation.</summary>
    public override OpValue Lower(IOpGraph graph, IReadOnlyList<OpValue> inputs)
    {
        Conv2DGeometry g = Geometry;
        OpValue input = graph.ToNchw(Name, SingleInput(inputs));
        string weight, bias;
        if (Weight.StateDictName is not null && StateDictInitializers.AxesAre(Weight.StateDictAxes, 3, 2, 0, 1))
        {
            // Mapped to PyTorch's OIHW, which is ONNX's too: the safetensors tensor, by its state_dict name.
            weight = graph.StateWeight(Weight, 0);
            bias = graph.StateTensor(Bias);
        }
        else
        {
            // Stored HWIO [KH, KW, Cin, Cout]; ONNX wants OIHW [Cout, Cin, KH, KW].
            var oihw = new float[Weight.Length];
            StateDictLayout.Transpose(Weight.Value, new[] { g.KernelHeight, g.KernelWidth, g.InputChannels, g.Filters }, new[] { 3, 2, 0, 1 }, oihw);
            weight = graph.Weight(Name + ".weight", oihw, 0, g.Filters, g.InputChannels, g.KernelHeight, g.KernelWidth);
            bias = graph.Floats(Bias.StateDictName ?? Name + ".bias", Bias.Value, g.Filters);
        }
        string output = graph.Node("Conv", Name, new[] { input.Name, weight, bias },
            OpAttribute.Of("kernel_shape", g.KernelHeight, g.KernelWidth),
            OpAttribute.Of("strides", g.StrideY, g.StrideX),
            OpAttribute.Of("pads", g.PadTop, g.PadLeft, g.PadBottom, g.PadRight));
        return new OpValue(Activation.Lower(graph, Name, output), OpLayout.Nchw, OutputShape);
    }

    /// <summary>An int8 convolution: weights per filter, padding read as the input's zero.</summary>
    public override QuantizedOperation Quantize() =>
        QuantizedOperation.Convolution(Name, Geometry, Weight.Value, Bias.Value, Activation);
}
