using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using SourceNet.Generator.Helpers;
using SourceNet.Generator.Tests.Harness;

namespace SourceNet.Generator.Tests.Differentiable;

public class DifferentiableGeneratorTests
{
    private const string Tutorial = """
        using SourceNet;

        namespace Basics;

        public static partial class Graph
        {
            /// <summary>The tutorial's a = (b + c) * (c + 2), one node at a time.</summary>
            [Differentiable]
            public static float A(float b, float c)
            {
                float d = b + c;
                float e = c + 2;
                float a = d * e;
                return a;
            }
        }
        """;

    [Fact]
    public void Tutorial_graph_generates_code_that_compiles()
    {
        GeneratorRun run = GeneratorHarness.RunClean(Tutorial);
        string source = run.Source("Basics.Graph.Differentiable.g.cs");
        Assert.Contains("public static float AWithGradient(float b, float c, out float dB, out float dC)", source);
    }

    [Fact]
    public void Tutorial_graph_snapshot() =>
        Snapshot.Match(GeneratorHarness.RunClean(Tutorial).Source("Basics.Graph.Differentiable.g.cs"), "DifferentiableTutorial");

    private const string Activations = """
        using System;
        using System.Numerics.Tensors;
        using SourceNet;

        namespace Models;

        public partial class Net
        {
            public static readonly double Leak = 0.01;

            /// <summary>A user-defined activation a [Dense] layer can name; the network calls SwishWithGradient.</summary>
            [Differentiable]
            public static float Swish(float x) => x * ActivationFunctions.Sigmoid(x);

            [Differentiable]
            public static double LeakyRelu(double x) => Math.Max(x, Leak * x);

            /// <summary>GELU's and SiLU's derivatives read their operand, not their output.</summary>
            [Differentiable]
            public static float Gated(float x) => ActivationFunctions.GELU(x) * ActivationFunctions.SiLU(2 * x);

            /// <summary>Calls another [Differentiable] method and reuses x * x.</summary>
            [Differentiable]
            public static float Composed(float x, float y)
            {
                float s = Swish(x * y);
                s += x * y;
                return s / (1 + MathF.Exp(-x));
            }

            /// <summary>Span parameters get Span gradients, after the scalar ones' order.</summary>
            [Differentiable]
            public static double Loss(ReadOnlySpan<double> prediction, ReadOnlySpan<double> target, double weight)
            {
                double n = prediction.Length;
                return weight * (TensorPrimitives.SumOfSquares(prediction) - 2 * TensorPrimitives.Dot(prediction, target)) / n;
            }
        }
        """;

    [Fact]
    public void Activation_contract_signatures()
    {
        string source = GeneratorHarness.RunClean(Activations).Source("Models.Net.Differentiable.g.cs");
        Assert.Contains("public static float SwishWithGradient(float x, out float dX)", source);
        Assert.Contains("public static double LeakyReluWithGradient(double x, out double dX)", source);
        Assert.Contains("public static float ComposedWithGradient(float x, float y, out float dX, out float dY)", source);
        Assert.Contains("public static double LossWithGradient(global::System.ReadOnlySpan<double> prediction, global::System.ReadOnlySpan<double> target, double weight, global::System.Span<double> dPrediction, global::System.Span<double> dTarget, out double dWeight)", source);
        Assert.Contains("public static void SwishWithGradient(global::System.ReadOnlySpan<float> x, global::System.Span<float> values, global::System.Span<float> dX)", source);
        Assert.DoesNotContain("public static void LossWithGradient", source);
    }

    [Fact]
    public void Activations_snapshot() =>
        Snapshot.Match(GeneratorHarness.RunClean(Activations).Source("Models.Net.Differentiable.g.cs"), "DifferentiableActivations");

