using System.Collections.Immutable;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using SourceNet.Generator.Tests.Harness;

namespace SourceNet.Generator.Tests.CodeFixes;

/// <summary>Applies a code fix the way the IDE does: generator diagnostic -> workspace document -> code action.</summary>
public static class CodeFixRunner
{
    /// <summary>
    /// Runs the generators on <paramref name="source"/>, offers <paramref name="provider"/> the one
    /// <paramref name="id"/> diagnostic, applies the single action titled <paramref name="title"/>, checks
    /// that the diagnostic is gone when the generators run again, and returns the fixed text.
    /// </summary>
    public static async Task<string> ApplySingleFix(CodeFixProvider provider, string source, string id, string title)
    {
        GeneratorRun run = GeneratorHarness.Run(source);
        Diagnostic diagnostic = Assert.Single(run.GeneratorDiagnostics, d => d.Id == id);

        using var workspace = new AdhocWorkspace();
        Project project = workspace.AddProject("User", LanguageNames.CSharp)
            .WithParseOptions(GeneratorHarness.ParseOptions)
            .WithCompilationOptions(new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary))
            .AddMetadataReferences(run.Input.References);
        Document document = project.AddDocument("Model0.cs", SourceText.From(source), filePath: "/src/Model0.cs");

        var actions = new List<CodeAction>();
        var context = new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), CancellationToken.None);
        await provider.RegisterCodeFixesAsync(context);
        CodeAction fix = Assert.Single(actions);
        Assert.Equal(title, fix.Title);

        ImmutableArray<CodeActionOperation> operations = await fix.GetOperationsAsync(CancellationToken.None);
        Solution solution = Assert.Single(operations.OfType<ApplyChangesOperation>()).ChangedSolution;
        string after = (await solution.GetDocument(document.Id)!.GetTextAsync()).ToString();

        GeneratorRun rerun = GeneratorHarness.Run(after);
        Assert.DoesNotContain(rerun.GeneratorDiagnostics, d => d.Id == id);
        return after;
    }
}
