using System;

namespace SourceNet;

/// <summary>
/// Joins the outputs of two or more earlier layers along the channel axis: images (H, W, C₁) and (H, W, C₂) make
/// (H, W, C₁ + C₂); vectors (N₁) and (N₂) make (N₁ + N₂). The other dimensions must agree. Put it on a
/// <c>public partial ConcatenateLayer Name { get; }</c> property.
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
public sealed class ConcatenateAttribute : Attribute
{
    /// <summary>Concatenates the outputs of <paramref name="inputs"/>, in that order: two or more earlier layers.</summary>
    public ConcatenateAttribute(params string[] inputs) => Inputs = inputs;

    /// <summary>The layers whose outputs are joined, in order.</summary>
    public string[] Inputs { get; }
}