    [Fact]
    public void Generated_documentation_is_well_formed()
    {
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(Activations);
        var parseOptions = GeneratorHarness.ParseOptions.WithDocumentationMode(DocumentationMode.Diagnose);
        compilation = compilation.RemoveAllSyntaxTrees().AddSyntaxTrees(CSharpSyntaxTree.ParseText(Activations, parseOptions, path: "/src/Model0.cs"));
        GeneratorDriver driver = CSharpGeneratorDriver.Create([new SourceNet.Generator.Differentiable.DifferentiableGenerator().AsSourceGenerator()], parseOptions: parseOptions);
        driver.RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out _);
        var problems = output.GetDiagnostics()
            .Where(d => d.Severity >= DiagnosticSeverity.Warning && d.Location.SourceTree?.FilePath.EndsWith(".g.cs", StringComparison.Ordinal) == true)
            .ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Unrelated_edits_keep_the_model_cached()
    {
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(Activations, "namespace Other; public class Unrelated { public int X; }");
        GeneratorDriver driver = GeneratorHarness.CreateDriver(trackSteps: true);
        driver = driver.RunGenerators(compilation);

        SyntaxTree unrelated = compilation.SyntaxTrees.Last();
        compilation = compilation.ReplaceSyntaxTree(unrelated, unrelated.WithChangedText(SourceText.From("namespace Other; public class Unrelated { public int X; public int Y; }")));
        GeneratorRunResult result = driver.RunGenerators(compilation).GetRunResult().Results
            .Single(r => r.Generator.GetGeneratorType() == typeof(SourceNet.Generator.Differentiable.DifferentiableGenerator));

        foreach (string step in new[] { TrackingNames.DifferentiableParse, TrackingNames.DifferentiableModel })
        {
            var outputs = result.TrackedSteps[step].SelectMany(s => s.Outputs).ToList();
            Assert.NotEmpty(outputs);
            Assert.All(outputs, o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{step}: {o.Reason}"));
        }
        Assert.All(result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs),
            o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, o.Reason.ToString()));
    }

    [Fact]
    public void Editing_a_method_regenerates_only_its_type()
    {
        const string other = """
            using SourceNet;
            namespace Models;
            public static partial class Other { [Differentiable] public static float Twice(float x) => 2 * x; }
            """;
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(Activations, other);
        GeneratorDriver driver = GeneratorHarness.CreateDriver(trackSteps: true).RunGenerators(compilation);

        SyntaxTree tree = compilation.SyntaxTrees.Last();
        compilation = compilation.ReplaceSyntaxTree(tree, tree.WithChangedText(SourceText.From(other.Replace("2 * x", "3 * x"))));
        GeneratorRunResult result = driver.RunGenerators(compilation).GetRunResult().Results
            .Single(r => r.Generator.GetGeneratorType() == typeof(SourceNet.Generator.Differentiable.DifferentiableGenerator));

        var reasons = result.TrackedSteps[TrackingNames.DifferentiableModel].SelectMany(s => s.Outputs).Select(o => o.Reason).ToList();
        Assert.Contains(IncrementalStepRunReason.Unchanged, reasons);
        Assert.Contains(IncrementalStepRunReason.Modified, reasons);
        Assert.Contains("x * 3f", result.GeneratedSources.Single(s => s.HintName == "Models.Other.Differentiable.g.cs").SourceText.ToString());
    }

    [Fact]
    public void Generic_record_and_global_namespace_containers()
    {
        GeneratorRun run = GeneratorHarness.RunClean("""
            using SourceNet;

            public partial class Box<T> where T : class
            {
                public partial record struct Cell(int Id)
                {
                    [Differentiable] public static double Cube(double x) => x * x * x;
                }
            }

            public static partial class TopLevel
            {
                [Differentiable] public static float Identity(float x) => x;
                [Differentiable] public static float Constant(float x) => 2;
                [Differentiable] public static float Ignores(float x, float y) => y * y;
            }

            public static class Use
            {
                public static double Run()
                {
                    double cube = Box<string>.Cell.CubeWithGradient(2, out double dCube);
                    float identity = TopLevel.IdentityWithGradient(5, out float dIdentity);
                    float constant = TopLevel.ConstantWithGradient(5, out float dConstant);
                    TopLevel.IgnoresWithGradient(1, 3, out float dX, out float dY);
                    return cube + dCube + identity + dIdentity + constant + dConstant + dX + dY;
                }
            }
            """);
        Assert.Contains("partial class Box<T>", run.Source("Box`1+Cell.Differentiable.g.cs"));
        Assert.Contains("partial record struct Cell", run.Source("Box`1+Cell.Differentiable.g.cs"));
        string top = run.Source("TopLevel.Differentiable.g.cs");
        Assert.Contains("dX = 1f;", top);
        Assert.Contains("dX = 0f; // Constant does not depend on x", top);
        Assert.Contains("dX = 0f; // Ignores does not depend on x", top);
    }

    [Fact]
    public void Parameter_names_never_clash_with_generated_names()
    {
        GeneratorRun run = GeneratorHarness.RunClean("""
            using System;
            using System.Numerics.Tensors;
            using SourceNet;

            public static partial class Names
            {
                [Differentiable] public static float Span(ReadOnlySpan<float> x, float i) => i * TensorPrimitives.SumOfSquares(x);
                [Differentiable] public static float Scalars(float i, float values, float v1, float g_v1) { float v2 = i * values; return v2 * v1 * g_v1; }
                [Differentiable] public static float Keywords(float @in, float @float) { float @int = @in * @float; return @int * @int; }
            }
            """);
        string source = run.Source("Names.Differentiable.g.cs");
        Assert.Contains("for (int i_2 = 0; i_2 < dX.Length; i_2++)", source);
        Assert.DoesNotContain("public static void ScalarsWithGradient", source);
        Assert.Contains("public static void KeywordsWithGradient(global::System.ReadOnlySpan<float> @in, global::System.ReadOnlySpan<float> @float, global::System.Span<float> values, global::System.Span<float> dIn, global::System.Span<float> dFloat)", source);
    }

    [Fact]
    public void Interface_and_ref_struct_containers()
    {
        GeneratorRun run = GeneratorHarness.RunClean("""
            using SourceNet;

            public partial interface IShape
            {
                [Differentiable] static double Area(double r) => 3.14159 * r * r;
            }

            public ref partial struct Stack
            {
                [Differentiable] public static float Half(float x) => x / 2;
            }
            """);
        Assert.Contains("partial interface IShape", run.Source("IShape.Differentiable.g.cs"));
        Assert.Contains("ref partial struct Stack", run.Source("Stack.Differentiable.g.cs"));
    }

    [Fact]
    public void Unrolled_loop_snapshot() =>
        Snapshot.Match(GeneratorHarness.RunClean("""
            using System;
            using SourceNet;

            namespace Models;

            public static partial class Layers
            {
                /// <summary>y = tanh(W·x) for a 2×2 W, summed: the loops unroll at compile time.</summary>
                [Differentiable]
                public static float TinyDense(ReadOnlySpan<float> w, ReadOnlySpan<float> x)
                {
                    float sum = 0;
                    for (int r = 0; r < 2; r++)
                    {
                        float z = 0;
                        for (int c = 0; c < 2; c++) z += w[r * 2 + c] * x[c];
                        sum += MathF.Tanh(z);
                    }
                    return sum;
                }
            }
            """).Source("Models.Layers.Differentiable.g.cs"), "DifferentiableUnrolled");
}
