using System;
using System.ComponentModel;

namespace SourceNet.Kernels;

/// <summary>
/// Marks a function of <see cref="ActivationFunctions"/> as an activation kernel's forward rule. The <c>[Differentiable]</c>
/// generator reads it to differentiate a call: the companion calls the kernel's forward rule and its derivative
/// (from the output or from the pre-activation, whichever interface the kernel implements).
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class ActivationFunctionAttribute : Attribute
{
    /// <summary>Names the kernel, a type implementing <c>SourceNet.Kernels.IActivation</c>.</summary>
    public ActivationFunctionAttribute(Type kernel) => Kernel = kernel;

    /// <summary>The kernel type.</summary>
    public Type Kernel { get; }
}
