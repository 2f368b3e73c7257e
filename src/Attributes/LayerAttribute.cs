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

    /// <summary>
    /// The layer's name in PyTorch's <c>state_dict</c>, safetensors files and ONNX weights: its parameters are
    /// <c>{Name}.weight</c> and <c>{Name}.bias</c>. Set it to the module name of the PyTorch model whose weights you
    /// load, such as <c>Name = "fc1"</c> or <c>Name = "features.0"</c>. Null (the default): the property name with its
    /// first letter lower-cased (<c>Hidden</c> -> <c>hidden</c>). It must be non-empty, hold no whitespace, quote or
    /// backslash (SN0054), and differ from every other layer's (SN0055).
    /// </summary>
    public string? Name { get; set; }
}
