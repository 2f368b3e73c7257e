using System;

namespace SourceNet;

/// <summary>
/// The base of every single-input layer attribute: where the layer takes its input from. By default a layer
/// takes the output of the layer declared just before it (the network's input for the first), so a straight
/// chain needs nothing; <see cref="From"/> names another earlier layer, which makes the network a graph
/// (a skip connection reads a value a second time, and its gradient is the sum of both paths).
/// </summary>
public abstract class LayerAttribute : Attribute
{
    /// <summary>
    /// The layer whose output this layer takes, written <c>From = nameof(Stem)</c> so that renaming the layer
    /// renames the reference; it must be declared before this one. <see cref="NetworkAttribute.InputName"/>
    /// names the network's input. Null (the default): the layer declared just before.
    /// </summary>
    public string? From { get; set; }
}
