using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using SourceNet.Generator.Diagnostics;
using SourceNet.Generator.Differentiable;
using SourceNet.Generator.Helpers;
using SourceNet.Generator.Model;
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
    private const string DeclareLayerHint = "declare it as 'public partial DenseLayer {0} { get; }'";

    /// <summary>
    /// Syntax + semantics -> <see cref="NetworkSpec"/>. Everything Roslyn-specific (symbols, locations)
    /// stays inside this method; what leaves it is plain data. Never throws on half-typed code: whatever
    /// cannot be read is reported or skipped, and a network with errors is not emitted.
    /// </summary>
    internal static NetworkParseResult Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        if (context.TargetSymbol is not INamedTypeSymbol type
            || context.TargetNode is not TypeDeclarationSyntax declaration
            || declaration.Identifier.IsMissing
            || !SyntaxFacts.IsValidIdentifier(type.Name)
            || !HasCompleteNamespace(type)
            || FirstNetworkAttribute(type, declaration, cancellationToken) is not { } networkAttribute)
        {
            // Half-typed (the compiler reports it), or a second [Network] on another part of the same
            // class (CS0579): parsing that one too would emit the class twice.
            return NetworkParseResult.Nothing;
        }

        var diagnostics = new List<DiagnosticInfo>();
        // Set when something cannot be read because the code does not compile yet: the compiler reports
        // it, and the network must not be emitted from a guess.
        bool incomplete = false;

        Location classLocation = declaration.Identifier.GetLocation();
        if (!declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ClassNotPartial, classLocation, type.Name));
        }
        if (type.IsGenericType)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.GenericNetwork, classLocation, type.Name));
        }
        if (type.ContainingType is not null)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NestedNetwork, classLocation, type.Name, type.ContainingType.Name));
        }
        string? formProblem = DescribeUnsupportedClassForm(type, declaration);
        if (formProblem is not null)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.StaticOrAbstractNetwork, classLocation, type.Name, formProblem));
        }

        var networkSyntax = networkAttribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax;
        incomplete |= HasErrors(networkAttribute);
        int input = NamedInt(networkAttribute, "Input", 0);
        int lossValue = NamedInt(networkAttribute, "Loss", (int)LossKind.SoftmaxCrossEntropy);
        if (!IsDefinedLoss(lossValue))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UndefinedEnumValue,
                NamedArgumentLocation(networkSyntax, "Loss") ?? networkSyntax?.GetLocation() ?? classLocation,
                $"The loss of network '{type.Name}'", $"(Loss){Text(lossValue)}", "Loss"));
        }
        EquatableArray<int> inputShape = NamedIntArray(networkAttribute, "InputShape");

        cancellationToken.ThrowIfCancellationRequested();

        var layers = new List<LayerSpec>();
        var layerAttributes = new List<AttributeData>();
        var layerLocations = new List<Location>();
        var stubProperties = new List<StubPropertySpec>();
        var layerProperties = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        // Properties carrying a layer attribute; those that did not become a LayerSpec were reported or are not readable yet.
        int layerCandidates = 0;
        foreach (ISymbol member in type.GetMembers())
        {
            if (member is not IPropertySymbol property)
            {
                continue;
            }
            AttributeData[] found = property.GetAttributes()
                .Where(a => a.AttributeClass is { } c && KnownTypes.LayerAttributes.Contains(c.ToDisplayString()))
                .ToArray();
            if (found.Length == 0)
            {
                if (IsUnimplementedDenseLayer(property))
                {
                    layerProperties.Add(property);
                    AddStub(stubProperties, property);
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MissingLayerAttribute, PropertyLocation(property, classLocation), property.Name));
                }
                continue;
            }
            layerProperties.Add(property);
            AddStub(stubProperties, property);
            layerCandidates++;
            if (!SyntaxFacts.IsValidIdentifier(property.Name))
            {
                incomplete = true;
                continue;
            }
            Location propertyLocation = PropertyLocation(property, classLocation);
            if (found.Length > 1)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MultipleLayerAttributes, propertyLocation, property.Name));
                continue;
            }
            string? shapeProblem = DescribeInvalidLayerProperty(property, type);
            if (shapeProblem is not null)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidLayerProperty, propertyLocation, property.Name, shapeProblem));
                continue;
            }
            if (GeneratedNames.Network.Contains(property.Name))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.LayerNameConflict, propertyLocation,
                    $"Layer '{property.Name}'", property.Name, type.Name, "the layer"));
                continue;
            }

            AttributeData dense = found[0];
            if (HasErrors(dense))
            {
                incomplete = true;
                continue;
            }
            LayerSpec? layer = ReadDenseLayer(property, dense, type, context.SemanticModel, diagnostics, cancellationToken);
            if (layer is null)
            {
                // Reported, or not readable yet: either way a network without this layer must not be emitted.
                incomplete = true;
                continue;
            }
            layers.Add(layer);
            layerAttributes.Add(dense);
            layerLocations.Add(propertyLocation);
        }

        if (layerProperties.Count == 0 && !incomplete)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NoLayers, classLocation, type.Name));
        }

        cancellationToken.ThrowIfCancellationRequested();

        CheckLayerNames(layers, layerLocations, diagnostics);
        CheckMemberNames(type, layers, layerProperties, diagnostics, cancellationToken);

        string ns = NamespaceText(type);
        var network = new NetworkSpec(ns, type.Name, MetadataName(type), input, (LossKind)lossValue, layers.ToEquatableArray())
        {
            InputShape = inputShape,
        };

        foreach (ShapeProblem problem in NetworkValidator.Validate(network, layersComplete: layers.Count == layerCandidates))
        {
            Location location = problem.Site switch
            {
                ProblemSite.NetworkInput => NamedArgumentLocation(networkSyntax, "Input") ?? networkSyntax?.GetLocation() ?? classLocation,
                ProblemSite.NetworkInputShape => NamedArgumentLocation(networkSyntax, "InputShape") ?? networkSyntax?.GetLocation() ?? classLocation,
                ProblemSite.NetworkLoss => NamedArgumentLocation(networkSyntax, "Loss") ?? networkSyntax?.GetLocation() ?? classLocation,
                _ => LayerArgumentLocation(layerAttributes[problem.LayerIndex], network.Layers[problem.LayerIndex], problem.Site, cancellationToken)
                    ?? layerLocations[problem.LayerIndex],
            };
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ById(problem.DescriptorId), location, problem.Arguments.ToArray()));
        }

        bool hasErrors = incomplete || diagnostics.Any(d => DiagnosticDescriptors.ById(d.DescriptorId).DefaultSeverity == DiagnosticSeverity.Error);
        if (!hasErrors)
        {
            // The emitter sees the flattened feature count; the declared shape stays for the summary.
            int features = inputShape.IsEmpty ? input : NetworkValidator.InputDimensions(network).Aggregate(1, (a, b) => a * b);
            return new NetworkParseResult(network with { Input = features }, null, diagnostics.ToEquatableArray());
        }

        // A stub reopens the class and every type around it, which C# allows only if all are partial.
        EquatableArray<string>? headers = stubProperties.Count > 0 ? TypeHeaders(declaration) : null;
        NetworkStubSpec? stub = headers is { } h
            ? new NetworkStubSpec(ns, type.Name, h, MetadataName(type), stubProperties.ToEquatableArray())
            : null;
        return new NetworkParseResult(null, stub, diagnostics.ToEquatableArray());
    }

    /// <summary>
    /// The implementation part of a partial property definition, mirroring it (modifiers, type, accessors)
    /// so that it matches whatever is wrong with it; none where the definition cannot be mirrored.
    /// </summary>
    private static void AddStub(List<StubPropertySpec> stubs, IPropertySymbol property)
    {
        if (!property.IsPartialDefinition || property.PartialImplementationPart is not null || property.IsIndexer
            || property.RefKind != RefKind.None || property.Type.TypeKind == TypeKind.Error
            || property.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax() is not PropertyDeclarationSyntax syntax
            || syntax.Identifier.IsMissing || syntax.AccessorList is null)
        {
            return;
        }
        var accessors = new List<string>();
        foreach (AccessorDeclarationSyntax accessor in syntax.AccessorList.Accessors)
        {
            if (accessor.Keyword.IsMissing || accessor.Body is not null || accessor.ExpressionBody is not null)
            {
                return;
            }
            accessors.Add(string.Join(" ", accessor.Modifiers.Select(m => m.Text).Concat(new[] { accessor.Keyword.Text })));
        }
        if (accessors.Count == 0)
        {
            return;
        }
        stubs.Add(new StubPropertySpec(
            string.Join(" ", syntax.Modifiers.Select(m => m.Text)),
            property.Type.ToDisplayString(FullyQualifiedWithNullability),
            syntax.Identifier.Text,
            accessors.ToEquatableArray()));
    }

    private static readonly SymbolDisplayFormat FullyQualifiedWithNullability =
        SymbolDisplayFormat.FullyQualifiedFormat.AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    /// <summary>Headers reopening the class and the types around it, outermost first; null if one is not partial.</summary>
    private static EquatableArray<string>? TypeHeaders(TypeDeclarationSyntax declaration)
    {
        var headers = new List<string>();
        for (SyntaxNode? node = declaration; node is not null; node = node.Parent)
        {
            if (node is not TypeDeclarationSyntax type)
            {
                continue;
            }
            if (!type.Modifiers.Any(SyntaxKind.PartialKeyword) || type.Identifier.IsMissing)
            {
                return null;
            }
            string keyword = type is RecordDeclarationSyntax record && !record.ClassOrStructKeyword.IsKind(SyntaxKind.None)
                ? $"record {record.ClassOrStructKeyword.Text}"
                : type.Keyword.Text;
            headers.Add($"partial {keyword} {type.Identifier.Text}{type.TypeParameterList}");
        }
        headers.Reverse();
        return headers.ToEquatableArray();
    }

    /// <summary>
    /// The class's first [Network] attribute, if it is applied to <paramref name="declaration"/>; else null.
    /// A second [Network] on another part of the class (CS0579) reaches this step too, and parsing it as
    /// well would emit the class twice. (The step's own attribute list cannot tell: it holds every [Network]
    /// of the class in the same file.)
    /// </summary>
    private static AttributeData? FirstNetworkAttribute(INamedTypeSymbol type, TypeDeclarationSyntax declaration, CancellationToken cancellationToken)
    {
        foreach (AttributeData candidate in type.GetAttributes())
        {
            if (candidate.AttributeClass?.ToDisplayString() != KnownTypes.NetworkAttribute)
            {
                continue;
            }
            SyntaxNode? owner = candidate.ApplicationSyntaxReference?.GetSyntax(cancellationToken).Parent?.Parent;
            return owner is not null && owner.SyntaxTree == declaration.SyntaxTree && owner.Span == declaration.Span ? candidate : null;
        }
        return null;
    }

    private static string? DescribeUnsupportedClassForm(INamedTypeSymbol type, TypeDeclarationSyntax declaration)
    {
        if (SyntaxFacts.GetKeywordKind(type.Name) != SyntaxKind.None)
        {
            return $"is named with the C# keyword '{type.Name}', which the generated code cannot use; rename the class";
        }
        if (declaration is RecordDeclarationSyntax || type.IsRecord)
        {
            return "is a record; declare it as a plain 'partial class'";
        }
        if (type.IsStatic)
        {
            return "is static; a network must be an instantiable class";
        }
        if (type.IsAbstract)
        {
            return "is abstract; a network must be an instantiable class";
        }
        return null;
    }

    /// <summary>A partial DenseLayer property with no layer attribute and no implementation: the user forgot [Dense].</summary>
    private static bool IsUnimplementedDenseLayer(IPropertySymbol property) =>
        property.IsPartialDefinition && property.PartialImplementationPart is null && !property.IsStatic
        && property.Type.ToDisplayString() == KnownTypes.DenseLayer
        && SyntaxFacts.IsValidIdentifier(property.Name);

    private static string? DescribeInvalidLayerProperty(IPropertySymbol property, INamedTypeSymbol type)
    {
        string hint = DeclareLayerHint.Replace("{0}", property.Name);
        if (SyntaxFacts.GetKeywordKind(property.Name) != SyntaxKind.None)
        {
            return $"is named with the C# keyword '{property.Name}', which the generated code cannot use; rename it";
        }
        if (property.Name == type.Name)
        {
            return "has the name of its class; rename it";
        }
        if (property.IsStatic)
        {
            return "is static; " + hint;
        }
        if (property.Type.ToDisplayString() != KnownTypes.DenseLayer)
        {
            return $"has type '{property.Type.ToDisplayString()}' instead of DenseLayer; {hint}";
        }
        if (property.RefKind != RefKind.None)
        {
            return "returns by reference; " + hint;
        }
        if (property.IsIndexer)
        {
            return "is an indexer; " + hint;
        }
        if (!property.IsPartialDefinition)
        {
            return property.PartialDefinitionPart is not null || IsDeclaredPartial(property)
                ? "already has an implementation; remove it, SourceNet generates it"
                : "is not partial; " + hint;
        }
        if (property.PartialImplementationPart is not null)
        {
            return "already has an implementation; remove it, SourceNet generates it";
        }
        if (property.SetMethod is not null)
        {
            return "has a setter; " + hint;
        }
        if (property.GetMethod is null)
        {
            return "has no getter; " + hint;
        }
        string? modifier = UnsupportedModifier(property);
        if (modifier is not null)
        {
            return $"has the modifier '{modifier}'; {hint}";
        }
        return null;
    }

    private static bool IsDeclaredPartial(IPropertySymbol property) =>
        property.DeclaringSyntaxReferences.Any(r => r.GetSyntax() is PropertyDeclarationSyntax p && p.Modifiers.Any(SyntaxKind.PartialKeyword));

    /// <summary>The generated implementation repeats only accessibility and 'partial': anything else would not match.</summary>
    private static string? UnsupportedModifier(IPropertySymbol property)
    {
        foreach (SyntaxReference reference in property.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax() is not PropertyDeclarationSyntax syntax)
            {
                continue;
            }
            foreach (SyntaxToken modifier in syntax.Modifiers)
            {
                switch (modifier.Kind())
                {
                    case SyntaxKind.PublicKeyword:
                    case SyntaxKind.InternalKeyword:
                    case SyntaxKind.ProtectedKeyword:
                    case SyntaxKind.PrivateKeyword:
                    case SyntaxKind.PartialKeyword:
                        break;
                    default:
                        return modifier.ValueText;
                }
            }
        }
        return null;
    }

    private static LayerSpec? ReadDenseLayer(IPropertySymbol property, AttributeData dense, INamedTypeSymbol type, SemanticModel semanticModel, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
    {
        // A half-typed attribute (an IDE keystroke away from valid) has no bound constructor: skip it silently;
        // the compiler already reports the syntax error.
        if (dense.AttributeConstructor is null || dense.ConstructorArguments.Length == 0 || dense.ConstructorArguments[0].Value is not int units)
        {
            return null;
        }
        var syntax = dense.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax;
        int activationValue = dense.ConstructorArguments.Length > 1 && dense.ConstructorArguments[1].Value is int a ? a : 0;
        var activation = (ActivationKind)activationValue;
        string? custom = NamedString(dense, "CustomActivation");
        if (!string.IsNullOrEmpty(custom))
        {
            string? problem = DescribeCustomActivationProblem(type, custom!, out IMethodSymbol? method);
            if (problem is null && IsHalfTyped(type, custom!, semanticModel, cancellationToken))
            {
                return null;
            }
            if (problem is null)
            {
                // The [Differentiable] generator's own analysis: a body it rejects (SN0100-SN0105) gets no
                // companion, and the generated backward pass would call a missing '{Name}WithGradient'.
                DifferentiableGenerator.CompanionVerdict verdict = new DifferentiableGenerator.Companions(semanticModel.Compilation).Check(method!, cancellationToken);
                if (!verdict.HasCompanion)
                {
                    if (verdict.Reason is null)
                    {
                        return null;
                    }
                    problem = $"'{custom}' cannot be differentiated ({verdict.Explanation})";
                }
            }
            if (problem is not null)
            {
                Location location = NamedArgumentLocation(syntax, "CustomActivation") ?? PropertyLocation(property, Location.None);
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnknownCustomActivation, location, property.Name, custom!, problem));
                return null;
            }
            activation = ActivationKind.Custom;
        }
        else if (activationValue is < (int)ActivationKind.None or > (int)ActivationKind.Tanh)
        {
            Location location = (syntax is null ? null : PositionalArgumentLocation(syntax, 1, "activation")) ?? PropertyLocation(property, Location.None);
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UndefinedEnumValue, location,
                $"The activation of layer '{property.Name}'", $"(Activation){Text(activationValue)}", "Activation"));
            return null;
        }

        return new LayerSpec(
            property.Name,
            WrittenAccessibility(property),
            units,
            activation,
            activation == ActivationKind.Custom ? custom : null,
            NamedFloat(dense, "WeightStdDev", 0.03f),
            NamedFloat(dense, "BiasStdDev", 0.03f))
        {
            Flatten = NamedBool(dense, "Flatten"),
        };
    }

    private static string? DescribeCustomActivationProblem(INamedTypeSymbol type, string name, out IMethodSymbol? match)
    {
        match = null;
        IMethodSymbol[] candidates = type.GetMembers(name).OfType<IMethodSymbol>().ToArray();
        if (candidates.Length == 0)
        {
            return $"'{type.Name}' has no method named '{name}'";
        }
        match = candidates.FirstOrDefault(m =>
            m.IsStatic && m.Parameters.Length == 1 &&
            m.Parameters[0].Type.SpecialType == SpecialType.System_Single &&
            m.ReturnType.SpecialType == SpecialType.System_Single);
        if (match is null)
        {
            return $"'{name}' is not a static method taking and returning one float";
        }
        if (!match.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == KnownTypes.DifferentiableAttribute))
        {
            return $"'{name}' is not marked [Differentiable], so its derivative is unknown";
        }
        return null;
    }

    /// <summary>
    /// Whether the custom activation does not compile yet. The [Differentiable] generator then emits no
    /// '{Name}WithGradient', so a network calling it would fail inside generated code; the compiler already
    /// reports the activation's own errors.
    /// </summary>
    private static bool IsHalfTyped(INamedTypeSymbol type, string name, SemanticModel semanticModel, CancellationToken cancellationToken)
    {
        foreach (IMethodSymbol method in type.GetMembers(name).OfType<IMethodSymbol>())
        {
            foreach (SyntaxReference reference in method.DeclaringSyntaxReferences)
            {
                SyntaxNode syntax = reference.GetSyntax(cancellationToken);
                if (syntax.ContainsDiagnostics)
                {
                    return true;
                }
                SemanticModel model = syntax.SyntaxTree == semanticModel.SyntaxTree
                    ? semanticModel
                    : semanticModel.Compilation.GetSemanticModel(syntax.SyntaxTree);
                if (model.GetDiagnostics(syntax.Span, cancellationToken).Any(d => d.Severity == DiagnosticSeverity.Error))
                {
                    return true;
                }
            }
        }
        return false;
    }

    /// <summary>Two layers whose generated members would collide (SN0015), e.g. 'Hidden' and 'hidden' both make '_hidden'.</summary>
    private static void CheckLayerNames(List<LayerSpec> layers, List<Location> locations, List<DiagnosticInfo> diagnostics)
    {
        var owners = new Dictionary<string, int>();
        for (int i = 0; i < layers.Count; i++)
        {
            string name = layers[i].Name;
            foreach (string generated in new[] { name }.Concat(GeneratedNames.ForLayer(name)))
            {
                if (owners.TryGetValue(generated, out int owner) && owner != i)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DuplicateLayerName, locations[i], layers[owner].Name, name, generated));
                    break;
                }
                owners[generated] = i;
            }
        }
    }

    /// <summary>A member written by hand whose name the emitter also declares (SN0008), reported on that member.</summary>
    private static void CheckMemberNames(INamedTypeSymbol type, List<LayerSpec> layers, HashSet<ISymbol> layerProperties, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
    {
        var generated = new Dictionary<string, string?>();
        foreach (string name in GeneratedNames.Network)
        {
            generated[name] = null;
        }
        foreach (LayerSpec layer in layers)
        {
            foreach (string name in GeneratedNames.ForLayer(layer.Name))
            {
                generated[name] = layer.Name;
            }
        }
        foreach (ISymbol member in type.GetMembers())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (member.IsImplicitlyDeclared || layerProperties.Contains(member) || member is INamedTypeSymbol
                || !generated.TryGetValue(member.Name, out string? layerName))
            {
                continue;
            }
            string owner = layerName is null ? type.Name : $"{type.Name}' for layer '{layerName}";
            Location location = member.Locations.FirstOrDefault() ?? Location.None;
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.LayerNameConflict, location,
                $"Member '{member.Name}'", member.Name, owner, "the member"));
        }
    }

    private static Location? LayerArgumentLocation(AttributeData attribute, LayerSpec layer, ProblemSite site, CancellationToken cancellationToken)
    {
        if (attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) is not AttributeSyntax syntax)
        {
            return null;
        }
        return site switch
        {
            ProblemSite.LayerUnits => PositionalArgumentLocation(syntax, 0, "units") ?? syntax.GetLocation(),
            ProblemSite.LayerActivation when layer.Activation == ActivationKind.Custom =>
                NamedArgumentLocation(syntax, "CustomActivation") ?? syntax.GetLocation(),
            ProblemSite.LayerActivation => PositionalArgumentLocation(syntax, 1, "activation") ?? syntax.GetLocation(),
            ProblemSite.LayerFlatten => NamedArgumentLocation(syntax, "Flatten") ?? syntax.GetLocation(),
            ProblemSite.LayerWeightStdDev => NamedArgumentLocation(syntax, "WeightStdDev") ?? syntax.GetLocation(),
            ProblemSite.LayerBiasStdDev => NamedArgumentLocation(syntax, "BiasStdDev") ?? syntax.GetLocation(),
            _ => syntax.GetLocation(),
        };
    }

    private static Location PropertyLocation(IPropertySymbol property, Location fallback) =>
        property.Locations.FirstOrDefault() ?? fallback;

    private static Location? PositionalArgumentLocation(AttributeSyntax syntax, int position, string parameterName)
    {
        if (syntax.ArgumentList is null)
        {
            return null;
        }
        SeparatedSyntaxList<AttributeArgumentSyntax> arguments = syntax.ArgumentList.Arguments;
        foreach (AttributeArgumentSyntax argument in arguments)
        {
            if (argument.NameColon?.Name.Identifier.ValueText == parameterName)
            {
                return argument.GetLocation();
            }
        }
        int index = 0;
        foreach (AttributeArgumentSyntax argument in arguments)
        {
            if (argument.NameEquals is not null || argument.NameColon is not null)
            {
                continue;
            }
            if (index++ == position)
            {
                return argument.GetLocation();
            }
        }
        return null;
    }

    private static Location? NamedArgumentLocation(AttributeSyntax? syntax, string name)
    {
        if (syntax?.ArgumentList is null)
        {
            return null;
        }
        foreach (AttributeArgumentSyntax argument in syntax.ArgumentList.Arguments)
        {
            if (argument.NameEquals?.Name.Identifier.ValueText == name)
            {
                return argument.GetLocation();
            }
        }
        return null;
    }

    /// <summary>Whether an argument of the attribute does not bind yet (the compiler reports why).</summary>
    private static bool HasErrors(AttributeData attribute)
    {
        if (attribute.AttributeClass is null or IErrorTypeSymbol || attribute.AttributeConstructor is null)
        {
            return true;
        }
        foreach (TypedConstant argument in attribute.ConstructorArguments)
        {
            if (argument.Kind == TypedConstantKind.Error)
            {
                return true;
            }
        }
        foreach (KeyValuePair<string, TypedConstant> pair in attribute.NamedArguments)
        {
            if (pair.Value.Kind == TypedConstantKind.Error)
            {
                return true;
            }
        }
        return false;
    }

    private static bool IsDefinedLoss(int value) => value is (int)LossKind.SoftmaxCrossEntropy or (int)LossKind.MeanSquaredError;

    private static int NamedInt(AttributeData attribute, string name, int fallback)
    {
        foreach (KeyValuePair<string, TypedConstant> pair in attribute.NamedArguments)
        {
            if (pair.Key == name && pair.Value.Value is int value)
            {
                return value;
            }
        }
        return fallback;
    }

    private static bool NamedBool(AttributeData attribute, string name)
    {
        foreach (KeyValuePair<string, TypedConstant> pair in attribute.NamedArguments)
        {
            if (pair.Key == name && pair.Value.Value is bool value)
            {
                return value;
            }
        }
        return false;
    }

    private static EquatableArray<int> NamedIntArray(AttributeData attribute, string name)
    {
        foreach (KeyValuePair<string, TypedConstant> pair in attribute.NamedArguments)
        {
            if (pair.Key == name && pair.Value.Kind == TypedConstantKind.Array && !pair.Value.IsNull)
            {
                var values = new List<int>();
                foreach (TypedConstant element in pair.Value.Values)
                {
                    if (element.Value is int value)
                    {
                        values.Add(value);
                    }
                }
                return values.ToEquatableArray();
            }
        }
        return EquatableArray<int>.Empty;
    }

    private static float NamedFloat(AttributeData attribute, string name, float fallback)
    {
        foreach (KeyValuePair<string, TypedConstant> pair in attribute.NamedArguments)
        {
            if (pair.Key == name)
            {
                return pair.Value.Value switch
                {
                    float f => f,
                    double d => (float)d,
                    int i => i,
                    _ => fallback,
                };
            }
        }
        return fallback;
    }

    private static string? NamedString(AttributeData attribute, string name)
    {
        foreach (KeyValuePair<string, TypedConstant> pair in attribute.NamedArguments)
        {
            if (pair.Key == name)
            {
                return pair.Value.Value as string;
            }
        }
        return null;
    }

    /// <summary>
    /// The accessibility modifiers as written on the definition, empty when there are none: both parts of a
    /// partial member must write the same ones (CS8799), so an implicit 'private' must stay implicit.
    /// </summary>
    private static string WrittenAccessibility(IPropertySymbol property)
    {
        if (property.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax() is not PropertyDeclarationSyntax syntax)
        {
            return string.Empty;
        }
        return string.Join(" ", syntax.Modifiers
            .Where(m => m.IsKind(SyntaxKind.PublicKeyword) || m.IsKind(SyntaxKind.InternalKeyword) || m.IsKind(SyntaxKind.ProtectedKeyword) || m.IsKind(SyntaxKind.PrivateKeyword))
            .Select(m => m.Text));
    }

    /// <summary>Whether every part of the namespace has a name (not so while 'namespace A..B' is being typed).</summary>
    private static bool HasCompleteNamespace(INamedTypeSymbol type)
    {
        for (INamespaceSymbol? ns = type.ContainingNamespace; ns is { IsGlobalNamespace: false }; ns = ns.ContainingNamespace)
        {
            if (!SyntaxFacts.IsValidIdentifier(ns.Name))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>The namespace as C# source: each part that is a keyword written with '@' (<c>@event</c>).</summary>
    private static string NamespaceText(INamedTypeSymbol type)
    {
        var parts = new List<string>();
        for (INamespaceSymbol? ns = type.ContainingNamespace; ns is { IsGlobalNamespace: false }; ns = ns.ContainingNamespace)
        {
            parts.Add(SyntaxFacts.GetKeywordKind(ns.Name) != SyntaxKind.None ? "@" + ns.Name : ns.Name);
        }
        parts.Reverse();
        return string.Join(".", parts);
    }

    /// <summary>Namespace, containing types and metadata name (<c>A.B.Outer.Net`1</c>): unique per class, so a hint name.</summary>
    private static string MetadataName(INamedTypeSymbol type)
    {
        string name = type.MetadataName;
        for (INamedTypeSymbol? outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
        {
            name = outer.MetadataName + "." + name;
        }
        string ns = type.ContainingNamespace is { IsGlobalNamespace: false } n ? n.ToDisplayString() + "." : string.Empty;
        return ns + name;
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
