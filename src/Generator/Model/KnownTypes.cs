namespace SourceNet.Generator.Model;

/// <summary>
/// Metadata names of the types the generator recognises. The attribute assembly is the single source of
/// truth; a test checks these strings against <c>typeof(...).FullName</c>.
/// </summary>
internal static class KnownTypes
{
    public const string NetworkAttribute = "SourceNet.NetworkAttribute";
    public const string DenseAttribute = "SourceNet.DenseAttribute";
    public const string DifferentiableAttribute = "SourceNet.DifferentiableAttribute";
    public const string DenseLayer = "SourceNet.DenseLayer";

    /// <summary>Layer attributes: a property carrying one of these is a layer.</summary>
    public static readonly string[] LayerAttributes = { DenseAttribute };
}
