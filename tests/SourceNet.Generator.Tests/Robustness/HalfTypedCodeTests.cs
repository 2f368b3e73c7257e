using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using SourceNet.Generator.Differentiable;
using SourceNet.Generator.Tests.Harness;

namespace SourceNet.Generator.Tests.Robustness;

/// <summary>
/// The generator runs on every keystroke, so it must survive code that is half typed: these tests delete
/// each line, and each token, of the sample models in turn and check that the generator neither throws
/// (which the compiler turns into warning CS8785 and an empty output) nor emits code that does not parse.
/// </summary>
public class HalfTypedCodeTests
{
    /// <summary>A network using every feature the parser reads: shapes, flatten, custom activation, options.</summary>
    private const string FullFeatured = """
        using SourceNet;

        namespace Samples.Images;

        [Network(InputShape = new[] { 8, 8 }, Loss = Loss.MeanSquaredError)]
        internal partial class Denoiser
        {
            [Dense(32, Activation.Tanh, Flatten = true, WeightStdDev = 0.1f)] internal partial DenseLayer Encode { get; }
            [Dense(64, CustomActivation = nameof(Swish), BiasStdDev = 0f)] public partial DenseLayer Decode { get; }

            [Differentiable]
            public static float Swish(float x) => x / (1f + System.MathF.Exp(-x));
        }
        """;

    /// <summary>
    /// [Differentiable] methods using every construct the body parser reads: span parameters and reductions,
    /// element access in an unrolled loop, an activation called from another method, nested partial types.
    /// </summary>
    private const string DifferentiableFeatured = """
        using System;
        using System.Numerics.Tensors;
        using SourceNet;

        namespace Samples.Images;

        public static partial class Activations
        {
            private const float Leak = 0.01f;

            [Differentiable]
            public static float Swish(float x) => x * ActivationFunctions.Sigmoid(x);

            [Differentiable]
            public static float Composed(float x, float y)
            {
                float s = Swish(x * y);
                s += MathF.Max(x, Leak * y);
                return s / (1 + MathF.Exp(-x));
            }

            public partial struct Losses
            {
                [Differentiable]
                public static double Loss(ReadOnlySpan<double> prediction, ReadOnlySpan<double> target, double weight)
                {
                    double n = prediction.Length;
                    return weight * (TensorPrimitives.SumOfSquares(prediction) - 2 * TensorPrimitives.Dot(prediction, target)) / n;
                }

                [Differentiable]
                public static float Dense(ReadOnlySpan<float> w, ReadOnlySpan<float> x)
                {
                    float sum = 0;
                    for (int r = 0; r < 2; r++)
                    {
                        float z = w[r];
                        for (int c = 0; c < 2; c++) z += w[r * 2 + c] * x[c];
                        sum += MathF.Tanh(z);
                    }
                    return sum;
                }
            }
        }
        """;

    [Fact]
    public void Deleting_any_line_of_the_differentiable_models_never_breaks_the_generator()
    {
        var variants = new List<string>();
        foreach (string model in new[] { SampleFile("Basics", "Graph.cs"), DifferentiableFeatured })
        {
            string[] lines = model.Split('\n');
            for (int i = 0; i < lines.Length; i++)
            {
                variants.Add(string.Join('\n', lines.Where((_, j) => j != i)));
            }
        }
        AssertGeneratorSurvives(variants, typeof(DifferentiableGenerator));
    }

    [Fact]
    public void Deleting_any_token_of_the_differentiable_models_never_breaks_the_generator()
    {
        AssertGeneratorSurvives(TokenDeletions(SampleFile("Basics", "Graph.cs")).Concat(TokenDeletions(DifferentiableFeatured)),
            typeof(DifferentiableGenerator));
    }

    [Fact]
    public void Deleting_any_token_of_the_full_featured_model_never_breaks_the_differentiable_generator()
    {
        AssertGeneratorSurvives(TokenDeletions(FullFeatured), typeof(DifferentiableGenerator));
    }

    [Fact]
    public void Deleting_any_line_of_the_sample_models_never_breaks_the_generator()
    {
        var variants = new List<string>();
        foreach (string model in new[] { SampleModel(), Models.Regression, FullFeatured })
        {
            string[] lines = model.Split('\n');
            for (int i = 0; i < lines.Length; i++)
            {
                variants.Add(string.Join('\n', lines.Where((_, j) => j != i)));
            }
        }
        AssertGeneratorSurvives(variants);
    }

