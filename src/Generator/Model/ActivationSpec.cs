namespace SourceNet.Generator.Model;

/// <summary>
/// A layer's activation as the generator uses it, read from the <c>Activation</c> member's
/// <c>[ActivationKernel]</c> attribute or from a custom <c>[Differentiable]</c> method: nothing about any
/// particular activation is written in the generator.
/// </summary>
/// <param name="Name">The enum member's name (<c>ReLU</c>), or the custom method's name.</param>
/// <param name="KernelType">The runtime <c>IActivation</c> type fused into the product's epilogue, <c>global::</c>-qualified;
/// the identity for a custom activation, which runs after the product.</param>
/// <param name="OnnxOperator">The ONNX operator, or null.</param>
/// <param name="IsIdentity">No activation at all.</param>
/// <param name="CustomMethod">For a custom activation: the [Differentiable] method's name; else null.</param>
internal sealed record ActivationSpec(string Name, string KernelType, string? OnnxOperator, bool IsIdentity, string? CustomMethod)
{
    public const string IdentityKernel = "global::SourceNet.Kernels.IdentityActivation";

    public static readonly ActivationSpec None = new("None", IdentityKernel, null, true, null);

    public static ActivationSpec Custom(string method) => new(method, IdentityKernel, null, false, method);

    public bool IsCustom => CustomMethod is not null;

    /// <summary>The runtime <c>SourceNet.LayerActivation</c> describing it.</summary>
    public string RuntimeExpression => IsIdentity
        ? "global::SourceNet.LayerActivation.None"
        : $"new global::SourceNet.LayerActivation(\"{Name}\", {(OnnxOperator is null ? "null" : "\"" + OnnxOperator + "\"")}{(IsCustom ? ", IsCustom: true" : "")})";
}
