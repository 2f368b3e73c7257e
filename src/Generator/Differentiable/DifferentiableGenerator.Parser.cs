using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using SourceNet.Generator.Diagnostics;
using SourceNet.Generator.Differentiable.Model;
using SourceNet.Generator.Helpers;

namespace SourceNet.Generator.Differentiable;

public sealed partial class DifferentiableGenerator
{
    /// <summary>
    /// Syntax and semantics to IR. The body must be straight-line code: each local declaration or assignment
    /// binds a name to an IR node; the final <c>return</c> names the result. Anything else is reported with
    /// its location, and then no companion is emitted for the method.
    /// </summary>
    internal static partial class Parser
    {
        private static readonly SymbolDisplayFormat s_fullyQualified = SymbolDisplayFormat.FullyQualifiedFormat;

        public static ParseResult Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
        {
            if (context.TargetNode is LocalFunctionStatementSyntax local)
            {
                return new ParseResult(string.Empty, string.Empty, EquatableArray<string>.Empty, null, new EquatableArray<DiagnosticInfo>(new[] { LocalFunction(local) }));
            }
            if (context.TargetSymbol is not IMethodSymbol method || context.TargetNode is not MethodDeclarationSyntax syntax)
            {
                return Empty;
            }
            return new Companions(context.SemanticModel.Compilation).Parse(method, syntax, context.SemanticModel, cancellationToken);
        }

        private static ParseResult Empty { get; } = new(string.Empty, string.Empty, EquatableArray<string>.Empty, null, EquatableArray<DiagnosticInfo>.Empty);

        /// <summary>A local function has no type to add a companion to.</summary>
        internal static DiagnosticInfo LocalFunction(LocalFunctionStatementSyntax local) =>
            DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedDifferentiableSignature, local.Identifier.GetLocation(), local.Identifier.ValueText,
                "is a local function; declare it as a static method of a partial type");

        /// <summary><see cref="ParseMethod"/>, turning a walker's surprise into silence (half-typed code) or a diagnostic (code that compiles).</summary>
        internal static ParseResult ParseSafely(IMethodSymbol method, MethodDeclarationSyntax syntax, SemanticModel model, Companions companions, CancellationToken cancellationToken)
        {
            try
            {
                return ParseMethod(method, syntax, model, companions, cancellationToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // Half-typed code can surprise a walker: the compiler reports the real error, and we stay silent.
                // Code that compiles must not lose its companion without a word, though.
                if (model.GetDiagnostics(syntax.Span, cancellationToken).Any(static d => d.Severity == DiagnosticSeverity.Error))
                {
                    return Empty;
                }
                return new ParseResult(string.Empty, string.Empty, EquatableArray<string>.Empty, null, new EquatableArray<DiagnosticInfo>(new[]
                {
                    DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedDifferentiableExpression, syntax.Identifier.GetLocation(), method.Name,
                        $"SourceNet failed to analyse it ({exception.GetType().Name}: {exception.Message}); please report this"),
                }));
            }
        }

