using System.Text;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace SourceNet.Package.Tests;

/// <summary>
/// The C# snippets of the README and the docs (every <c>```csharp</c> block of README.md, docs/*.md and the
/// packages' READMEs), made into the files of one console project so that a single build checks them all.
/// </summary>
/// <remarks>
/// One snippet, the README's first with top-level statements (its "Use" example), becomes Program.cs as it is
/// written, the way a user pastes it into a <c>dotnet new console</c> project. A project has one file of
/// top-level statements, so every other snippet becomes its own file: its <c>using</c> lines, then a namespace of
/// its own holding its types and a method holding its statements. <c>#line</c> directives point each part back at
/// the Markdown file and line, so a compiler error names the snippet. A block marked <c>```csharp ignore</c> is
/// not built (used only for fragments of the library's own source).
/// </remarks>
internal static class DocumentationSnippets
{
    private static readonly Regex Fence = new(@"^```csharp(?<info>[^\n]*)\n(?<code>.*?)^```[ \t]*$", RegexOptions.Multiline | RegexOptions.Singleline);

    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    /// <summary>One snippet: where it is written, and its code.</summary>
    public sealed record Snippet(string File, int Line, string Code)
    {
        public override string ToString() => $"{File}:{Line}";

        /// <summary>Top-level statements before a type (CS8803 in a console project's Program.cs), and other syntax errors.</summary>
        public IEnumerable<string> SyntaxProblems()
        {
            CompilationUnitSyntax unit = Parse();
            foreach (Diagnostic diagnostic in unit.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error))
            {
                yield return $"{this}: {diagnostic.Id} {diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}";
            }
            bool typeSeen = false;
            foreach (MemberDeclarationSyntax member in unit.Members)
            {
                if (member is GlobalStatementSyntax && typeSeen)
                {
                    yield return $"{this}: a statement follows a type declaration; pasted into Program.cs it is CS8803 (top-level statements must precede type declarations)";
                    yield break;
                }
                typeSeen |= member is not GlobalStatementSyntax;
            }
        }

        public bool HasStatements => Parse().Members.OfType<GlobalStatementSyntax>().Any();

        public CompilationUnitSyntax Parse() => (CompilationUnitSyntax)CSharpSyntaxTree.ParseText(Code, ParseOptions).GetRoot();
    }

    /// <summary>The documents whose snippets a user copies, relative to the repository root.</summary>
    public static IEnumerable<string> Documents(string root) =>
        new[] { "README.md", "src/PACKAGE.md", "src/Onnx/PACKAGE.md" }
            .Concat(Directory.GetFiles(Path.Combine(root, "docs"), "*.md").Select(f => "docs/" + Path.GetFileName(f)).Order(StringComparer.Ordinal));

    /// <summary>The built snippets of <paramref name="document"/>, in order (marked ones left out).</summary>
    public static IEnumerable<Snippet> Read(string root, string document)
    {
        string text = File.ReadAllText(Path.Combine(root, document)).Replace("\r\n", "\n");
        foreach (Match match in Fence.Matches(text))
        {
            string info = match.Groups["info"].Value.Trim();
            if (info.Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains("ignore"))
            {
                continue;
            }
            int line = text.AsSpan(0, match.Groups["code"].Index).Count('\n') + 1;
            yield return new Snippet(document, line, match.Groups["code"].Value);
        }
    }

    /// <summary>The snippet as its own file: its usings, then its types and a method of its statements in a namespace of its own.</summary>
    public static string AsFile(Snippet snippet, string path, string ns)
    {
        CompilationUnitSyntax unit = snippet.Parse();
        var text = new StringBuilder();
        foreach (SyntaxNode node in unit.Externs.Cast<SyntaxNode>().Concat(unit.Usings))
        {
            Mapped(text, snippet, path, node);
        }
        text.Append("namespace ").Append(ns).Append(";\n\n");
        foreach (MemberDeclarationSyntax member in unit.Members.Where(m => m is not GlobalStatementSyntax))
        {
            Mapped(text, snippet, path, member);
        }
        text.Append("#line default\ninternal static class Snippet\n{\n    internal static ");
        text.Append(unit.DescendantNodes().OfType<AwaitExpressionSyntax>().Any() ? "async global::System.Threading.Tasks.Task" : "void");
        text.Append(" Run()\n    {\n");
        foreach (GlobalStatementSyntax statement in unit.Members.OfType<GlobalStatementSyntax>())
        {
            Mapped(text, snippet, path, statement);
        }
        text.Append("#line default\n    }\n}\n");
        return text.ToString();
    }

    /// <summary>Writes a node's text under a <c>#line</c> that maps it back to the Markdown line it came from.</summary>
    private static void Mapped(StringBuilder text, Snippet snippet, string path, SyntaxNode node)
    {
        int line = snippet.Line + node.GetLocation().GetLineSpan().StartLinePosition.Line;
        text.Append("#line ").Append(line).Append(" \"").Append(path).Append("\"\n");
        text.Append(node.ToFullString().TrimStart('\n', '\r'));
        if (text[^1] != '\n')
        {
            text.Append('\n');
        }
    }
}
