using System.Text.RegularExpressions;

namespace SourceNet.Package.Tests;

/// <summary>
/// Every C# snippet of the README and the docs compiles as written, against the packed packages, in one fresh
/// console project (see <see cref="DocumentationSnippets"/>); the README's first example is its Program.cs as pasted.
/// </summary>
[Collection(PackageCollection.Name)]
public sealed class SnippetTests(PackageFeed feed)
{
    private static readonly string Root = PackageFeed.RepositoryRoot;

    private static List<DocumentationSnippets.Snippet> All() =>
        DocumentationSnippets.Documents(Root).SelectMany(d => DocumentationSnippets.Read(Root, d)).ToList();

    [Fact]
    public void Snippets_can_be_pasted_into_program_cs_and_are_few_to_skip()
    {
        List<DocumentationSnippets.Snippet> snippets = All();
        Assert.True(snippets.Count >= 10, $"Only {snippets.Count} snippets found.");
        string[] problems = snippets.SelectMany(s => s.SyntaxProblems()).ToArray();
        Assert.True(problems.Length == 0, string.Join("\n", problems));

        // Marked snippets are not built: keep them to fragments of the library's own source.
        int ignored = DocumentationSnippets.Documents(Root)
            .Sum(d => Regex.Matches(File.ReadAllText(Path.Combine(Root, d)), @"^```csharp[^\n]*\bignore\b", RegexOptions.Multiline).Count);
        Assert.True(ignored <= 2, $"{ignored} snippets are marked ignore; make them compile instead.");
    }

    [Fact]
    public void Every_snippet_builds_against_the_packages()
    {
        List<DocumentationSnippets.Snippet> snippets = All();
        DocumentationSnippets.Snippet program = snippets.First(s => s.File == "README.md" && s.HasStatements);

        string project = feed.NewProject("Snippets");
        DotnetCli.Succeed(project, "add", "package", "SourceNet.Onnx", "--version", feed.Version);
        DotnetCli.Succeed(project, "add", "package", "SourceNet.Images", "--version", feed.Version);
        File.WriteAllText(Path.Combine(project, "Program.cs"), program.Code);
        for (int i = 0; i < snippets.Count; i++)
        {
            DocumentationSnippets.Snippet snippet = snippets[i];
            if (snippet == program)
            {
                continue;
            }
            string path = Path.Combine(Root, snippet.File);
            string ns = $"Snippets.S{i:D2}_" + Regex.Replace(Path.GetFileNameWithoutExtension(snippet.File), @"\W", "_") + "_line" + snippet.Line;
            File.WriteAllText(Path.Combine(project, $"Snippet{i:D2}.cs"), DocumentationSnippets.AsFile(snippet, path, ns));
        }

        DotnetCli.Result build = DotnetCli.Run(project, "build", "-c", "Release", "-nologo", "-nodeReuse:false", "-p:UseSharedCompilation=false");

        string[] errors = Regex.Matches(build.Output, @"^.*: error .*$", RegexOptions.Multiline).Select(m => m.Value.Trim()).Distinct().ToArray();
        Assert.True(build.ExitCode == 0 && errors.Length == 0,
            $"Snippets that do not compile ({program} is Program.cs):\n{string.Join("\n", errors)}\n\n{build.Output}");
    }
}
