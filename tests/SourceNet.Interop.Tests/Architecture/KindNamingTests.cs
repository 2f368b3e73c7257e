using System.Reflection;
using System.Text.RegularExpressions;
using SourceNet.Interop.Tests.Networks;

namespace SourceNet.Interop.Tests.Architecture;

/// <summary>
/// Checkpoints, safetensors, ONNX export and the samples' reports derive everything from the layers' declarations
/// (<see cref="Layer.Parameters"/>, <see cref="Layer.Buffers"/>, <see cref="Layer.Generators"/>,
/// <see cref="Layer.Description"/>, <see cref="Layer.Lower"/>): none of their source files may name a layer kind. The
/// kinds are found by reflection, so the next kind is covered without touching this test.
/// </summary>
public sealed partial class KindNamingTests
{
    /// <summary>The folders that must know no kind, relative to the repository root.</summary>
    private static readonly string[] s_folders = ["src/Onnx", "src/Runtime/Interop", "src/Runtime/Checkpoints", "src/Runtime/Quantization", "samples/Shared"];

    /// <summary>Every concrete <see cref="Layer"/> in the runtime assembly: the kinds.</summary>
    private static Type[] Kinds() =>
        [.. typeof(Layer).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(Layer)) && !t.IsAbstract && t.IsPublic)];

    /// <summary>
    /// Where <paramref name="source"/> names <paramref name="kind"/>: its type name anywhere (comments included, so a
    /// <c>cref</c> counts), or, in code with comments removed, the kind's name (the type name without <c>Layer</c>) as
    /// an identifier or string of its own: not a member access such as <c>list.Add(...)</c> and not a method named like
    /// it (<c>void Add(...)</c>), which are other things that happen to share the word.
    /// </summary>
    internal static IEnumerable<(int Line, string Text)> Mentions(string source, Type kind)
    {
        string typeName = kind.Name;
        string kindName = typeName.EndsWith("Layer", StringComparison.Ordinal) ? typeName[..^5] : typeName;
        var typePattern = new Regex($@"\b{Regex.Escape(typeName)}\b");
        var kindPattern = new Regex($@"(?<![.\w]){Regex.Escape(kindName)}\b(?!\s*\()");
        string[] lines = source.Split('\n');
        string[] code = StripComments(source).Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            if (typePattern.IsMatch(lines[i]) || (i < code.Length && kindPattern.IsMatch(code[i])))
                yield return (i + 1, lines[i].Trim());
        }
    }

    /// <summary>The source with <c>//</c> and <c>/* */</c> comments blanked, line breaks kept so line numbers still match.</summary>
    private static string StripComments(string source)
    {
        string withoutBlocks = BlockComment().Replace(source, m => new string('\n', m.Value.Count(c => c == '\n')));
        return LineComment().Replace(withoutBlocks, "");
    }

    [GeneratedRegex(@"/\*.*?\*/", RegexOptions.Singleline)]
    private static partial Regex BlockComment();

    [GeneratedRegex(@"//[^\n]*")]
    private static partial Regex LineComment();

    [Fact]
    public void Reflection_finds_every_kind()
    {
        string[] names = [.. Kinds().Select(t => t.Name)];

        Assert.Superset(new HashSet<string> { nameof(DenseLayer), nameof(Conv2DLayer), nameof(Pool2DLayer), nameof(FlattenLayer), nameof(DropoutLayer),
            nameof(BatchNormLayer), nameof(AddLayer), nameof(ConcatenateLayer), nameof(GlobalAvgPool2DLayer) }, names.ToHashSet());
    }

    [Fact]
    public void No_exporter_file_format_or_report_names_a_layer_kind()
    {
        Type[] kinds = Kinds();
        var violations = new List<string>();
        int files = 0;
        foreach (string folder in s_folders)
        {
            string root = Path.Combine(TestData.Root, folder);
            Assert.True(Directory.Exists(root), $"{root} is missing: the test would check nothing.");
            foreach (string file in Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories))
            {
                string relative = Path.GetRelativePath(TestData.Root, file).Replace('\\', '/');
                if (relative.Contains("/obj/") || relative.Contains("/bin/"))
                    continue;
                files++;
                string source = File.ReadAllText(file);
                foreach (Type kind in kinds)
                {
                    foreach ((int line, string text) in Mentions(source, kind))
                    {
                        violations.Add($"{relative}:{line} names {kind.Name}: {text}");
                    }
                }
            }
        }

        Assert.True(files >= 10, $"Only {files} source files found under {string.Join(", ", s_folders)}.");
        Assert.True(violations.Count == 0, "Only a kind's own files may name it; move this into the kind (Layer.Lower, Buffers, Generators, Description):\n" + string.Join("\n", violations));
    }

    [Theory]
    [InlineData("if (layer is DenseLayer dense) return Gemm(dense);", "DenseLayer")]
    [InlineData("value = layer switch { BatchNormLayer norm => Norm(norm), _ => value };", "BatchNormLayer")]
    [InlineData("if (layer.GetType().Name == \"Dropout\") generators.Add(layer);", "DropoutLayer")]
    [InlineData("/// Saves every <see cref=\"ConcatenateLayer\"/> input.", "ConcatenateLayer")]
    [InlineData("string label = kind switch { \"GlobalAvgPool2D\" => \"gap\", _ => \"\" };", "GlobalAvgPool2DLayer")]
    public void The_check_catches_a_kind_named_in_code(string line, string kindName)
    {
        Type kind = typeof(Layer).Assembly.GetType("SourceNet." + kindName)!;

        Assert.Single(Mentions("using System;\n" + line + "\n", kind));
    }

    [Theory]
    [InlineData("names.Add(name);")]
    [InlineData("public void Add(string key, long value) => Set(key, value);")]
    [InlineData("var line = plot.Add.Scatter(x, y); // Add a line")]
    public void The_check_ignores_words_that_only_share_a_kind_s_name(string line)
    {
        Assert.Empty(Mentions(line, typeof(AddLayer)));
    }
}
