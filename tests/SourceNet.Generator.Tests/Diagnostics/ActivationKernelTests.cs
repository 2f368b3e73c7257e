using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using SourceNet.Generator.Tests.Harness;

namespace SourceNet.Generator.Tests.Diagnostics;

/// <summary>
/// The generator knows activations only through <c>[ActivationKernel]</c> on the enum's members. These tests
/// compile against attribute types written in the test (instead of SourceNet.Attributes), so that an enum
/// member can lack the attribute or name a new kernel, as it would while someone adds an activation.
/// </summary>
public class ActivationKernelTests
{
    private const string Attributes = """
        namespace SourceNet
        {
            [System.AttributeUsage(System.AttributeTargets.Field)]
            public sealed class ActivationKernelAttribute : System.Attribute
            {
                public ActivationKernelAttribute(string kernelType) { }
                public string? OnnxOperator { get; set; }
                public bool IsIdentity { get; set; }
            }
            public enum Activation
            {
                [ActivationKernel("SourceNet.Kernels.IdentityActivation", IsIdentity = true)] None = 0,
                [ActivationKernel("SourceNet.Kernels.ReluActivation", OnnxOperator = "Relu")] ReLU = 1,
                Forgotten = 2,
                [ActivationKernel("My.Kernels.Cube", OnnxOperator = "Cube")] Cube = 3,
            }
            public enum Loss { SoftmaxCrossEntropy = 0, MeanSquaredError = 1 }
            public sealed class NetworkAttribute : System.Attribute
            {
                public int Input { get; set; }
                public int[]? InputShape { get; set; }
                public Loss Loss { get; set; }
            }
            public sealed class DenseAttribute : System.Attribute
            {
                public const float DefaultWeightStdDev = 0.03f;
                public const float DefaultBiasStdDev = 0.03f;
                public DenseAttribute(int units, Activation activation = Activation.None) { }
                public string? CustomActivation { get; set; }
                public bool Flatten { get; set; }
                public float WeightStdDev { get; set; }
                public float BiasStdDev { get; set; }
            }
        }
        """;

    private static (ImmutableArray<Diagnostic> Diagnostics, string? Generated) Run(string model)
    {
        // Every reference but the real attribute assembly, whose types the source above replaces.
        string attributes = Path.GetFileName(typeof(NetworkAttribute).Assembly.Location);
        IEnumerable<MetadataReference> references = GeneratorHarness.CreateCompilation().References
            .Where(r => r is not PortableExecutableReference p || !string.Equals(Path.GetFileName(p.FilePath), attributes, StringComparison.OrdinalIgnoreCase));
        CSharpCompilation compilation = CSharpCompilation.Create("User",
            new[] { CSharpSyntaxTree.ParseText(Attributes, GeneratorHarness.ParseOptions), CSharpSyntaxTree.ParseText(model, GeneratorHarness.ParseOptions, path: "/src/Model.cs") },
            references, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        GeneratorRun run = GeneratorHarness.Run(compilation, GeneratorHarness.CreateDriver());
        return (run.GeneratorDiagnostics, run.GeneratedSources.FirstOrDefault(s => s.HintName.EndsWith("Net.g.cs", StringComparison.Ordinal)).SourceText?.ToString());
    }

    [Fact]
    public void A_member_without_a_kernel_is_an_error_not_a_linear_layer()
    {
        const string model = """
            using SourceNet;
            [Network(Input = 4)]
            public partial class Net
            {
                [Dense(8, Activation.Forgotten)] public partial DenseLayer Hidden { get; }
                [Dense(3)] public partial DenseLayer Out { get; }
            }
            """;
        (ImmutableArray<Diagnostic> diagnostics, string? generated) = Run(model);
        Diagnostic diagnostic = Assert.Single(diagnostics);
        Assert.Equal("SN0022: Activation.Forgotten, used by layer 'Hidden', has no [ActivationKernel] attribute, so SourceNet does not know how to compute it",
            $"{diagnostic.Id}: {diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}");
        // Reported on the activation argument (generator diagnostics carry file locations, not trees).
        Assert.Equal("/src/Model.cs", diagnostic.Location.GetLineSpan().Path);
        Assert.Equal("Activation.Forgotten", model.Substring(diagnostic.Location.SourceSpan.Start, diagnostic.Location.SourceSpan.Length));
        // Only the throwing stub is emitted: no network, so no layer that silently computes nothing.
        Assert.DoesNotContain("MatMulBias", generated, StringComparison.Ordinal);
    }

    [Fact]
    public void A_new_member_is_fused_through_the_kernel_it_names()
    {
        (ImmutableArray<Diagnostic> diagnostics, string? generated) = Run("""
            using SourceNet;
            [Network(Input = 4)]
            public partial class Net
            {
                [Dense(8, Activation.Cube)] public partial DenseLayer Hidden { get; }
                [Dense(3)] public partial DenseLayer Out { get; }
            }
            """);
        Assert.Empty(diagnostics);
        Assert.Contains("MatMulBias<global::My.Kernels.Cube>", generated, StringComparison.Ordinal);
        Assert.Contains("Activations.BackwardInPlace<global::My.Kernels.Cube>", generated, StringComparison.Ordinal);
        Assert.Contains("new global::SourceNet.LayerActivation(\"Cube\", \"Cube\")", generated, StringComparison.Ordinal);
    }
}
