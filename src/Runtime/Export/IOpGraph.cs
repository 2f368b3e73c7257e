using System;
using System.Collections.Generic;

namespace SourceNet.Export;

/// <summary>How a value in an exported graph lays out one batch.</summary>
public enum OpLayout
{
    /// <summary>[N, features]; an image here is flattened channels-last, as SourceNet stores it.</summary>
    Features,

    /// <summary>[N, C, H, W], the image layout of ONNX's operators.</summary>
    Nchw,
}

/// <summary>A value in an exported graph: its name there, its layout, and the SourceNet shape of one sample.</summary>
public readonly record struct OpValue(string Name, OpLayout Layout, LayerShape Shape);

/// <summary>One attribute of an operator node: a list of integers, an integer, a float or a string.</summary>
public readonly record struct OpAttribute(string Name, long[]? Ints = null, long? Int = null, float? Float = null, string? Text = null)
{
    /// <summary>An integer-list attribute (<c>kernel_shape</c>, <c>pads</c>).</summary>
    public static OpAttribute Of(string name, params long[] values) => new(name, Ints: values);

    /// <summary>An integer attribute (<c>axis</c>).</summary>
    public static OpAttribute Integer(string name, long value) => new(name, Int: value);

    /// <summary>A float attribute (<c>epsilon</c>, <c>alpha</c>).</summary>
    public static OpAttribute Real(string name, float value) => new(name, Float: value);
}

/// <summary>
/// A graph of standard operators (ONNX opset 17 semantics) that layers and activations lower themselves into.
/// Each kind writes its own lowering beside its runtime layer; an exporter implements this interface for one
/// file format and walks the network's layers, so no exporter keeps a list of kinds.
/// </summary>
public interface IOpGraph
{
    /// <summary>Adds a float constant (a weight) of shape <paramref name="dims"/> and returns its name.</summary>
    string Floats(string hint, ReadOnlySpan<float> values, params long[] dims);

    /// <summary>
    /// Adds the weight a product (<c>Gemm</c>, <c>Conv</c>) multiplies by and returns its name; axis
    /// <paramref name="outputAxis"/> of <paramref name="dims"/> runs over the product's output channels (units,
    /// filters). A float constant by default, as <see cref="Floats"/> adds; the exporter of int8 networks stores it
    /// as int8 with a scale per output channel behind a <c>DequantizeLinear</c>.
    /// </summary>
    string Weight(string hint, ReadOnlySpan<float> values, int outputAxis, params long[] dims) => Floats(hint, values, dims);

    /// <summary>Adds an int64 constant (a shape for <c>Reshape</c>, axes) and returns its name.</summary>
    string Int64s(string hint, params long[] values);

    /// <summary>Adds a node with one output and returns the output's name.</summary>
    string Node(string op, string hint, IReadOnlyList<string> inputs, params OpAttribute[] attributes);

    /// <summary>The value as [N, C, H, W] (images only), transposing once if needed.</summary>
    OpValue ToNchw(string hint, OpValue value);

    /// <summary>The value as [N, features] flattened channels-last, transposing once if needed.</summary>
    OpValue ToFeatures(string hint, OpValue value);
}
