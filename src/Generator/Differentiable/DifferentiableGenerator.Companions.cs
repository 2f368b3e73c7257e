using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using SourceNet.Generator.Diagnostics;

namespace SourceNet.Generator.Differentiable;

public sealed partial class DifferentiableGenerator
{
    /// <summary>Whether a <c>[Differentiable]</c> method gets its <c>{Name}WithGradient</c> companion, and if not, why.</summary>
    /// <param name="HasCompanion">Whether the generator emits (or a referenced assembly holds) the companion.</param>
    /// <param name="Reason">
    /// The first diagnostic the generator reports on the method when it has no companion; <see langword="null"/>
    /// when the method does not compile yet (the compiler's errors say why, and the generator stays silent).
    /// </param>
    internal sealed record CompanionVerdict(bool HasCompanion, DiagnosticInfo? Reason)
    {
        /// <summary>The reason as one line, <c>SN0102: 'if' cannot be differentiated in 'Swish': …</c>.</summary>
        public string Explanation =>
            Reason is null ? "it does not compile" : Reason.DescriptorId + ": " + Reason.ToDiagnostic().GetMessage(CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// The one answer to "is this method differentiable?": it runs the parser itself, so the code that calls a
    /// companion (another [Differentiable] body, a network's custom activation) never disagrees with the code
    /// that emits it. One instance serves one pipeline transform: verdicts are memoised within it, and a method
    /// reached again while it is being analysed (recursion) is assumed to have a companion — its own analysis
    /// decides — so a success that rested on that assumption is not memoised.
    /// </summary>
    internal sealed class Companions
    {
        private readonly Compilation _compilation;
        private readonly Dictionary<IMethodSymbol, CompanionVerdict> _verdicts = new(SymbolEqualityComparer.Default);
        private readonly HashSet<IMethodSymbol> _inProgress = new(SymbolEqualityComparer.Default);
        private int _assumptions;

        public Companions(Compilation compilation) => _compilation = compilation;

        /// <summary>Whether <paramref name="method"/>, which carries [Differentiable], gets a companion.</summary>
        public CompanionVerdict Check(IMethodSymbol method, CancellationToken cancellationToken)
        {
            method = method.OriginalDefinition;
            if (_verdicts.TryGetValue(method, out CompanionVerdict? known))
            {
                return known;
            }
            if (_inProgress.Contains(method))
            {
                _assumptions++;
                return new CompanionVerdict(true, null);
            }

            int assumptionsBefore = _assumptions;
            CompanionVerdict verdict = Decide(method, cancellationToken);
            if (!verdict.HasCompanion || _assumptions == assumptionsBefore)
            {
                _verdicts[method] = verdict;
            }
            return verdict;
        }

        /// <summary>Parses one method, marking it as being analysed while its body (and its callees) are walked.</summary>
        public ParseResult Parse(IMethodSymbol method, MethodDeclarationSyntax syntax, SemanticModel model, CancellationToken cancellationToken)
        {
            IMethodSymbol key = method.OriginalDefinition;
            bool entered = _inProgress.Add(key);
            try
            {
                return Parser.ParseSafely(method, syntax, model, this, cancellationToken);
            }
            finally
            {
                if (entered)
                {
                    _inProgress.Remove(key);
                }
            }
        }

        private CompanionVerdict Decide(IMethodSymbol method, CancellationToken cancellationToken)
        {
            // The node the generator's ForAttributeWithMetadataName transform receives: the declaration the attribute is on.
            AttributeData? attribute = method.GetAttributes().FirstOrDefault(static a => a.AttributeClass?.ToDisplayString() == AttributeName);
            SyntaxNode? target = attribute?.ApplicationSyntaxReference?.GetSyntax(cancellationToken).Parent?.Parent;
            switch (target)
            {
                case null when attribute is not null && method.DeclaringSyntaxReferences.IsEmpty:
                    // From a referenced assembly, whose own build generated (or did not generate) the companion.
                    return method.ContainingType.GetMembers(method.Name + "WithGradient").OfType<IMethodSymbol>().Any()
                        ? new CompanionVerdict(true, null)
                        : new CompanionVerdict(false, DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedDifferentiableCall, Location.None, method.Name,
                            $"its assembly has no '{method.Name}WithGradient'"));

                case LocalFunctionStatementSyntax local:
                    return new CompanionVerdict(false, Parser.LocalFunction(local));

                case MethodDeclarationSyntax syntax when _compilation.ContainsSyntaxTree(syntax.SyntaxTree):
                    {
                        ParseResult result = Parse(method, syntax, _compilation.GetSemanticModel(syntax.SyntaxTree), cancellationToken);
                        return result.Method is not null
                            ? new CompanionVerdict(true, null)
                            : new CompanionVerdict(false, result.Diagnostics.Count > 0 ? result.Diagnostics[0] : null);
                    }

                default:
                    // No [Differentiable] attribute, or one the compiler cannot place yet: no companion, nothing to add.
                    return new CompanionVerdict(false, null);
            }
        }
    }
}
