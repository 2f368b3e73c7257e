namespace SourceNet.Generator.Helpers;

/// <summary>Names of the incremental pipeline's steps; incrementality tests assert against them.</summary>
internal static class TrackingNames
{
    public const string NetworkParse = nameof(NetworkParse);
    public const string NetworkModel = nameof(NetworkModel);
    public const string NetworkDiagnostics = nameof(NetworkDiagnostics);
    public const string NetworkStub = nameof(NetworkStub);
    public const string DifferentiableParse = nameof(DifferentiableParse);
    public const string DifferentiableModel = nameof(DifferentiableModel);
    public const string DifferentiableDiagnostics = nameof(DifferentiableDiagnostics);
}
