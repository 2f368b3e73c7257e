using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Text;
using BenchmarkDotNet.Attributes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace SourceNet.Generator.Benchmarks;

/// <summary>
/// The generator's own cost, as an IDE pays it: a first run over a project (parse every [Network] class,
/// validate, emit), an edit elsewhere in the project (which must cost next to nothing: every step cached),
/// and an edit of the model itself (parse, validate and emit that one network again). For the tutorial's
/// MNIST network and for a 50-layer network, each in a project with 20 other files.
/// </summary>
[MemoryDiagnoser]
public class GeneratorBenchmarks
{
    private const string Mnist = """
        using SourceNet;

        namespace Samples;

        [Network(Input = 784, Loss = Loss.SoftmaxCrossEntropy)]
        public sealed partial class MnistMlp
        {
            [Dense(300, Activation.ReLU)] public partial DenseLayer Hidden { get; }
            [Dense(10)] public partial DenseLayer Output { get; }
        }
        """;

    private static readonly CSharpParseOptions s_parseOptions = new(LanguageVersion.Preview);

    private CSharpCompilation _compilation = null!;
    private CSharpCompilation _unrelatedEdit = null!;
    private CSharpCompilation _modelEdit = null!;
    private GeneratorDriver _warmDriver = null!;

    [Params("Mnist", "Deep50")]
    public string Model { get; set; } = "Mnist";

    [GlobalSetup]
    public void Setup()
    {
        string model = Model == "Mnist" ? Mnist : Deep(50);
        var trees = new List<SyntaxTree> { Parse(model, "/src/Model.cs") };
        for (int i = 0; i < 20; i++)
        {
            trees.Add(Parse(Filler(i, 0), $"/src/Other{i}.cs"));
        }
        _compilation = CSharpCompilation.Create("User", trees, References(),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        _unrelatedEdit = _compilation.ReplaceSyntaxTree(trees[1], Parse(Filler(0, 1), "/src/Other0.cs"));
        string edited = Model == "Mnist" ? Mnist.Replace("[Dense(300", "[Dense(200") : Deep(50).Replace("[Dense(64", "[Dense(65");
        _modelEdit = _compilation.ReplaceSyntaxTree(trees[0], Parse(edited, "/src/Model.cs"));
        _warmDriver = NewDriver().RunGenerators(_compilation);
    }

    /// <summary>A first run: a new driver over a compilation whose semantics are not bound yet.</summary>
    [Benchmark]
    public GeneratorDriver FirstRun() => NewDriver().RunGenerators(_compilation.Clone());

    /// <summary>A keystroke in another file of the project.</summary>
    [Benchmark]
    public GeneratorDriver UnrelatedEdit() => _warmDriver.RunGenerators(_unrelatedEdit.Clone());

    /// <summary>A layer's size changed: the network is parsed, validated and emitted again.</summary>
    [Benchmark]
    public GeneratorDriver ModelEdit() => _warmDriver.RunGenerators(_modelEdit.Clone());

    private static GeneratorDriver NewDriver() =>
        CSharpGeneratorDriver.Create(new ISourceGenerator[] { new NetworkGenerator().AsSourceGenerator() }, parseOptions: s_parseOptions);

    private static SyntaxTree Parse(string text, string path) => CSharpSyntaxTree.ParseText(text, s_parseOptions, path);

    private static string Deep(int layers)
    {
        var text = new StringBuilder("using SourceNet;\nnamespace Samples;\n[Network(Input = 784)]\npublic partial class Deep\n{\n");
        for (int i = 0; i < layers; i++)
        {
            string activation = i == layers - 1 ? "Activation.None" : "Activation.ReLU";
            int units = i == layers - 1 ? 10 : 64;
            text.Append(CultureInfo.InvariantCulture, $"    [Dense({units}, {activation})] public partial DenseLayer L{i} {{ get; }}\n");
        }
        return text.Append("}\n").ToString();
    }

    /// <summary>Ordinary code with no [Network]: what most of a project is.</summary>
    private static string Filler(int index, int version) => $$"""
        namespace Samples.Other;

        public sealed class Service{{index}}
        {
            private readonly int[] _values = new int[{{16 + version}}];

            public int Sum()
            {
                int total = 0;
                foreach (int value in _values)
                {
                    total += value * {{index + 1}};
                }
                return total;
            }
        }
        """;

    private static ImmutableArray<MetadataReference> References() =>
        Basic.Reference.Assemblies.Net100.References.All.Cast<MetadataReference>()
            .Append(MetadataReference.CreateFromFile(typeof(NetworkAttribute).Assembly.Location))
            .Append(MetadataReference.CreateFromFile(typeof(DenseLayer).Assembly.Location))
            .ToImmutableArray();
}
