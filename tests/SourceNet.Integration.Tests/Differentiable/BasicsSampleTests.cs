using System.IO;
using SourceNet.Samples.Basics;

namespace SourceNet.Integration.Tests.Differentiable;

/// <summary>The Basics sample (tutorial section 2) prints the tutorial's values and the generated gradients.</summary>
public class BasicsSampleTests
{
    [Fact]
    public void Sample_prints_the_tutorial_values()
    {
        var output = new StringWriter { NewLine = "\n" };
        Tutorial.Run(output);
        string expected = """
            <Variable 'const' shape=() dtype=float32, values=2.0>
            Variable a is 9.0
            Gradients (generated at compile time): a = 9.0, da/db = 3.0, da/dc = 6.0

            <Variable 'b' shape=(10,) dtype=int32, values=[0 1 2 3 4 5 6 7 8 9]>
            Variable a is [3 6 9 12 15 18 21 24 27 30]
            Element-wise gradients: da/db = [3 3 3 3 3 3 3 3 3 3], da/dc = [4 5 6 7 8 9 10 11 12 13] (summed over the broadcast c: 85.0)
            b[1] = 10: b is [0 10 2 3 4 5 6 7 8 9]
            Variable a is [3 33 9 12 15 18 21 24 27 30]
            b[6:9] = 10: b is [0 10 2 3 4 5 10 10 10 9]
            Variable a is [3 33 9 12 15 18 33 33 33 30]
            Element-wise gradients: da/db = [3 3 3 3 3 3 3 3 3 3], da/dc = [4 14 6 7 8 9 14 14 14 13] (summed over the broadcast c: 103.0)
            f = b[2:5] is <Variable 'b[2:5]' shape=(3,) dtype=int32, values=[2 3 4]>
            f[0] = -1: f is [-1 3 4], b is still [0 10 2 3 4 5 10 10 10 9]

            """;
        Assert.Equal(expected.Replace("\r\n", "\n"), output.ToString());
    }

    [Fact]
    public void Sample_graph_gradient_at_b2_c1()
    {
        Assert.Equal(9f, Graph.AWithGradient(2f, 1f, out float dB, out float dC));
        Assert.Equal(3f, dB);
        Assert.Equal(6f, dC);
    }
}
