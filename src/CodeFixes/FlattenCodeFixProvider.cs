using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using SourceNet.Generator.Diagnostics;

namespace SourceNet.CodeFixes;

/// <summary>
/// Fixes the flatten diagnostics on a layer attribute: SN0017 (a dense layer given a multi-dimensional
/// input) by adding <c>Flatten = true</c>, SN0018 (Flatten on a vector) by removing the argument.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(FlattenCodeFixProvider))]
[Shared]
public sealed class FlattenCodeFixProvider : CodeFixProvider
{
    /// <summary>Title of the SN0017 fix.</summary>
    public const string AddTitle = "Flatten the input (Flatten = true)";

    /// <summary>Title of the SN0018 fix.</summary>
    public const string RemoveTitle = "Remove Flatten";

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.DenseNeedsVectorInputId, DiagnosticDescriptors.FlattenHasNoEffectId);

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            // SN0017 points at the attribute's name (or a Flatten = false), SN0018 at its Flatten argument: both sit inside the attribute.
            AttributeSyntax? attribute = root?.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true)
                .AncestorsAndSelf().OfType<AttributeSyntax>().FirstOrDefault();
            if (attribute is null)
            {
                continue;
            }
            AttributeArgumentSyntax? flatten = attribute.ArgumentList?.Arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == "Flatten");
            if (diagnostic.Id == DiagnosticDescriptors.DenseNeedsVectorInputId)
            {
                AttributeSyntax fixedAttribute = flatten is not null
                    ? attribute.ReplaceNode(flatten, FlattenTrue().WithTriviaFrom(flatten))
                    : attribute.WithArgumentList(WithAddedArgument(attribute.ArgumentList, FlattenTrue()));
                Register(context, diagnostic, AddTitle, root!, attribute, fixedAttribute);
            }
            else if (flatten is not null)
            {
                AttributeSyntax fixedAttribute = attribute.WithArgumentList(attribute.ArgumentList!.WithArguments(attribute.ArgumentList.Arguments.Remove(flatten)));
                Register(context, diagnostic, RemoveTitle, root!, attribute, fixedAttribute);
            }
        }
    }

    private static void Register(CodeFixContext context, Diagnostic diagnostic, string title, SyntaxNode root, AttributeSyntax attribute, AttributeSyntax fixedAttribute)
    {
        Document document = context.Document;
        context.RegisterCodeFix(
            CodeAction.Create(title, (CancellationToken _) => Task.FromResult(document.WithSyntaxRoot(root.ReplaceNode(attribute, fixedAttribute))), equivalenceKey: title),
            diagnostic);
    }

    private static AttributeArgumentSyntax FlattenTrue() =>
        SyntaxFactory.ParseAttributeArgumentList("(Flatten = true)")!.Arguments[0];

    /// <summary>Appends an argument after ", ", keeping the existing arguments and separators as written.</summary>
    private static AttributeArgumentListSyntax WithAddedArgument(AttributeArgumentListSyntax? list, AttributeArgumentSyntax argument)
    {
        if (list is null || list.Arguments.Count == 0)
        {
            return SyntaxFactory.AttributeArgumentList(SyntaxFactory.SingletonSeparatedList(argument));
        }
        SyntaxNodeOrTokenList items = list.Arguments.GetWithSeparators()
            .Add(SyntaxFactory.Token(SyntaxKind.CommaToken).WithTrailingTrivia(SyntaxFactory.Space))
            .Add(argument);
        return list.WithArguments(SyntaxFactory.SeparatedList<AttributeArgumentSyntax>(items));
    }
}
