using Microsoft.CodeAnalysis;
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
}