        private static ParseResult ParseMethod(IMethodSymbol method, MethodDeclarationSyntax syntax, SemanticModel model, Companions companions, CancellationToken cancellationToken)
        {
            INamedTypeSymbol type = method.ContainingType;
            if (!HasWholeNames(type, syntax))
            {
                // A type or namespace still being named (`namespace Samples..Images`, `partial class {`): the
                // compiler reports it, and a companion would not parse.
                return Empty;
            }
            string hintName = HintName(MetadataName(type)) + ".Differentiable.g.cs";
            string ns = NamespaceName(type.ContainingNamespace);
            var diagnostics = new List<DiagnosticInfo>();
            Location at = syntax.Identifier.GetLocation();

            ParseResult Fail(DiagnosticInfo? diagnostic = null)
            {
                if (diagnostic is not null)
                {
                    diagnostics.Add(diagnostic);
                }
                return new ParseResult(hintName, ns, EquatableArray<string>.Empty, null, diagnostics.ToEquatableArray());
            }

            // The companion is added to every enclosing type, so each must be partial.
            var headers = new List<string>();
            foreach (TypeDeclarationSyntax declaration in syntax.Ancestors().OfType<TypeDeclarationSyntax>().Reverse())
            {
                if (!declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
                {
                    return Fail(DiagnosticInfo.Create(DiagnosticDescriptors.DifferentiableTypeNotPartial, at, declaration.Identifier.ValueText, method.Name));
                }
                if (declaration.Modifiers.Any(SyntaxKind.FileKeyword))
                {
                    return Fail(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedDifferentiableSignature, at, method.Name,
                        $"is in the file-local type '{declaration.Identifier.ValueText}', which generated code (in its own file) cannot extend"));
                }
                headers.Add(TypeHeader(declaration));
            }
            if (headers.Count == 0)
            {
                return Empty;
            }

            // Signature.
            if (method.ReturnType.TypeKind == TypeKind.Error || method.Parameters.Any(static p => p.Type.TypeKind == TypeKind.Error))
            {
                return Empty;
            }
            ScalarType scalar;
            switch (method.ReturnType.SpecialType)
            {
                case SpecialType.System_Single: scalar = ScalarType.Float; break;
                case SpecialType.System_Double: scalar = ScalarType.Double; break;
                default:
                    return Fail(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedDifferentiableSignature, syntax.ReturnType.GetLocation(), method.Name,
                        $"returns '{method.ReturnType.ToDisplayString()}'; it must return float or double"));
            }
            if (!method.IsStatic)
            {
                return Fail(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedDifferentiableSignature, at, method.Name, "is not static; only static methods can be differentiated"));
            }
            if (method.IsGenericMethod)
            {
                return Fail(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedDifferentiableSignature, at, method.Name, "is generic; write it for float or double"));
            }
            if (syntax.Body is null && syntax.ExpressionBody is null)
            {
                return Fail(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedDifferentiableSignature, at, method.Name, "has no body to differentiate"));
            }
            if (method.Parameters.Length == 0)
            {
                return Fail(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedDifferentiableSignature, at, method.Name, "has no parameters to differentiate with respect to"));
            }

            var builder = new IrBuilder();
            var body = new BodyParser(model, builder, scalar, method.Name, diagnostics, companions, cancellationToken);
            var names = new HashSet<string>(method.Parameters.Select(static p => p.Name), StringComparer.Ordinal);
            for (int i = 0; i < method.Parameters.Length; i++)
            {
                IParameterSymbol parameter = method.Parameters[i];
                Location parameterAt = syntax.ParameterList.Parameters[i].GetLocation();
                bool isSpan = IsSpanOf(parameter.Type, scalar, readOnly: true);
                if (parameter.RefKind != RefKind.None || parameter.IsParams || (!isSpan && !SymbolEqualityComparer.Default.Equals(parameter.Type, method.ReturnType)))
                {
                    return Fail(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedDifferentiableSignature, parameterAt, method.Name,
                        $"has parameter '{parameter.Name}' of type '{(parameter.RefKind == RefKind.None ? string.Empty : parameter.RefKind.ToString().ToLowerInvariant() + " ")}{parameter.Type.ToDisplayString()}'; parameters must be '{Keyword(scalar)}' or 'System.ReadOnlySpan<{Keyword(scalar)}>', passed by value"));
                }
                string name = Escape(parameter.Name);
                string gradient = IrBuilder.GradientName(parameter.Name);
                if (names.Contains(gradient))
                {
                    return Fail(DiagnosticInfo.Create(DiagnosticDescriptors.GradientNameConflict, parameterAt, parameter.Name, gradient, method.Name));
                }
                body.Bind(parameter, builder.Parameter(name, isSpan), isSpan);
            }

            cancellationToken.ThrowIfCancellationRequested();
            int result = syntax.Body is not null ? body.Block(syntax.Body) : body.Expression(syntax.ExpressionBody!.Expression);
            if (body.AbortedAt is { } unbound && diagnostics.Count == 0
                && !model.GetDiagnostics(syntax.Span, cancellationToken).Any(static d => d.Severity == DiagnosticSeverity.Error))
            {
                // The code compiles, yet the walker could not bind it (say, a tuple assignment): never stay silent.
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedDifferentiableExpression, unbound.GetLocation(), OneLine(unbound.ToString()),
                    "SourceNet cannot analyse this construct"));
            }
            if (body.Aborted || diagnostics.Count > 0 || result < 0)
            {
                return Fail();
            }

            cancellationToken.ThrowIfCancellationRequested();
            DifferentiableMethodSpec spec = builder.Build(method.Name, scalar, result);
            return new ParseResult(hintName, ns, headers.ToEquatableArray(), spec, EquatableArray<DiagnosticInfo>.Empty);
        }

        /// <summary>Whether the type, every type it is nested in and its namespace all have complete names.</summary>
        private static bool HasWholeNames(INamedTypeSymbol type, MethodDeclarationSyntax syntax)
        {
            for (INamedTypeSymbol? t = type; t is not null; t = t.ContainingType)
            {
                if (t.Name.Length == 0)
                {
                    return false;
                }
            }
            for (INamespaceSymbol? n = type.ContainingNamespace; n is { IsGlobalNamespace: false }; n = n.ContainingNamespace)
            {
                if (n.Name.Length == 0)
                {
                    return false;
                }
            }
            foreach (SyntaxNode ancestor in syntax.Ancestors())
            {
                switch (ancestor)
                {
                    case TypeDeclarationSyntax declaration when declaration.Identifier.IsMissing || (declaration.TypeParameterList?.ContainsDiagnostics ?? false):
                    case BaseNamespaceDeclarationSyntax { Name.ContainsDiagnostics: true }:
                        return false;
                }
            }
            return true;
        }

        /// <summary>The namespace as C# text (keywords escaped), or empty for the global namespace.</summary>
        private static string NamespaceName(INamespaceSymbol? ns)
        {
            var parts = new List<string>();
            for (; ns is { IsGlobalNamespace: false }; ns = ns.ContainingNamespace)
            {
                parts.Add(Escape(ns.Name));
            }
            parts.Reverse();
            return string.Join(".", parts);
        }

        private static string TypeHeader(TypeDeclarationSyntax declaration)
        {
            string keyword = declaration switch
            {
                RecordDeclarationSyntax record => record.ClassOrStructKeyword.IsKind(SyntaxKind.StructKeyword) ? "record struct" : "record",
                _ => declaration.Keyword.ValueText,
            };
            string prefix = declaration.Modifiers.Any(SyntaxKind.RefKeyword) ? "ref " : string.Empty;
            return $"{prefix}partial {keyword} {declaration.Identifier.ValueText}{declaration.TypeParameterList?.ToString() ?? string.Empty}";
        }

        /// <summary>The type's full metadata name (<c>Ns.Outer+Inner</c>), which is unique per type.</summary>
        private static string MetadataName(INamedTypeSymbol type)
        {
            string name = type.MetadataName;
            for (INamedTypeSymbol? outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
            {
                name = outer.MetadataName + "+" + name;
            }
            string ns = NamespaceName(type.ContainingNamespace).Replace("@", string.Empty);
            return ns.Length > 0 ? ns + "." + name : name;
        }

        /// <summary>The metadata name with characters a hint name cannot hold (file-local types have some) replaced.</summary>
        private static string HintName(string metadataName)
        {
            var name = new StringBuilder(metadataName.Length);
            foreach (char c in metadataName)
            {
                name.Append(char.IsLetterOrDigit(c) || c is '.' or '_' or '-' or '+' or '`' ? c : '_');
            }
            return name.ToString();
        }

        internal static string Keyword(ScalarType scalar) => scalar == ScalarType.Float ? "float" : "double";

        private static string Escape(string name) =>
            SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None ? "@" + name : name;

        private static bool IsSpanOf(ITypeSymbol type, ScalarType scalar, bool readOnly) =>
            type is INamedTypeSymbol { IsGenericType: true, TypeArguments.Length: 1 } named
            && named.ContainingNamespace?.ToDisplayString() == "System"
            && named.Name == (readOnly ? "ReadOnlySpan" : "Span")
            && named.TypeArguments[0].SpecialType == (scalar == ScalarType.Float ? SpecialType.System_Single : SpecialType.System_Double);

        private static bool IsScalar(ITypeSymbol? type, ScalarType scalar) =>
            type?.SpecialType == (scalar == ScalarType.Float ? SpecialType.System_Single : SpecialType.System_Double);

        private static bool IsFloatingPoint(ITypeSymbol? type) =>
            type?.SpecialType is SpecialType.System_Single or SpecialType.System_Double;

        /// <summary>Source text on one line, for comments in the generated code.</summary>
        internal static string OneLine(string text)
        {
            var line = new StringBuilder(text.Length);
            bool space = false;
            foreach (char c in text)
            {
                if (char.IsWhiteSpace(c))
                {
                    space = line.Length > 0;
                    continue;
                }
                if (space)
                {
                    line.Append(' ');
                    space = false;
                }
                line.Append(c);
            }
            return line.ToString();
        }
    }
}
