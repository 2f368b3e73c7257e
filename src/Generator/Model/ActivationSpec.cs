namespace SourceNet.Generator.Model;

/// <summary>
/// A layer's activation as the generator uses it, read from the <c>Activation</c> member's
/// <c>[ActivationKernel]</c> attribute and the kernel type's interfaces, or from a custom <c>[Differentiable]</c>
/// method: nothing about any particular activation is written in the generator.
/// </summary>
/// <param name="Name">The enum member's name (<c>ReLU</c>), or the custom method's name.</param>
/// <param name="KernelType">The runtime <c>IActivation</c> type, <c>global::</c>-qualified; the identity for a custom
/// activation, which runs after the product.</param>
/// <param name="OnnxOperator">The one ONNX operator computing it, or null.</param>
/// <param name="IsIdentity">No activation at all.</param>
/// <param name="CustomMethod">For a custom activation: the [Differentiable] method's name; else null.</param>
/// <param name="DerivativeFromPreActivation">The kernel is an <c>IPreActivationDerivative</c>: its derivative needs z,
/// so the layer keeps its pre-activations (GELU, SiLU).</param>
/// <param name="LowersItself">The kernel is an <c>ILoweredActivation</c>: its own <c>Lower</c> exports it to ONNX.</param>
internal sealed record ActivationSpec(string Name, string KernelType, string? OnnxOperator, bool IsIdentity, string? CustomMethod,
    bool DerivativeFromPreActivation = false, bool LowersItself = false)
{
    public const string IdentityKernel = "global::SourceNet.Kernels.IdentityActivation";

    /// <summary>Metadata names of the runtime's kernel interfaces, which say what a kernel's derivative reads and how it exports.</summary>
    public const string OutputDerivativeInterface = "SourceNet.Kernels.IOutputDerivative";
    public const string PreActivationDerivativeInterface = "SourceNet.Kernels.IPreActivationDerivative";
    public const string LoweredInterface = "SourceNet.Kernels.ILoweredActivation";

    /// <summary>Marks a <c>SourceNet.ActivationFunctions</c> function with its kernel, for <c>[Differentiable]</c> code.</summary>
    public const string FunctionAttribute = "SourceNet.Kernels.ActivationFunctionAttribute";

    public static readonly ActivationSpec None = new("None", IdentityKernel, null, true, null);

    public static ActivationSpec Custom(string method) => new(method, IdentityKernel, null, false, method);

    public bool IsCustom => CustomMethod is not null;

    /// <summary>Whether the layer keeps its pre-activations: the product writes z, the activation runs after it, and
    /// the backward pass reads z (a custom activation, or a kernel whose derivative needs z).</summary>
    public bool KeepsPreActivations => IsCustom || DerivativeFromPreActivation;

    /// <summary>The runtime <c>SourceNet.LayerActivation</c> describing it.</summary>
    public string RuntimeExpression => IsIdentity
        ? "global::SourceNet.LayerActivation.None"
        : $"new global::SourceNet.LayerActivation(\"{Name}\", {(OnnxOperator is null ? "null" : "\"" + OnnxOperator + "\"")}{(IsCustom ? ", IsCustom: true" : "")})"
            + (LowersItself ? $" {{ Lowering = {KernelType}.Lower }}" : "");
}
