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

    /// <summary><c>Gemm</c> with the weight as stored, [inputs, units] (no transpose), then the activation.</summary>
    /// <remarks>On a sequence, the value [N, T·F] is read as rows [N·T, F] (<c>Reshape</c>), multiplied, and laid back as [N, T·units].</remarks>
    public override OpValue Lower(IOpGraph graph, IReadOnlyList<OpValue> inputs)
    {
        if (InputShape.Kind == ShapeKind.Sequence)
            return LowerPerStep(graph, SingleInput(inputs));
        OpValue input = graph.ToFeatures(Name, SingleInput(inputs));
        string weight = graph.Floats(Name + ".weight", Weight.Value, InputCount, Units);
        string bias = graph.Floats(Name + ".bias", Bias.Value, Units);
        string output = graph.Node("Gemm", Name, new[] { input.Name, weight, bias });
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
        string weight = graph.Floats(Name + ".weight", Weight.Value, InputCount, Units);
        string bias = graph.Floats(Name + ".bias", Bias.Value, Units);
        string product = graph.Node("Gemm", Name + "_gemm", new[] { rows, weight, bias });
        string activated = Activation.Lower(graph, Name + "_gemm", product);
        string output = graph.Node("Reshape", Name, new[] { activated, graph.Int64s(Name + "_shape", -1, OutputShape.Elements) });
        return new OpValue(output, OpLayout.Features, OutputShape);
    }
}
