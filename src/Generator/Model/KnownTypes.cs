namespace SourceNet.Generator.Model;

/// <summary>
/// Metadata names of the attributes the generator recognises outside the layer kinds (each kind names its own
/// attribute and runtime type). The attribute assembly is the single source of truth; a test checks these
/// strings against <c>typeof(...).FullName</c>.
/// </summary>
internal static class KnownTypes
{
    public const string NetworkAttribute = "SourceNet.NetworkAttribute";
    public const string DifferentiableAttribute = "SourceNet.DifferentiableAttribute";
    public const string ActivationKernelAttribute = "SourceNet.ActivationKernelAttribute";
}
