using System;
using System.Collections.Generic;
using SourceNet.Export;
using SourceNet.Quantization;

namespace SourceNet;

/// <summary>
/// A fully connected layer: <see cref="Weight"/> [inputs, units] and <see cref="Bias"/> [units], with
/// <c>y = activation(x · W + b)</c>. The maths lives in the generated network; this object owns the named tensors.
/// </summary>
public sealed class DenseLayer : Layer
{
    private readonly Parameter[] _parameters;

    /// <summary>Creates the layer's parameters, zero-filled, with no activation.</summary>
    public DenseLayer(string name, int inputs, int units)
        : this(name, inputs, units, LayerActivation.None)
    {
    }

    /// <summary>Creates the layer's parameters, zero-filled.</summary>
    public DenseLayer(string name, int inputs, int units, LayerActivation activation)
        : base(name, LayerShape.Features(inputs), LayerShape.Features(units))
    {
        InputCount = inputs;
        Units = units;
        Activation = activation;
        // nn.Linear holds its weight as the matrix [units, inputs] even when the storage view is finer (a flattened
        // image's [H, W, C, units]): the state_dict tensor merges its trailing axes back into one.
        Weight = new Parameter(name + ".Weight", inputs, units) { StateDictRank = 2 };
        Bias = new Parameter(name + ".Bias", 1, units);
        _parameters = new[] { Weight, Bias };
    }

    /// <summary>
    /// Creates a dense layer applied at every step of a sequence (T, F): the same weight [F, units] and bias at each
    /// step, output (T, units). Its state_dict is that of an <c>nn.Linear(F, units)</c> applied to the last axis.
    /// </summary>
    /// <param name="name">The layer's name.</param>
    /// <param name="input">The sequence it reads.</param>
    /// <param name="units">Outputs per step.</param>
    /// <param name="activation">The activation applied to each output.</param>
    public DenseLayer(string name, LayerShape input, int units, LayerActivation activation)
        : base(name, input, PerStepOutput(name, input, units))
    {
        InputCount = input.Channels;
        Units = units;
        Activation = activation;
        Weight = new Parameter(name + ".Weight", InputCount, units) { StateDictRank = 2 };
        Bias = new Parameter(name + ".Bias", 1, units);
        _parameters = new[] { Weight, Bias };
    }

    private static LayerShape PerStepOutput(string name, LayerShape input, int units) => input.Kind == ShapeKind.Sequence
        ? LayerShape.Sequence(input.Steps, units)
        : throw new ArgumentException($"Dense '{name}' applied per step reads a sequence (T, F), not {input}.", nameof(input));

    /// <summary>Number of inputs (of one step, on a sequence).</summary>
    public int InputCount { get; }

    /// <summary>Number of outputs.</summary>
    public int Units { get; }

    /// <summary>The activation applied to the output.</summary>
    public LayerActivation Activation { get; }

    /// <summary>The weight matrix, [inputs, units].</summary>
    public Parameter Weight { get; }

    /// <summary>The bias vector, [units].</summary>
    public Parameter Bias { get; }

    /// <inheritdoc/>
    public override IReadOnlyList<Parameter> Parameters => _parameters;

    /// <inheritdoc/>
    protected override string DefaultDescription => Activation.IsIdentity ? "Dense" : "Dense, " + Activation.Name;

