using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using SourceNet.Generator.Diagnostics;
using SourceNet.Generator.Model;

namespace SourceNet.Generator.Parsing;

/// <summary>What the network class itself must be: partial, not generic, not nested, a plain instantiable class.</summary>
internal static class ClassChecks
{
    public static void Report(INamedTypeSymbol type, TypeDeclarationSyntax declaration, Location classLocation, List<DiagnosticInfo> diagnostics)
    {
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
        string? formProblem = DescribeUnsupportedForm(type, declaration);
        if (formProblem is not null)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.StaticOrAbstractNetwork, classLocation, type.Name, formProblem));
        }
    }

    /// <summary>
    /// The class's first [Network] attribute, if it is applied to <paramref name="declaration"/>; else null.
    /// A second [Network] on another part of the class (CS0579) reaches this step too, and parsing it as
    /// well would emit the class twice. (The step's own attribute list cannot tell: it holds every [Network]
    /// of the class in the same file.)
    /// </summary>
    public static AttributeData? FirstNetworkAttribute(INamedTypeSymbol type, TypeDeclarationSyntax declaration, CancellationToken cancellationToken)
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

    /// <summary>Whether every part of the namespace has a name (not so while 'namespace A..B' is being typed).</summary>
    public static bool HasCompleteNamespace(INamedTypeSymbol type)
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

    private static string? DescribeUnsupportedForm(INamedTypeSymbol type, TypeDeclarationSyntax declaration)
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
}
