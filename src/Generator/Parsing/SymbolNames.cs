using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using SourceNet.Generator.Helpers;

namespace SourceNet.Generator.Parsing;

/// <summary>How the generated file names the class: its namespace as source, metadata name, and the headers that reopen it.</summary>
internal static class SymbolNames
{
    /// <summary>The namespace as C# source: each part that is a keyword written with '@' (<c>@event</c>).</summary>
    public static string NamespaceText(INamedTypeSymbol type)
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
    public static string MetadataName(INamedTypeSymbol type)
    {
        string name = type.MetadataName;
        for (INamedTypeSymbol? outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
        {
            name = outer.MetadataName + "." + name;
        }
        string ns = type.ContainingNamespace is { IsGlobalNamespace: false } n ? n.ToDisplayString() + "." : string.Empty;
        return ns + name;
    }

    /// <summary>
    /// Headers reopening the class and the types around it, outermost first; null if a type around it is not
    /// partial. The class itself is reopened as partial even where it lacks the modifier (reported as SN0001).
    /// </summary>
    public static EquatableArray<string>? TypeHeaders(TypeDeclarationSyntax declaration)
    {
        var headers = new List<string>();
        for (SyntaxNode? node = declaration; node is not null; node = node.Parent)
        {
            if (node is not TypeDeclarationSyntax type)
            {
                continue;
            }
            if ((type != declaration && !type.Modifiers.Any(SyntaxKind.PartialKeyword)) || type.Identifier.IsMissing)
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
}
