using System;
using SourceNet.Export;

namespace SourceNet;

/// <summary>
/// Lowers an activation into an operator graph: adds the nodes computing f(<paramref name="input"/>) and returns
/// the output's name. A kernel's <c>ILoweredActivation.Lower</c> has this shape.
/// </summary>
public delegate string ActivationLowering(IOpGraph graph, string hint, string input);

/// <summary>
/// The activation a layer applies to its output, as the runtime sees it: its name and how it lowers into an
/// operator graph. The generator fills it in from the attribute's <c>Activation</c> (its kernel's
/// <c>[ActivationKernel]</c>) or the custom <c>[Differentiable]</c> method, so tools such as the ONNX exporter
/// call <see cref="Lower"/> and keep no list of activations of their own.
/// </summary>
/// <param name="Name">The activation's name: <c>None</c>, <c>ReLU</c>, ..., or a custom method's name.</param>
/// <param name="OnnxOperator">The one ONNX operator that computes it (<c>Relu</c>, <c>Sigmoid</c>, ...); null
/// when none does: no activation, a custom one, or one lowered by <see cref="Lowering"/>.</param>
/// <param name="IsCustom">Whether it is a user's <c>[Differentiable]</c> method.</param>
public sealed record LayerActivation(string Name, string? OnnxOperator, bool IsCustom = false)
{
    /// <summary>No activation: the layer outputs its pre-activations.</summary>
    public static LayerActivation None { get; } = new("None", null) { IsIdentity = true };

    /// <summary>
    /// Whether the layer applies no activation. Said explicitly (only <see cref="None"/> is), never inferred from a
    /// missing operator: an activation that ONNX cannot express is not the identity.
    /// </summary>
    public bool IsIdentity { get; private init; }

    /// <summary>The activation's own lowering into primitives (GELU, SiLU: the kernel's <c>Lower</c>); null when <see cref="OnnxOperator"/> says it all or nothing can.</summary>
    public ActivationLowering? Lowering { get; init; }

    /// <summary>
    /// Adds the activation to <paramref name="graph"/> after <paramref name="input"/> and returns its output: the
    /// input itself for no activation, the one operator for a built-in that has one, the decomposition for one that
    /// lowers itself.
    /// </summary>
    /// <exception cref="NotSupportedException">A custom <c>[Differentiable]</c> activation, or a built-in without a
    /// lowering: never exported as the identity.</exception>
    public string Lower(IOpGraph graph, string hint, string input)
    {
        ArgumentNullException.ThrowIfNull(graph);
        if (IsIdentity)
            return input;
        if (IsCustom)
            throw new NotSupportedException($"The activation '{Name}' is a custom [Differentiable] method, which ONNX cannot express; export a network with built-in activations (ReLU, LeakyReLU, Sigmoid, Tanh, GELU, SiLU).");
        if (Lowering is not null)
            return Lowering(graph, hint, input);
        if (OnnxOperator is not null)
            return graph.Node(OnnxOperator, hint, [input]);
        throw new NotSupportedException($"The activation '{Name}' has no ONNX lowering: its [ActivationKernel] names no OnnxOperator and its kernel is not an ILoweredActivation.");
    }

    /// <inheritdoc/>
    public override string ToString() => Name;
}
