namespace SourceNet;

/// <summary>
/// The activation a layer applies to its output, as the runtime sees it: its name and the ONNX operator
/// that computes it. The generator fills it in from the attribute's <c>Activation</c> (or the custom
/// <c>[Differentiable]</c> method), so tools such as the ONNX exporter need no list of activations of their own.
/// </summary>
/// <param name="Name">The activation's name: <c>None</c>, <c>ReLU</c>, ..., or a custom method's name.</param>
/// <param name="OnnxOperator">The ONNX operator (<c>Relu</c>, <c>Sigmoid</c>, ...); null for no activation
/// and for a custom one, which ONNX cannot express.</param>
/// <param name="IsCustom">Whether it is a user's <c>[Differentiable]</c> method.</param>
public sealed record LayerActivation(string Name, string? OnnxOperator, bool IsCustom = false)
{
    /// <summary>No activation: the layer outputs its pre-activations.</summary>
    public static LayerActivation None { get; } = new("None", null);

    /// <summary>Whether the layer applies no activation.</summary>
    public bool IsIdentity => !IsCustom && OnnxOperator is null;

    /// <inheritdoc/>
    public override string ToString() => Name;
}
