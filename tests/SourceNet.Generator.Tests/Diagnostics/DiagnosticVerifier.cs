using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using SourceNet.Generator.Tests.Harness;

namespace SourceNet.Generator.Tests.Diagnostics;

/// <summary>
/// Diagnostic assertions that fail on any diagnostic not asserted: the generator's and the compiler's
/// (warnings and errors, in the user's code and in generated code), so a test also proves there is no
/// cascade of compiler errors behind an SN error.
/// </summary>
/// <remarks>
/// The source marks each expected diagnostic's span as <c>{|SN0003:0|}</c> (markers may nest); the
/// messages follow as <c>"SN0003: text"</c>, ordered by span start, then span end, then id. On a mismatch
/// the failure prints the actual diagnostics in the same form, ready to paste into the test.
/// </remarks>
public static class DiagnosticVerifier
{
    private const string UserPath = "/src/Model0.cs";

    public static GeneratorRun Verify(string markup, params string[] expectedMessages)
    {
        (string source, List<(string Id, TextSpan Span)> markers) = ParseMarkup(markup);
        GeneratorRun run = GeneratorHarness.Run(source);

        var actual = new List<Actual>();
        var stray = new List<Diagnostic>();
        foreach (Diagnostic diagnostic in run.GeneratorDiagnostics.Concat(run.CompilationProblems))
        {
            // Generator diagnostics carry file locations (Location.Create(path, ...)), not tree locations.
            if (diagnostic.Location.Kind is LocationKind.SourceFile or LocationKind.ExternalFile && diagnostic.Location.GetLineSpan().Path == UserPath)
            {
                actual.Add(new Actual(diagnostic.Id, diagnostic.Location.SourceSpan, diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture)));
            }
            else
            {
                stray.Add(diagnostic);
            }
        }
        actual = actual.OrderBy(a => a.Span.Start).ThenBy(a => a.Span.End).ThenBy(a => a.Id, StringComparer.Ordinal).ToList();

        List<(string Id, TextSpan Span)> expected = markers
            .OrderBy(m => m.Span.Start).ThenBy(m => m.Span.End).ThenBy(m => m.Id, StringComparer.Ordinal).ToList();
        bool same = stray.Count == 0
            && expected.Count == actual.Count
            && expectedMessages.Length == actual.Count
            && expected.Select((e, i) => e.Id == actual[i].Id && e.Span == actual[i].Span && expectedMessages[i] == $"{actual[i].Id}: {actual[i].Message}").All(x => x);
        if (!same)
        {
            var text = new StringBuilder("Diagnostics differ from the expectation.\n");
            foreach (Diagnostic diagnostic in stray)
            {
                text.Append("Not in the user's source (never expected): ").Append(diagnostic).Append('\n');
            }
            text.Append("Actual, ready to paste:\n\n");
            text.Append("DiagnosticVerifier.Verify(\n    \"\"\"\n");
            foreach (string line in Render(source, actual).Split('\n'))
            {
                text.Append(line.Length == 0 ? string.Empty : "    " + line).Append('\n');
            }
            text.Append("    \"\"\"");
            foreach (Actual a in actual)
            {
                text.Append(",\n    \"").Append($"{a.Id}: {a.Message}".Replace("\\", "\\\\").Replace("\"", "\\\"")).Append('"');
            }
            text.Append(");\n");
            Assert.Fail(text.ToString());
        }
        return run;
    }

    private sealed record Actual(string Id, TextSpan Span, string Message);

    /// <summary>Splits <c>{|ID:text|}</c> markers (nestable) off the source.</summary>
    public static (string Source, List<(string Id, TextSpan Span)> Markers) ParseMarkup(string markup)
    {
        var source = new StringBuilder();
        var open = new Stack<(string Id, int Start)>();
        var markers = new List<(string Id, TextSpan Span)>();
        for (int i = 0; i < markup.Length; i++)
        {
            if (markup[i] == '{' && i + 1 < markup.Length && markup[i + 1] == '|')
            {
                int colon = markup.IndexOf(':', i + 2);
                open.Push((markup.Substring(i + 2, colon - i - 2), source.Length));
                i = colon;
            }
            else if (markup[i] == '|' && i + 1 < markup.Length && markup[i + 1] == '}' && open.Count > 0)
            {
                (string id, int start) = open.Pop();
                markers.Add((id, TextSpan.FromBounds(start, source.Length)));
                i++;
            }
            else
            {
                source.Append(markup[i]);
            }
        }
        Assert.True(open.Count == 0, "Unclosed diagnostic marker in the test source.");
        return (source.ToString(), markers);
    }

    private static string Render(string source, List<Actual> diagnostics)
    {
        var text = new StringBuilder();
        for (int position = 0; position <= source.Length; position++)
        {
            // Close inner markers before outer ones, open outer before inner.
            foreach (Actual a in diagnostics.Where(d => d.Span.End == position && d.Span.Start != position).OrderByDescending(d => d.Span.Start))
            {
                text.Append("|}");
            }
            foreach (Actual a in diagnostics.Where(d => d.Span.Start == position && d.Span.IsEmpty))
            {
                text.Append("{|").Append(a.Id).Append(":|}");
            }
            foreach (Actual a in diagnostics.Where(d => d.Span.Start == position && !d.Span.IsEmpty).OrderByDescending(d => d.Span.End))
            {
                text.Append("{|").Append(a.Id).Append(':');
            }
            if (position < source.Length)
            {
                text.Append(source[position]);
            }
        }
        return text.ToString();
    }
}
