namespace SourceNet;

/// <summary>
/// The parameters of a fully connected layer: <see cref="Weight"/> [inputs, units] and <see cref="Bias"/> [units].
/// The maths lives in the generated network; this object only owns the named tensors.
/// </summary>
public sealed class DenseLayer
{
    /// <summary>Creates the layer's parameters, zero-filled.</summary>
    public DenseLayer(string name, int inputs, int units)
    {
        Name = name;
        Inputs = inputs;
        Units = units;
        Weight = new Parameter(name + ".Weight", inputs, units);
        Bias = new Parameter(name + ".Bias", 1, units);
    }

    /// <summary>The layer's name (its property name).</summary>
    public string Name { get; }

    /// <summary>Number of inputs.</summary>
    public int Inputs { get; }

    /// <summary>Number of outputs.</summary>
    public int Units { get; }

    /// <summary>The weight matrix, [inputs, units].</summary>
    public Parameter Weight { get; }

    /// <summary>The bias vector, [units].</summary>
    public Parameter Bias { get; }

    /// <summary>Number of trainable values.</summary>
    public int ParameterCount => Weight.Length + Bias.Length;
}
