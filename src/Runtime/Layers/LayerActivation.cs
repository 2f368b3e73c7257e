using System;
using SourceNet.Export;

namespace SourceNet;

/// <summary>
/// The activation a layer applies to its output, as the runtime sees it: its name and the ONNX operator
/// that computes it. The generator fills it in from the attribute's <c>Activation</c> (or the custom
/// <c>[Differentiable]</c> method), so tools such as the ONNX exporter need no list of activations of their own.
/// </summary>
/// <param name="Name">The activation's name: <c>None</c>, <c>ReLU</c>, ..., or a custom method's name.</param>
/// <param name="OnnxOperator">The ONNX operator (<c>Relu</c>, <c>Sigmoid</c>, ...); null for no activation, for a
/// built-in with no single operator, and for a custom one, which ONNX cannot express.</param>
/// <param name="IsCustom">Whether it is a user's <c>[Differentiable]</c> method.</param>
public sealed record LayerActivation(string Name, string? OnnxOperator, bool IsCustom = false)
{
    /// <summary>No activation: the layer outputs its pre-activations.</summary>
    public static LayerActivation None { get; } = new("None", null) { IsIdentity = true };

    /// <summary>
    /// Whether the layer applies no activation. Said explicitly (only <see cref="None"/> is), never inferred from a
    /// missing operator: a built-in without an ONNX operator is not the identity.
    /// </summary>
    public bool IsIdentity { get; init; }

    /// <summary>
    /// Adds the activation to <paramref name="graph"/> applied to the value named <paramref name="input"/> and
    /// returns the output's name; the identity returns <paramref name="input"/> unchanged.
    /// </summary>
    /// <param name="graph">The graph being built.</param>
    /// <param name="hint">A name hint for the new value, usually the layer's name.</param>
    /// <param name="input">The pre-activation value's name.</param>
    /// <exception cref="NotSupportedException">The activation is custom, or a built-in with no ONNX form.</exception>
    public string Lower(IOpGraph graph, string hint, string input)
    {
        ArgumentNullException.ThrowIfNull(graph);
        if (IsIdentity)
            return input;
        if (IsCustom)
            throw new NotSupportedException($"'{hint}' uses the custom activation '{Name}', which ONNX cannot express; export a network with built-in activations.");
        if (OnnxOperator is null)
            throw new NotSupportedException($"'{hint}' uses the activation '{Name}', which has no ONNX lowering; it is not exported as the identity.");
        return graph.Node(OnnxOperator, hint + "_" + Name, new[] { input });
    }

    /// <inheritdoc/>
    public override string ToString() => Name;
}
