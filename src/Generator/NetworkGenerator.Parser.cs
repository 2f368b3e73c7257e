using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using SourceNet.Generator.Diagnostics;
using SourceNet.Generator.Helpers;
using SourceNet.Generator.Layers;
using SourceNet.Generator.Model;
using SourceNet.Generator.Parsing;
using SourceNet.Generator.Shapes;

namespace SourceNet.Generator;

/// <summary>
/// The parse step's output: a network to emit when it has no errors, else (when the class can take one)
/// a stub that implements its layer properties, and its diagnostics. At most one of the two is set.
/// </summary>
internal sealed record NetworkParseResult(NetworkSpec? Network, NetworkStubSpec? Stub, EquatableArray<DiagnosticInfo> Diagnostics)
{
    public static readonly NetworkParseResult Nothing = new(null, null, EquatableArray<DiagnosticInfo>.Empty);
}

public sealed partial class NetworkGenerator
{
    /// <summary>
    /// Syntax + semantics -> <see cref="NetworkSpec"/>. Everything Roslyn-specific (symbols, locations)
    /// stays inside this method and the <c>Parsing</c> helpers; what leaves it is plain data. Never throws on
    /// half-typed code: whatever cannot be read is reported or skipped, and a network with errors is not emitted.
    /// </summary>
    internal static NetworkParseResult Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        if (context.TargetSymbol is not INamedTypeSymbol type
            || context.TargetNode is not TypeDeclarationSyntax declaration
            || declaration.Identifier.IsMissing
            || !SyntaxFacts.IsValidIdentifier(type.Name)
            || !ClassChecks.HasCompleteNamespace(type)
            || ClassChecks.FirstNetworkAttribute(type, declaration, cancellationToken) is not { } networkAttribute)
        {
            // Half-typed (the compiler reports it), or a second [Network] on another part of the same
            // class (CS0579): parsing that one too would emit the class twice.
            return NetworkParseResult.Nothing;
        }

        var diagnostics = new List<DiagnosticInfo>();
        Location classLocation = declaration.Identifier.GetLocation();
        ClassChecks.Report(type, declaration, classLocation, diagnostics);

