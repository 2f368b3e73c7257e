using System.Collections.Immutable;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using SourceNet.CodeFixes;
using SourceNet.Generator.Tests.Harness;

namespace SourceNet.Generator.Tests.CodeFixes;

/// <summary>
/// Applies the SN0001 fix in a workspace, as the IDE does, then checks the resulting text and that the
/// generator, run again on it, reports nothing and produces code that compiles.
/// </summary>
public class MakeNetworkPartialCodeFixTests
{
    [Fact]
    public async Task Adds_partial_after_the_other_modifiers()
    {
        string after = await ApplyFix("""
            using SourceNet;

            namespace Samples;

            /// <summary>A classifier.</summary>
            [Network(Input = 4)]
            public sealed class Net
            {
                [Dense(3)] public partial DenseLayer Out { get; }
            }
            """);
        Assert.Equal("""
            using SourceNet;

            namespace Samples;

            /// <summary>A classifier.</summary>
            [Network(Input = 4)]
            public sealed partial class Net
            {
                [Dense(3)] public partial DenseLayer Out { get; }
            }
            """, after);
        GeneratorHarness.RunClean(after);
    }

    [Fact]
    public async Task Adds_partial_to_a_class_without_modifiers_keeping_its_trivia()
    {
        string after = await ApplyFix("""
            using SourceNet;
            [Network(Input = 4, Loss = Loss.MeanSquaredError)]
                class Net
            {
                [Dense(2)] internal partial DenseLayer Out { get; }
            }
            """);
        Assert.Equal("""
            using SourceNet;
            [Network(Input = 4, Loss = Loss.MeanSquaredError)]
                partial class Net
            {
                [Dense(2)] internal partial DenseLayer Out { get; }
            }
            """, after);
        GeneratorHarness.RunClean(after);
    }

    [Fact]
    public void Fixes_exactly_SN0001()
    {
        Assert.Equal(new[] { "SN0001" }, new MakeNetworkPartialCodeFixProvider().FixableDiagnosticIds);
    }

    private static async Task<string> ApplyFix(string source)
    {
        GeneratorRun run = GeneratorHarness.Run(source);
        Diagnostic diagnostic = Assert.Single(run.GeneratorDiagnostics, d => d.Id == "SN0001");

        using var workspace = new AdhocWorkspace();
        Project project = workspace.AddProject("User", LanguageNames.CSharp)
            .WithParseOptions(GeneratorHarness.ParseOptions)
            .WithCompilationOptions(new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary))
            .AddMetadataReferences(run.Input.References);
        Document document = project.AddDocument("Model0.cs", SourceText.From(source), filePath: "/src/Model0.cs");

        var actions = new List<CodeAction>();
        var provider = new MakeNetworkPartialCodeFixProvider();
        var context = new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), CancellationToken.None);
        await provider.RegisterCodeFixesAsync(context);
        CodeAction fix = Assert.Single(actions);
        Assert.Equal(MakeNetworkPartialCodeFixProvider.Title, fix.Title);

        ImmutableArray<CodeActionOperation> operations = await fix.GetOperationsAsync(CancellationToken.None);
        Solution solution = Assert.Single(operations.OfType<ApplyChangesOperation>()).ChangedSolution;
        string after = (await solution.GetDocument(document.Id)!.GetTextAsync()).ToString();

        GeneratorRun rerun = GeneratorHarness.Run(after);
        Assert.DoesNotContain(rerun.GeneratorDiagnostics, d => d.Id == "SN0001");
        return after;
    }
}
