using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using SourceNet.Generator.Diagnostics;
using SourceNet.Generator.Helpers;
using SourceNet.Generator.Model;
using SourceNet.Generator.Shapes;

namespace SourceNet.Generator;

/// <summary>The parse step's output: a network to emit (null when it has errors) and its diagnostics.</summary>
internal sealed record NetworkParseResult(NetworkSpec? Network, EquatableArray<DiagnosticInfo> Diagnostics);

public sealed partial class NetworkGenerator
{
    /// <summary>
    /// Syntax + semantics -> <see cref="NetworkSpec"/>. Everything Roslyn-specific (symbols, locations)
    /// stays inside this method; what leaves it is plain data. Never throws on half-typed code: whatever
    /// cannot be read is reported or skipped, and a network with errors is not emitted.
    /// </summary>
    internal static NetworkParseResult Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        var diagnostics = new List<DiagnosticInfo>();
        if (context.TargetSymbol is not INamedTypeSymbol type || context.TargetNode is not ClassDeclarationSyntax declaration)
        {
            return new NetworkParseResult(null, EquatableArray<DiagnosticInfo>.Empty);
        }

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
        if (type.IsStatic || type.IsAbstract)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.StaticOrAbstractNetwork, classLocation, type.Name, type.IsStatic ? "static" : "abstract"));
        }

        AttributeData networkAttribute = context.Attributes[0];
        var networkSyntax = networkAttribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax;
        int input = NamedInt(networkAttribute, "Input", 0);
        var loss = (LossKind)NamedInt(networkAttribute, "Loss", (int)LossKind.SoftmaxCrossEntropy);

        cancellationToken.ThrowIfCancellationRequested();

        var layers = new List<LayerSpec>();
        var layerAttributes = new List<AttributeData>();
        var layerLocations = new List<Location>();
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
                continue;
            }
            Location propertyLocation = property.Locations.FirstOrDefault() ?? classLocation;
            if (found.Length > 1)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MultipleLayerAttributes, propertyLocation, property.Name));
                continue;
            }
            string? shapeProblem = DescribeInvalidLayerProperty(property);
            if (shapeProblem is not null)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidLayerProperty, propertyLocation, property.Name, shapeProblem));
                continue;
            }
            if (GeneratedMemberNames.Contains(property.Name))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.LayerNameConflict, propertyLocation, property.Name, type.Name));
                continue;
            }

            AttributeData dense = found[0];
            LayerSpec? layer = ReadDenseLayer(property, dense, type, diagnostics, cancellationToken);
            if (layer is null)
            {
                continue;
            }
            layers.Add(layer);
            layerAttributes.Add(dense);
            layerLocations.Add(propertyLocation);
        }

        if (layers.Count == 0 && diagnostics.Count == 0)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NoLayers, classLocation, type.Name));
        }

        cancellationToken.ThrowIfCancellationRequested();

        string ns = type.ContainingNamespace is { IsGlobalNamespace: false } n ? n.ToDisplayString() : string.Empty;
        var network = new NetworkSpec(ns, type.Name, MetadataName(type), input, loss, layers.ToEquatableArray());

        foreach (ShapeProblem problem in NetworkValidator.Validate(network))
        {
            Location location = problem.Site switch
            {
                ProblemSite.NetworkInput => NamedArgumentLocation(networkSyntax, "Input") ?? networkSyntax?.GetLocation() ?? classLocation,
                ProblemSite.NetworkLoss => NamedArgumentLocation(networkSyntax, "Loss") ?? networkSyntax?.GetLocation() ?? classLocation,
                _ => LayerArgumentLocation(layerAttributes[problem.LayerIndex], problem.Site, cancellationToken) ?? layerLocations[problem.LayerIndex],
            };
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ById(problem.DescriptorId), location, problem.Arguments));
        }

        return new NetworkParseResult(diagnostics.Count == 0 ? network : null, diagnostics.ToEquatableArray());
    }

    /// <summary>Members the emitter adds to every network; a layer may not take one of these names.</summary>
    internal static readonly ImmutableHashSet<string> GeneratedMemberNames = ImmutableHashSet.Create(
        "TrainStep", "ComputeGradients", "ComputeLoss", "Forward", "Predict", "Evaluate", "Parameters",
        "MaxBatchSize", "InputCount", "OutputCount", "InputSize", "OutputSize", "Summary", "MermaidGraph",
        "ParameterCount", "Layers");

    private static string? DescribeInvalidLayerProperty(IPropertySymbol property)
    {
        if (property.IsStatic)
        {
            return "is static";
        }
        if (property.Type.ToDisplayString() != KnownTypes.DenseLayer)
        {
            return $"has type '{property.Type.ToDisplayString()}' instead of DenseLayer";
        }
        if (!property.IsPartialDefinition && property.PartialDefinitionPart is null)
        {
            return "is not partial";
        }
        if (property.SetMethod is not null)
        {
            return "has a setter";
        }
        if (property.GetMethod is null)
        {
            return "has no getter";
        }
        if (property.IsIndexer)
        {
            return "is an indexer";
        }
        return null;
    }

    private static LayerSpec? ReadDenseLayer(IPropertySymbol property, AttributeData dense, INamedTypeSymbol type, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
    {
        // A half-typed attribute (an IDE keystroke away from valid) has no bound constructor: skip it silently;
        // the compiler already reports the syntax error.
        if (dense.AttributeConstructor is null || dense.ConstructorArguments.Length == 0 || dense.ConstructorArguments[0].Value is not int units)
        {
            return null;
        }
        int activationValue = dense.ConstructorArguments.Length > 1 && dense.ConstructorArguments[1].Value is int a ? a : 0;
        var activation = (ActivationKind)activationValue;
        string? custom = NamedString(dense, "CustomActivation");
        if (!string.IsNullOrEmpty(custom))
        {
            string? problem = DescribeCustomActivationProblem(type, custom!);
            if (problem is not null)
            {
                Location location = NamedArgumentLocation(dense.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax, "CustomActivation")
                    ?? property.Locations.FirstOrDefault() ?? Location.None;
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnknownCustomActivation, location, property.Name, custom!, problem));
                return null;
            }
            activation = ActivationKind.Custom;
        }
        else if (activation is < ActivationKind.None or > ActivationKind.Tanh)
        {
            activation = ActivationKind.None;
        }

        return new LayerSpec(
            property.Name,
            AccessibilityText(property.DeclaredAccessibility),
            units,
            activation,
            activation == ActivationKind.Custom ? custom : null,
            NamedFloat(dense, "WeightStdDev", 0.03f),
            NamedFloat(dense, "BiasStdDev", 0.03f));
    }

    private static string? DescribeCustomActivationProblem(INamedTypeSymbol type, string name)
    {
        IMethodSymbol[] candidates = type.GetMembers(name).OfType<IMethodSymbol>().ToArray();
        if (candidates.Length == 0)
        {
            return $"'{type.Name}' has no method named '{name}'";
        }
        IMethodSymbol? match = candidates.FirstOrDefault(m =>
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

    private static Location? LayerArgumentLocation(AttributeData attribute, ProblemSite site, CancellationToken cancellationToken)
    {
        if (attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) is not AttributeSyntax syntax)
        {
            return null;
        }
        return site switch
        {
            ProblemSite.LayerUnits => PositionalArgumentLocation(syntax, 0, "units") ?? syntax.GetLocation(),
            ProblemSite.LayerActivation => PositionalArgumentLocation(syntax, 1, "activation")
                ?? NamedArgumentLocation(syntax, "CustomActivation") ?? syntax.GetLocation(),
            ProblemSite.LayerWeightStdDev => NamedArgumentLocation(syntax, "WeightStdDev") ?? syntax.GetLocation(),
            ProblemSite.LayerBiasStdDev => NamedArgumentLocation(syntax, "BiasStdDev") ?? syntax.GetLocation(),
            _ => syntax.GetLocation(),
        };
    }

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

    private static string AccessibilityText(Accessibility accessibility) => accessibility switch
    {
        Accessibility.Public => "public",
        Accessibility.Internal => "internal",
        Accessibility.Protected => "protected",
        Accessibility.ProtectedOrInternal => "protected internal",
        Accessibility.ProtectedAndInternal => "private protected",
        _ => "private",
    };

    private static string MetadataName(INamedTypeSymbol type)
    {
        string ns = type.ContainingNamespace is { IsGlobalNamespace: false } n ? n.ToDisplayString() + "." : string.Empty;
        return ns + type.MetadataName;
    }
}