    /// <summary>
    /// <c>Gemm</c>, then the activation. A weight mapped to PyTorch's layout is exported as the safetensors file holds
    /// it, [units, inputs] by its <c>state_dict</c> name, with <c>transB = 1</c> as PyTorch's own export; after a
    /// flattened image its inputs are the image's values channels-first, as <c>torch.flatten</c> gives them. An unmapped
    /// weight is exported as stored, [inputs, units].
    /// </summary>
    /// <remarks>On a sequence, the value [N, T·F] is read as rows [N·T, F] (<c>Reshape</c>), multiplied, and laid back as [N, T·units].</remarks>
    public override OpValue Lower(IOpGraph graph, IReadOnlyList<OpValue> inputs)
    {
        if (InputShape.Kind == ShapeKind.Sequence)
            return LowerPerStep(graph, SingleInput(inputs));
        OpValue input = SingleInput(inputs);
        string weight, bias;
        var transposeWeight = OpAttribute.Integer("transB", 1);
        int[] storage = Weight.StorageShape;
        if (Weight.StateDictName is not null && storage.Length == 2 && StateDictInitializers.AxesAre(Weight.StateDictAxes, 1, 0))
        {
            input = graph.ToFeatures(Name, input);
        }
        else if (Weight.StateDictName is not null && storage.Length == 4 && StateDictInitializers.AxesAre(Weight.StateDictAxes, 3, 2, 0, 1))
        {
            // Storage [H, W, C, units] read as PyTorch's [units, C·H·W]: flatten the image channels-first to match.
            OpValue image = graph.ToNchw(Name, input.Layout == OpLayout.Nchw ? input : input with { Shape = LayerShape.Image(storage[0], storage[1], storage[2]) });
            string flat = graph.Node("Reshape", Name + "_flat_chw", new[] { image.Name, graph.Int64s(Name + "_flat_chw_shape", -1, InputCount) });
            input = new OpValue(flat, OpLayout.Features, InputShape);
        }
        else
        {
            input = graph.ToFeatures(Name, input);
            weight = graph.Weight(Name + ".weight", Weight.Value, 1, InputCount, Units);
            bias = graph.Floats(StateDictNameOr(Bias, Name + ".bias"), Bias.Value, Units);
            string plain = graph.Node("Gemm", Name, new[] { input.Name, weight, bias });
            return new OpValue(Activation.Lower(graph, Name, plain), OpLayout.Features, OutputShape);
        }
        weight = graph.StateWeight(Weight, 0);
        bias = graph.StateTensor(Bias);
        string output = graph.Node("Gemm", Name, new[] { input.Name, weight, bias }, transposeWeight);
        return new OpValue(Activation.Lower(graph, Name, output), OpLayout.Features, OutputShape);
    }

    /// <summary>An int8 product: weights per unit, the activation applied on the way to the next layer's bytes.</summary>
    /// <exception cref="NotSupportedException">The layer runs per step of a sequence (int8 covers vector inputs).</exception>
    public override QuantizedOperation Quantize() => InputShape.Kind == ShapeKind.Sequence
        ? throw new NotSupportedException($"Layer '{Name}' ({Description}) runs per step of a sequence; int8 inference covers dense layers on vectors only.")
        : QuantizedOperation.MatrixProduct(Name, InputCount, Units, Weight.Value, Bias.Value, Activation);

    private OpValue LowerPerStep(IOpGraph graph, OpValue input)
    {
        string rows = graph.Node("Reshape", Name + "_steps", new[] { input.Name, graph.Int64s(Name + "_steps_shape", -1, InputCount) });
        // The weight by its state_dict name and layout, [units, inputs] with transB, as for a vector; else as stored.
        bool mapped = Weight.StateDictName is not null && Weight.StorageShape.Length == 2 && StateDictInitializers.AxesAre(Weight.StateDictAxes, 1, 0);
        string product = mapped
            ? graph.Node("Gemm", Name + "_gemm", new[] { rows, graph.StateTensor(Weight), graph.StateTensor(Bias) }, OpAttribute.Integer("transB", 1))
            : graph.Node("Gemm", Name + "_gemm", new[] { rows, graph.Floats(Name + ".weight", Weight.Value, InputCount, Units), graph.Floats(StateDictNameOr(Bias, Name + ".bias"), Bias.Value, Units) });
        string activated = Activation.Lower(graph, Name + "_gemm", product);
        string output = graph.Node("Reshape", Name, new[] { activated, graph.Int64s(Name + "_shape", -1, OutputShape.Elements) });
        return new OpValue(output, OpLayout.Features, OutputShape);
    }

    private static string StateDictNameOr(Parameter parameter, string fallback) => parameter.StateDictName ?? fallback;
}
