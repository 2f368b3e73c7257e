using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using SourceNet.Generator.Diagnostics;
using SourceNet.Generator.Model;

namespace SourceNet.Generator.Parsing;

/// <summary>
/// What a layer kind reads its spec from: the property's name and accessibility, the attribute's
/// arguments, and a way to report a usage problem on one of those arguments. Everything Roslyn-specific a
/// kind needs is here, so kinds read plain values.
/// </summary>
internal sealed class LayerReader
{
    private readonly List<DiagnosticInfo> _diagnostics;
    private readonly INamedTypeSymbol _network;
    private readonly SemanticModel _semanticModel;
    private readonly CancellationToken _cancellationToken;

    public LayerReader(string name, string accessibility, AttributeArguments arguments, INamedTypeSymbol network,
        SemanticModel semanticModel, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
    {
        Name = name;
        Accessibility = accessibility;
        Arguments = arguments;
        _network = network;
        _semanticModel = semanticModel;
        _diagnostics = diagnostics;
        _cancellationToken = cancellationToken;
    }

    /// <summary>The layer's (property's) name.</summary>
    public string Name { get; }

    /// <summary>The property's accessibility modifiers as written.</summary>
    public string Accessibility { get; }

    public AttributeArguments Arguments { get; }

    /// <summary>The <c>activation</c> / <c>CustomActivation</c> arguments; null when reported or not readable yet.</summary>
    public ActivationSpec? ReadActivation() => ActivationReader.Read(this, _network, _semanticModel, _cancellationToken);

    /// <summary>Reports <paramref name="descriptor"/> on the argument <paramref name="argument"/> (the attribute if not written).</summary>
    public void Report(DiagnosticDescriptor descriptor, string? argument, params string[] messageArguments) =>
        _diagnostics.Add(DiagnosticInfo.Create(descriptor, Arguments.LocationOf(argument), messageArguments));
}
