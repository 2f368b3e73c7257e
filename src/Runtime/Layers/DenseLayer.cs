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

    /// <summary>Number of inputs.</summary>
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
    public override OpValue Lower(IOpGraph graph, IReadOnlyList<OpValue> inputs)
    {
        OpValue input = graph.ToFeatures(Name, SingleInput(inputs));
        string weight = graph.Floats(Name + ".weight", Weight.Value, InputCount, Units);
        string bias = graph.Floats(Name + ".bias", Bias.Value, Units);
        string output = graph.Node("Gemm", Name, new[] { input.Name, weight, bias });
        return new OpValue(Activation.Lower(graph, Name, output), OpLayout.Features, OutputShape);
    }

    /// <summary>An int8 product: weights per unit, the activation applied on the way to the next layer's bytes.</summary>
    public override QuantizedOperation Quantize() =>
        QuantizedOperation.MatrixProduct(Name, InputCount, Units, Weight.Value, Bias.Value, Activation);
}