        // Null while an argument does not bind: the compiler reports it, and nothing is checked from a guess.
        AttributeArguments? network = AttributeArguments.Read(networkAttribute, classLocation, cancellationToken);
        (int loss, _) = network?.Enum("Loss") ?? (0, null);
        if (network is not null && loss is not ((int)LossKind.SoftmaxCrossEntropy or (int)LossKind.MeanSquaredError or (int)LossKind.SoftmaxCrossEntropyPerStep))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UndefinedEnumValue, network.LocationOf("Loss"),
                $"The loss of network '{type.Name}'", $"(Loss){Text.Of(loss)}", "Loss"));
        }

        cancellationToken.ThrowIfCancellationRequested();

        LayerScan scan = ScanLayers(type, context.SemanticModel, diagnostics, cancellationToken);
        bool incomplete = network is null || scan.Incomplete;
        if (scan.Properties.Count == 0 && !incomplete)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NoLayers, classLocation, type.Name));
        }

        cancellationToken.ThrowIfCancellationRequested();

        NameChecks.CheckLayers(scan.Layers, diagnostics);
        NameChecks.CheckStateDictNames(scan.Layers, diagnostics);
        NameChecks.CheckMembers(type, scan.Layers, scan.Properties, diagnostics, cancellationToken);

        string ns = SymbolNames.NamespaceText(type);
        NetworkSpec? spec = null;
        if (network is not null)
        {
            var parsed = new NetworkSpec(ns, type.Name, SymbolNames.MetadataName(type),
                network.Int("Input"), network.IntArray("InputShape").ToEquatableArray(),
                network.IntArray("InputSequence").ToEquatableArray(), network.Int("InputTokens"), (LossKind)loss,
                scan.Layers.Select(l => l.Spec).ToEquatableArray()) { DeclaredVocabulary = network.Int("InputVocabulary") };
            NetworkValidator.Result validated = NetworkValidator.Validate(parsed, layersComplete: scan.Complete);
            // InputShape written with no dimension reads as "not set": report the shape, not the Input it fell back to.
            bool emptyShape = network.Has("InputShape") && parsed.DeclaredInputShape.IsEmpty;
            if (emptyShape)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidInputShape, network.LocationOf("InputShape"), type.Name, "InputShape = ()",
                    "a sample has 1 to 3 dimensions: (N), (height, width) or (height, width, channels), for example new[] { 28, 28, 1 }"));
            }
            foreach (ShapeProblem problem in validated.Problems)
            {
                if (emptyShape && problem.DescriptorId == DiagnosticDescriptors.NonPositiveInputId)
                {
                    continue;
                }
                Location location = problem.LayerIndex < 0
                    ? network.LocationOf(problem.Argument)
                    : scan.Layers[problem.LayerIndex].LocationOf(problem.Argument);
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ById(problem.DescriptorId), location, problem.Arguments.ToArray()));
            }
            spec = validated.Network;
        }

        bool hasErrors = incomplete || diagnostics.Any(d => DiagnosticDescriptors.ById(d.DescriptorId).DefaultSeverity == DiagnosticSeverity.Error);
        if (!hasErrors)
        {
            return new NetworkParseResult(spec, null, diagnostics.ToEquatableArray());
        }

        // A stub reopens the class and every type around it, which C# allows only if all are partial. A class
        // without 'partial' (SN0001) is reopened all the same: the compiler then reports CS0260 once on the class
        // instead of CS0751 and CS9248 on every layer property.
        EquatableArray<string>? headers = scan.Stubs.Count > 0 ? SymbolNames.TypeHeaders(declaration) : null;
        NetworkStubSpec? stub = headers is { } h
            ? new NetworkStubSpec(ns, type.Name, h, SymbolNames.MetadataName(type), scan.Stubs.ToEquatableArray())
            : null;
        return new NetworkParseResult(null, stub, diagnostics.ToEquatableArray());
    }

    /// <summary>The layer properties of a class, read by their kinds, with what could not be read.</summary>
    private sealed class LayerScan
    {
        public List<ParsedLayer> Layers { get; } = new();

        /// <summary>Every property that is (or is meant to be) a layer.</summary>
        public HashSet<ISymbol> Properties { get; } = new(SymbolEqualityComparer.Default);

        public List<StubPropertySpec> Stubs { get; } = new();

        /// <summary>Something cannot be read because the code does not compile yet, or was reported.</summary>
        public bool Incomplete { get; set; }

        /// <summary>Whether every property with a layer attribute became a layer, so the chain of shapes is whole.</summary>
        public bool Complete { get; set; } = true;
    }

    private static LayerScan ScanLayers(INamedTypeSymbol type, SemanticModel semanticModel, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
    {
        var scan = new LayerScan();
        foreach (ISymbol member in type.GetMembers())
        {
            if (member is not IPropertySymbol property)
            {
                continue;
            }
            List<(LayerKind Kind, AttributeData Attribute)> found = LayerProperties.LayerAttributes(property);
            Location propertyLocation = property.Locations.FirstOrDefault() ?? Location.None;
            if (found.Count == 0)
            {
                if (LayerProperties.IsUnimplementedLayer(property))
                {
                    scan.Properties.Add(property);
                    LayerProperties.AddStub(scan.Stubs, property);
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MissingLayerAttribute, propertyLocation, property.Name,
                        property.Type.Name));
                }
                continue;
            }
            scan.Properties.Add(property);
            LayerProperties.AddStub(scan.Stubs, property);
            LayerSpec? layer = ReadLayer(property, found, type, semanticModel, propertyLocation, diagnostics, cancellationToken, out AttributeArguments? arguments);
            if (layer is null)
            {
                // Reported, or not readable yet: either way a network without this layer must not be emitted.
                scan.Incomplete = true;
                scan.Complete = false;
                continue;
            }
            layer = layer with { Sources = layer.Kind.ReadSources(arguments!), DeclaredStateDictName = arguments!.String("Name") };
            foreach (LayerSpec step in layer.Kind.Expand(layer))
            {
                scan.Layers.Add(new ParsedLayer(step, arguments!, propertyLocation));
            }
        }
        NameInsertedSteps(scan.Layers);
        return scan;
    }

    /// <summary>
    /// An inserted step (<c>Flatten = true</c>'s <c>HiddenFlatten</c>) takes a name no other layer has, a number appended
    /// if a property already has it: summaries, ONNX values and graph inputs name each layer once.
    /// </summary>
    private static void NameInsertedSteps(List<ParsedLayer> layers)
    {
        var taken = new HashSet<string>(layers.Where(l => l.Spec.HasProperty).Select(l => l.Spec.Name), System.StringComparer.Ordinal);
        for (int i = 0; i < layers.Count; i++)
        {
            ParsedLayer parsed = layers[i];
            if (parsed.Spec.HasProperty)
            {
                continue;
            }
            string name = parsed.Spec.Name;
            for (int n = 2; taken.Contains(name); n++)
            {
                name = parsed.Spec.Name + n.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
            taken.Add(name);
            if (name != parsed.Spec.Name)
            {
                layers[i] = parsed with { Spec = parsed.Spec with { Name = name } };
            }
        }
    }

    private static LayerSpec? ReadLayer(IPropertySymbol property, List<(LayerKind Kind, AttributeData Attribute)> found, INamedTypeSymbol type,
        SemanticModel semanticModel, Location propertyLocation, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken, out AttributeArguments? arguments)
    {
        arguments = null;
        if (!SyntaxFacts.IsValidIdentifier(property.Name))
        {
            return null;
        }
        if (found.Count > 1)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MultipleLayerAttributes, propertyLocation, property.Name));
            return null;
        }
        (LayerKind kind, AttributeData attribute) = found[0];
        string? shapeProblem = LayerProperties.DescribeInvalid(property, type, kind);
        if (shapeProblem is not null)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidLayerProperty, propertyLocation, property.Name, shapeProblem));
            return null;
        }
        if (GeneratedNames.Network.Contains(property.Name))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.LayerNameConflict, propertyLocation,
                $"Layer '{property.Name}'", property.Name, type.Name, "the layer"));
            return null;
        }
        // A half-typed attribute (an IDE keystroke away from valid) does not bind: skip it silently; the
        // compiler already reports the syntax error.
        arguments = AttributeArguments.Read(attribute, propertyLocation, cancellationToken);
        if (arguments is null)
        {
            return null;
        }
        var reader = new LayerReader(property.Name, LayerProperties.WrittenAccessibility(property), arguments, type, semanticModel, diagnostics, cancellationToken);
        return kind.Read(reader);
    }
}
