using SourceNet.Kernels;
using static SourceNet.Runtime.Tests.Kernels.GemmReference;

namespace SourceNet.Runtime.Tests.Kernels;

[Collection(KernelSettingsCollection.Name)]
public class Pool2DTests
{
    /// <summary>"HxWxC PHxPW sS[xS] same|valid": overlapping windows (3 stride 2), Same padding, non-square windows
    /// and inputs, channel counts around the vector widths (1, 3, 8, 16, 17, 33).</summary>
    public static TheoryData<string> Shapes() => new() { "7x5x3 3x3 s2 valid", "7x5x17 3x3 s2 same", "6x6x1 2x2 s2 valid",
        "5x7x33 3x2 s2x1 same", "4x4x8 2x2 s2 same", "9x9x16 3x3 s2 same", "3x5x2 4x4 s3 same" };

    internal static Pool2DGeometry Parse(string shape)
    {
        string[] parts = shape.Split(' ');
        int[] input = Array.ConvertAll(parts[0].Split('x'), int.Parse);
        int[] pool = Array.ConvertAll(parts[1].Split('x'), int.Parse);
        int[] stride = Array.ConvertAll(parts[2][1..].Split('x'), int.Parse);
        return Pool2DGeometry.Create(input[0], input[1], input[2], pool[0], pool[1], stride[0], stride.Length > 1 ? stride[1] : stride[0], parts[3] == "same");
    }

    /// <summary>Values on a coarse grid, so that many windows hold ties.</summary>
    private static float[] WithTies(int length, int seed) => Array.ConvertAll(Random(length, seed), v => MathF.Round(v * 2f));

    [Theory]
    [MemberData(nameof(Shapes))]
    public void MaxForwardMatchesReferenceWithFirstIndexWinningTies(string shape)
    {
        Pool2DGeometry g = Parse(shape);
        foreach (int batch in new[] { 1, 7 })
            foreach (float[] input in new[] { Random(batch * g.InputElements, batch), WithTies(batch * g.InputElements, batch) })
            {
                (float[] expected, int[] expectedArgmax) = ConvReference.MaxPool(g, batch, input);
                foreach (KernelIsa isa in SupportedIsas())
                {
                    var output = new float[expected.Length];
                    var argmax = new int[expected.Length];
                    Pool2D.MaxForwardAt(isa, 2, g, batch, input, output, argmax);
                    Assert.Equal(expected, output);
                    Assert.Equal(expectedArgmax, argmax);
                }
            }
    }

