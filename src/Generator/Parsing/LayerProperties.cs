using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using SourceNet.Generator.Helpers;
using SourceNet.Generator.Layers;
using SourceNet.Generator.Model;

namespace SourceNet.Generator.Parsing;

/// <summary>
/// The layer properties of a network class: which attribute makes a property a layer, what the property must
/// look like for the generator to implement it, and the throwing stub that implements it when the network has errors.
/// </summary>
internal static class LayerProperties
{
    /// <summary>The layer attributes on <paramref name="property"/>, with their kinds.</summary>
    public static List<(LayerKind Kind, AttributeData Attribute)> LayerAttributes(IPropertySymbol property)
    {
        var found = new List<(LayerKind, AttributeData)>();
        foreach (AttributeData attribute in property.GetAttributes())
        {
            if (attribute.AttributeClass is { } c && LayerKinds.ByAttribute(c.ToDisplayString()) is { } kind)
            {
                found.Add((kind, attribute));
            }
        }
        return found;
    }

    /// <summary>A partial property of a layer type with no layer attribute and no implementation: the user forgot the attribute.</summary>
    public static bool IsUnimplementedLayer(IPropertySymbol property) =>
        property.IsPartialDefinition && property.PartialImplementationPart is null && !property.IsStatic
        && LayerKinds.IsLayerType(property.Type.ToDisplayString())
        && SyntaxFacts.IsValidIdentifier(property.Name);

    /// <summary>What is wrong with the property as a layer of <paramref name="kind"/>, or null.</summary>
    public static string? DescribeInvalid(IPropertySymbol property, INamedTypeSymbol type, LayerKind kind)
    {
        string runtimeName = kind.RuntimeType.Substring(kind.RuntimeType.LastIndexOf('.') + 1);
        string hint = $"declare it as 'public partial {runtimeName} {property.Name} {{ get; }}'";
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
        if (property.Type.ToDisplayString() != kind.RuntimeType)
        {
            return $"has type '{property.Type.ToDisplayString()}' instead of {runtimeName}, the type of a {kind.Name} layer; {hint}";
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
        return modifier is null ? null : $"has the modifier '{modifier}'; {hint}";
    }

    /// <summary>
    /// The accessibility modifiers as written on the definition, empty when there are none: both parts of a
    /// partial member must write the same ones (CS8799), so an implicit 'private' must stay implicit.
    /// </summary>
    public static string WrittenAccessibility(IPropertySymbol property)
    {
        if (property.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax() is not PropertyDeclarationSyntax syntax)
        {
            return string.Empty;
        }
        return string.Join(" ", syntax.Modifiers
            .Where(m => m.IsKind(SyntaxKind.PublicKeyword) || m.IsKind(SyntaxKind.InternalKeyword) || m.IsKind(SyntaxKind.ProtectedKeyword) || m.IsKind(SyntaxKind.PrivateKeyword))
            .Select(m => m.Text));
    }

    /// <summary>
    /// The implementation part of a partial property definition, mirroring it (modifiers, type, accessors)
    /// so that it matches whatever is wrong with it; none where the definition cannot be mirrored.
    /// </summary>
    public static void AddStub(List<StubPropertySpec> stubs, IPropertySymbol property)
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
}
