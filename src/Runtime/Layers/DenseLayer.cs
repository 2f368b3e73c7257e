using System.Collections.Generic;

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
        Inputs = inputs;
        Units = units;
        Activation = activation;
        Weight = new Parameter(name + ".Weight", inputs, units);
        Bias = new Parameter(name + ".Bias", 1, units);
        _parameters = new[] { Weight, Bias };
    }

    /// <summary>Number of inputs.</summary>
    public int Inputs { get; }

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
}