    [Fact]
    public void PaddingNeverWinsAMax()
    {
        Pool2DGeometry g = Parse("5x5x17 3x3 s2 same");
        float[] input = Array.ConvertAll(Random(g.InputElements, 3), v => -1f - MathF.Abs(v));
        var output = new float[g.OutputElements];
        var argmax = new int[g.OutputElements];
        Pool2D.MaxForward(g, 1, input, output, argmax);
        Assert.All(output, v => Assert.True(v <= -1f));
        for (int o = 0; o < output.Length; o++)
            Assert.Equal(input[argmax[o]], output[o]);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void MaxBackwardAddsEachGradientAtItsArgmax(string shape)
    {
        Pool2DGeometry g = Parse(shape);
        const int batch = 7;
        float[] input = WithTies(batch * g.InputElements, 5), outputGradient = Random(batch * g.OutputElements, 6);
        (_, int[] argmax) = ConvReference.MaxPool(g, batch, input);
        var expected = new double[batch * g.InputElements];
        for (int o = 0; o < argmax.Length; o++)
            expected[o / g.OutputElements * g.InputElements + argmax[o]] += outputGradient[o];
        var inputGradient = Enumerable.Repeat(float.NaN, expected.Length).ToArray(); // assigned, not accumulated
        Pool2D.MaxBackward(g, batch, outputGradient, argmax, inputGradient);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - inputGradient[i]) <= 1e-6, $"{shape}: dInput[{i}] = {inputGradient[i]}, expected {expected[i]}");
    }

    [Fact]
    public void OverlappingWindowsAddUpAtASharedArgmax()
    {
        // 3x3 windows, stride 2, over 5x5: the centre value, largest, wins all four windows.
        Pool2DGeometry g = Parse("5x5x1 3x3 s2 valid");
        var input = new float[25];
        input[12] = 10f;
        var output = new float[4];
        var argmax = new int[4];
        Pool2D.MaxForward(g, 1, input, output, argmax);
        Assert.Equal(new[] { 12, 12, 12, 12 }, argmax);
        var inputGradient = new float[25];
        Pool2D.MaxBackward(g, 1, new[] { 1f, 2f, 3f, 4f }, argmax, inputGradient);
        Assert.Equal(10f, inputGradient[12]);
        Assert.Equal(10f, inputGradient.Sum());
    }

    [Fact]
    public void MaxBackwardRejectsAnArgmaxOutsideTheSample()
    {
        Pool2DGeometry g = Parse("4x4x1 2x2 s2 valid");
        var e = Assert.Throws<ArgumentException>(() => Pool2D.MaxBackward(g, 1, new float[4], new[] { 0, 1, 16, 2 }, new float[16]));
        Assert.Contains("16", e.Message);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void AverageMatchesReferenceWithoutCountingPadding(string shape)
    {
        Pool2DGeometry g = Parse(shape);
        foreach (int batch in new[] { 1, 7 })
        {
            float[] input = Random(batch * g.InputElements, 8 + batch), outputGradient = Random(batch * g.OutputElements, 9 + batch);
            (double[] expected, double[] expectedGradient) = ConvReference.AveragePool(g, batch, input, outputGradient);
            var output = new float[expected.Length];
            var inputGradient = Enumerable.Repeat(float.NaN, expectedGradient.Length).ToArray();
            Pool2D.AverageForward(g, batch, input, output);
            Pool2D.AverageBackward(g, batch, outputGradient, inputGradient);
            for (int i = 0; i < expected.Length; i++)
                Assert.True(Math.Abs(expected[i] - output[i]) <= 1e-6, $"{shape}: output[{i}] = {output[i]}, expected {expected[i]}");
            for (int i = 0; i < expectedGradient.Length; i++)
                Assert.True(Math.Abs(expectedGradient[i] - inputGradient[i]) <= 1e-6, $"{shape}: dInput[{i}] = {inputGradient[i]}, expected {expectedGradient[i]}");
        }
    }

    [Fact]
    public void AverageOfAConstantImageIsThatConstantAtTheBorders()
    {
        Pool2DGeometry g = Parse("3x3x2 3x3 s1 same");
        var output = new float[g.OutputElements];
        Pool2D.AverageForward(g, 1, Enumerable.Repeat(2.5f, g.InputElements).ToArray(), output);
        Assert.All(output, v => Assert.Equal(2.5f, v));
    }

    [Fact]
    public void ResultsAreBitIdenticalForOneAndTwoThreads()
    {
        Pool2DGeometry g = Parse("28x28x32 3x3 s2 same");
        const int batch = 20;
        float[] input = Random(batch * g.InputElements, 1), outputGradient = Random(batch * g.OutputElements, 2);
        float[][] Run(int threads)
        {
            int saved = KernelThreads.Count;
            KernelThreads.Count = threads;
            try
            {
                var max = new float[batch * g.OutputElements];
                var argmax = new int[max.Length];
                var maxGradient = new float[input.Length];
                var average = new float[max.Length];
                var averageGradient = new float[input.Length];
                Pool2D.MaxForward(g, batch, input, max, argmax);
                Pool2D.MaxBackward(g, batch, outputGradient, argmax, maxGradient);
                Pool2D.AverageForward(g, batch, input, average);
                Pool2D.AverageBackward(g, batch, outputGradient, averageGradient);
                return new[] { max, Array.ConvertAll(argmax, i => (float)i), maxGradient, average, averageGradient };
            }
            finally
            {
                KernelThreads.Count = saved;
            }
        }
        float[][] one = Run(1), two = Run(2);
        for (int i = 0; i < one.Length; i++)
            Assert.Equal(one[i], two[i]);
    }

    [Fact]
    public void RejectsShortSpansNamingExpectedAndFound()
    {
        Pool2DGeometry g = Parse("4x4x3 2x2 s2 valid");
        var e = Assert.Throws<ArgumentException>(() => Pool2D.AverageForward(g, 2, new float[95], new float[24]));
        Assert.Contains("95", e.Message);
        Assert.Contains("96", e.Message);
        e = Assert.Throws<ArgumentException>(() => Pool2D.MaxForward(g, 2, new float[96], new float[24], new int[23]));
        Assert.Contains("argmax", e.Message);
    }
}
