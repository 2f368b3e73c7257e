using System.Reflection;
using SourceNet.Generator.Differentiable;
using SourceNet.Kernels;

namespace SourceNet.Generator.Tests.Differentiable;

/// <summary>
/// The interpreter's <see cref="KernelRules"/>: each runtime kernel's one generic rule at double (through
/// <see cref="DoubleMath"/>), found by the type name the IR node carries, the rule the generated code calls.
/// </summary>
internal static class RuntimeKernelRules
{
    public static readonly KernelRules Instance = new(
        (kernel, z) => Call(typeof(Apply<>).MakeGenericType(Kernel(kernel)).GetMethod(nameof(Apply<ReluActivation>.Forward), [typeof(double)])!, z),
        (kernel, y) => Call(DerivativeMethod(nameof(Derivative.FromOutput), kernel), y),
        (kernel, z) => Call(DerivativeMethod(nameof(Derivative.FromPreActivation), kernel), z));

    private static Type Kernel(string name) =>
        typeof(IActivation).Assembly.GetType(name.Replace("global::", ""), throwOnError: true)!;

    private static MethodInfo DerivativeMethod(string name, string kernel) =>
        typeof(Derivative).GetMethods().Single(m => m.Name == name && m.GetParameters()[0].ParameterType == typeof(double)).MakeGenericMethod(Kernel(kernel));

    private static double Call(MethodInfo method, double x) => (double)method.Invoke(null, [x])!;
}
