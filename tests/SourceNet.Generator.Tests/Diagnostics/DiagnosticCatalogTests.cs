using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using SourceNet.Generator.Diagnostics;
using SourceNet.Generator.Shapes;
using SourceNet.Generator.Tests.Harness;

namespace SourceNet.Generator.Tests.Diagnostics;

/// <summary>
/// Every diagnostic is documented and tracked: a page at docs/diagnostics/{id}.md whose header states the
/// same category and severity, and a row in AnalyzerReleases.*.md. The parser's list of generated member
/// names (for SN0008) is checked against real generated code, so it cannot drift from the emitter.
/// </summary>
public class DiagnosticCatalogTests
{
    private static readonly string Root = FindRoot();

    public static TheoryData<string> Ids()
    {
        var data = new TheoryData<string>();
        foreach (DiagnosticDescriptor descriptor in DiagnosticDescriptors.All)
        {
            data.Add(descriptor.Id);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Each_diagnostic_has_a_page_and_a_release_row(string id)
    {
        DiagnosticDescriptor descriptor = DiagnosticDescriptors.ById(id);
        Assert.Equal($"docs/diagnostics/{id}.md", descriptor.HelpLinkUri);

        string page = Path.Combine(Root, "docs", "diagnostics", id + ".md");
        Assert.True(File.Exists(page), $"{page} is missing.");
        string text = File.ReadAllText(page);
        Assert.StartsWith($"# {id}: ", text, StringComparison.Ordinal);
        Assert.Contains($"**Category:** {descriptor.Category} · **Severity:** {descriptor.DefaultSeverity}", text, StringComparison.Ordinal);

        string releases = File.ReadAllText(Path.Combine(Root, "src", "Generator", "AnalyzerReleases.Shipped.md"))
            + File.ReadAllText(Path.Combine(Root, "src", "Generator", "AnalyzerReleases.Unshipped.md"));
        Assert.Matches(new Regex($@"^{id} \| {Regex.Escape(descriptor.Category)} \| {descriptor.DefaultSeverity} \|", RegexOptions.Multiline), releases);
    }

    /// <summary>
    /// Every id's rendered message is pinned by some test, written as <c>"SN0023: text"</c> (the form
    /// <see cref="DiagnosticVerifier"/> and the differentiation tests compare against), so a message whose
    /// format arguments are swapped fails a test rather than reaching a user.
    /// </summary>
    [Theory]
    [MemberData(nameof(Ids))]
    public void Each_diagnostic_has_a_test_of_its_rendered_message(string id)
    {
        string tests = Path.Combine(Root, "tests", "SourceNet.Generator.Tests");
        bool pinned = Directory.EnumerateFiles(tests, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Any(f => File.ReadAllText(f).Contains($"\"{id}: ", StringComparison.Ordinal));
        Assert.True(pinned, $"No test asserts the full message of {id}: add one (\"{id}: message\") with DiagnosticVerifier.Verify.");
    }

    [Fact]
    public void Generated_member_names_cover_every_member_the_emitter_declares()
    {
        GeneratorRun run = GeneratorHarness.RunClean(Models.Mnist, Models.Cnn, Models.Regression.Replace("Regressor", "Regressor2"), """
            using SourceNet;
            [Network(Input = 6, Loss = Loss.MeanSquaredError)]
            public partial class Smooth
            {
                [Dense(4, CustomActivation = nameof(Swish))] public partial DenseLayer Hidden { get; }
                [Dense(1)] public partial DenseLayer Out { get; }

                [Differentiable]
                public static float Swish(float x) => x / (1f + System.MathF.Exp(-x));
            }
            """);
        var missing = new List<string>();
        foreach (GeneratedSourceResult source in run.GeneratedSources.Where(s => !s.HintName.Contains("Differentiable", StringComparison.Ordinal)))
        {
            ClassDeclarationSyntax type = source.SyntaxTree.GetRoot().DescendantNodes().OfType<ClassDeclarationSyntax>().First();
            // The generated part of a layer property carries no attribute: the kind comes from the model's source.
            var layers = type.Members.OfType<PropertyDeclarationSyntax>()
                .Where(p => p.Modifiers.Any(SyntaxKind.PartialKeyword)).Select(p => p.Identifier.Text).ToHashSet();
            var known = GeneratedNames.Network.Concat(layers)
                .Concat(layers.SelectMany(name => Layers.LayerKinds.All.SelectMany(kind => GeneratedNames.ForLayer(name, kind))))
                .ToHashSet();
            foreach (MemberDeclarationSyntax member in type.Members)
            {
                IEnumerable<string> names = member switch
                {
                    MethodDeclarationSyntax m when m.ExplicitInterfaceSpecifier is null => new[] { m.Identifier.Text },
                    PropertyDeclarationSyntax p when p.ExplicitInterfaceSpecifier is null => new[] { p.Identifier.Text },
                    BaseFieldDeclarationSyntax f => f.Declaration.Variables.Select(v => v.Identifier.Text),
                    _ => Array.Empty<string>(),
                };
                missing.AddRange(names.Where(n => !known.Contains(n)).Select(n => $"{source.HintName}: {n}"));
            }
        }
        Assert.True(missing.Count == 0, "GeneratedNames misses members the emitter declares:\n" + string.Join("\n", missing));
    }

    private static string FindRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SourceNet.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("Cannot find the repository root.");
    }
}
