using System;

namespace SourceNet;

/// <summary>
/// Adds the outputs of two or more earlier layers element-wise, as a residual block's skip connection does:
/// <c>[Add(nameof(Conv2), nameof(Stem), Activation = Activation.ReLU)]</c>. The inputs must have the same shape,
/// which is the output's. Put it on a <c>public partial AddLayer Name { get; }</c> property.
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
public sealed class AddAttribute : Attribute
{
    /// <summary>Adds the outputs of <paramref name="inputs"/>: two or more earlier layers, written with <c>nameof</c>.</summary>
    public AddAttribute(params string[] inputs) => Inputs = inputs;

    /// <summary>The layers whose outputs are added.</summary>
    public string[] Inputs { get; }

    /// <summary>The built-in activation applied to the sum (ReLU after a residual block). Defaults to none.</summary>
    public Activation Activation { get; set; }
}