    [Fact]
    public void Deleting_any_token_of_the_mnist_model_never_breaks_the_generator()
    {
        AssertGeneratorSurvives(TokenDeletions(Models.Mnist));
    }

    [Fact]
    public void Deleting_any_token_of_the_full_featured_model_never_breaks_the_generator()
    {
        AssertGeneratorSurvives(TokenDeletions(FullFeatured));
    }

    /// <summary>The MNIST sample's model file as it is in the repository.</summary>
    private static string SampleModel() => SampleFile("Mnist", "MnistMlp.cs");

    /// <summary>A file of the samples folder as it is in the repository.</summary>
    private static string SampleFile(string sample, string file)
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string path = Path.Combine(dir.FullName, "samples", sample, file);
            if (File.Exists(path))
            {
                return File.ReadAllText(path).Replace("\r\n", "\n");
            }
        }
        throw new InvalidOperationException($"Cannot find samples/{sample}/{file} above " + AppContext.BaseDirectory);
    }

    private static IEnumerable<string> TokenDeletions(string model)
    {
        SyntaxNode root = CSharpSyntaxTree.ParseText(model, GeneratorHarness.ParseOptions).GetRoot();
        return root.DescendantTokens()
            .Where(t => !t.Span.IsEmpty)
            .Select(t => model.Remove(t.SpanStart, t.Span.Length))
            .ToList();
    }

    private static void AssertGeneratorSurvives(IEnumerable<string> variants) => AssertGeneratorSurvives(variants, typeof(NetworkGenerator));

    /// <summary>Runs every generator on each variant and checks the output of <paramref name="generator"/>.</summary>
    private static void AssertGeneratorSurvives(IEnumerable<string> variants, Type generator)
    {
        // One driver for all variants, as in an IDE session: it also exercises the incremental paths.
        GeneratorDriver driver = GeneratorHarness.CreateDriver();
        var failures = new List<string>();
        int count = 0;
        foreach (string source in variants)
        {
            count++;
            driver = driver.RunGeneratorsAndUpdateCompilation(GeneratorHarness.CreateCompilation(source), out Compilation output, out _);
            GeneratorDriverRunResult run = driver.GetRunResult();
            // One generator at a time, so that each sweep names the generator it checks.
            foreach (GeneratorRunResult result in run.Results.Where(r => r.Generator.GetGeneratorType() == generator))
            {
                if (result.Exception is not null)
                {
                    failures.Add($"{result.Generator.GetGeneratorType().Name} threw {result.Exception.GetType().Name}: {result.Exception.Message}\n{source}");
                }
                foreach (GeneratedSourceResult generated in result.GeneratedSources)
                {
                    ImmutableArray<Diagnostic> errors = generated.SyntaxTree.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToImmutableArray();
                    if (!errors.IsEmpty)
                    {
                        failures.Add($"{generated.HintName} does not parse: {errors[0]}\n{source}");
                        continue;
                    }
                    // Whatever is wrong with the user's code, the generated file itself must bind: an error
                    // in it would point the user at code they did not write. (The generated tree in the
                    // output compilation is a different object with the same path.)
                    SyntaxTree tree = output.SyntaxTrees.Single(t => t.FilePath == generated.SyntaxTree.FilePath);
                    Diagnostic? error = output.GetSemanticModel(tree).GetDiagnostics().FirstOrDefault(d => d.Severity == DiagnosticSeverity.Error);
                    if (error is not null)
                    {
                        failures.Add($"{generated.HintName} does not compile: {error}\n{source}");
                    }
                }
            }
            failures.AddRange(run.Diagnostics.Where(d => d.Id == "CS8785" && d.GetMessage().Contains(generator.Name)).Select(d => $"{d}\n{source}"));
            // A walker that throws on code the compiler accepts says so in an SN diagnostic: that is a bug too.
            failures.AddRange(run.Results.SelectMany(r => r.Diagnostics).Where(d => d.GetMessage().Contains("please report this")).Select(d => $"{d}\n{source}"));
            if (failures.Count > 5)
            {
                break;
            }
        }
        Assert.True(count > 10, "Too few variants: the sweep tests nothing.");
        Assert.True(failures.Count == 0, string.Join("\n\n", failures));
    }
}
