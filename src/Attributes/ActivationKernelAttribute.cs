using System;

namespace SourceNet;

/// <summary>
/// Ties a member of <see cref="Activation"/> to the runtime type that implements it (its forward rule and
/// derivative, written once in <c>SourceNet.Kernels</c>) and to the ONNX operator that computes it. The
/// generator reads this attribute instead of keeping a list of activations of its own, so adding an
/// activation is adding an enum member with this attribute and its kernel; a member without it is a
/// compile error (SN0022), never a silent identity.
/// </summary>
[AttributeUsage(AttributeTargets.Field, AllowMultiple = false, Inherited = false)]
public sealed class ActivationKernelAttribute : Attribute
{
    /// <summary>Names the kernel type, such as <c>SourceNet.Kernels.ReluActivation</c>.</summary>
    public ActivationKernelAttribute(string kernelType) => KernelType = kernelType;

    /// <summary>The fully qualified name of the runtime type implementing <c>SourceNet.Kernels.IActivation</c>.</summary>
    public string KernelType { get; }

    /// <summary>
    /// The one ONNX operator computing the activation (<c>Relu</c>), or null when ONNX has none: then the kernel
    /// lowers itself into primitives (<c>SourceNet.Kernels.ILoweredActivation</c>), or the activation cannot be exported.
    /// </summary>
    public string? OnnxOperator { get; set; }

    /// <summary>Whether the activation is the identity (no activation): the backward pass then skips it.</summary>
    public bool IsIdentity { get; set; }
}
