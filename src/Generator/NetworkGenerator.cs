using Microsoft.CodeAnalysis;
using SourceNet.Generator.Diagnostics;
using SourceNet.Generator.Emit;
using SourceNet.Generator.Helpers;
using SourceNet.Generator.Model;

namespace SourceNet.Generator;

/// <summary>
/// Generates a network's forward pass, backward pass and training step from a <c>[Network]</c> class.
/// The pipeline only wires the phases: <see cref="Parse"/> (syntax -> model, in
/// <c>NetworkGenerator.Parser.cs</c>), then <see cref="NetworkEmitter"/> (model -> C#). Diagnostics travel
/// as data beside the model and are reported by their own output, so a model that did not change is not
/// emitted again.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed partial class NetworkGenerator : IIncrementalGenerator
{
    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValuesProvider<NetworkParseResult> parsed = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                KnownTypes.NetworkAttribute,
                // Records are taken too, so that [Network] on one is reported (SN0012) rather than ignored.
                static (node, _) => node is Microsoft.CodeAnalysis.CSharp.Syntax.ClassDeclarationSyntax or Microsoft.CodeAnalysis.CSharp.Syntax.RecordDeclarationSyntax,
                static (context, cancellationToken) => Parse(context, cancellationToken))
            .WithTrackingName(TrackingNames.NetworkParse);

        IncrementalValuesProvider<DiagnosticInfo> diagnostics = parsed
            .SelectMany(static (result, _) => result.Diagnostics)
            .WithTrackingName(TrackingNames.NetworkDiagnostics);

        IncrementalValuesProvider<NetworkSpec> networks = parsed
            .Where(static result => result.Network is not null)
            .Select(static (result, _) => result.Network!)
            .WithTrackingName(TrackingNames.NetworkModel);

        // A network with errors gets only placeholders for its layer properties (see NetworkStubSpec).
        IncrementalValuesProvider<NetworkStubSpec> stubs = parsed
            .Where(static result => result.Stub is not null)
            .Select(static (result, _) => result.Stub!)
            .WithTrackingName(TrackingNames.NetworkStub);

        // The help links point at the pages the package carries, where its build props say they are.
        IncrementalValueProvider<string?> helpFolder = context.AnalyzerConfigOptionsProvider
            .Select(static (options, _) => DiagnosticDescriptors.HelpFolder(options));
        context.RegisterSourceOutput(diagnostics.Combine(helpFolder), static (context, pair) => context.ReportDiagnostic(pair.Left.ToDiagnostic(pair.Right)));

        context.RegisterSourceOutput(networks, static (context, network) =>
            context.AddSource($"{network.MetadataName}.g.cs", NetworkEmitter.Emit(network)));

        context.RegisterSourceOutput(stubs, static (context, stub) =>
            context.AddSource($"{stub.MetadataName}.g.cs", NetworkStubEmitter.Emit(stub)));
    }
}
