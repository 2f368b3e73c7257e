using SourceNet.Kernels;
using static SourceNet.Runtime.Tests.Kernels.GemmReference;

namespace SourceNet.Runtime.Tests.Kernels;

[Collection(KernelSettingsCollection.Name)]
public class Conv2DTests
{
    /// <summary>Odd shapes: non-square inputs and kernels, strides 1 and 2, Same and Valid, 1 and 3 channels,
    /// filter counts below, at and past the vector widths (3, 5, 17, 20, 32).</summary>
    public static TheoryData<string> Shapes() => new() { "7x5x1 3x2x3 s1 same", "7x5x3 3x2x5 s2 valid", "7x5x3 3x3x17 s2 same",
        "6x6x1 5x5x32 s1 same", "9x7x3 2x3x20 s2x1 same", "8x9x3 4x4x16 s3 valid", "5x4x2 1x1x7 s1 valid" };

    /// <summary>Parses "HxWxC KHxKWxF sS[xS] same|valid".</summary>
    internal static Conv2DGeometry Parse(string shape)
    {
        string[] parts = shape.Split(' ');
        int[] input = Array.ConvertAll(parts[0].Split('x'), int.Parse);
        int[] kernel = Array.ConvertAll(parts[1].Split('x'), int.Parse);
        int[] stride = Array.ConvertAll(parts[2][1..].Split('x'), int.Parse);
        return Conv2DGeometry.Create(input[0], input[1], input[2], kernel[2], kernel[0], kernel[1],
            stride[0], stride.Length > 1 ? stride[1] : stride[0], parts[3] == "same");
    }

    private sealed record Case(Conv2DGeometry G, int Batch, float[] Input, float[] Weight, float[] Bias, float[] OutputGradient)
    {
        public float[] Workspace { get; } = new float[Conv2D.WorkspaceLength(G, Batch)];

        public static Case Make(Conv2DGeometry g, int batch, int seed) => new(g, batch,
            Random(batch * g.InputElements, seed), Random(g.PatchLength * g.Filters, seed + 1),
            Random(g.Filters, seed + 2), Random(batch * g.OutputElements, seed + 3));
    }

    private static IEnumerable<Conv2D.Method> Methods => new[] { Conv2D.Method.Direct, Conv2D.Method.Im2Col };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void ForwardMatchesReferenceForEveryMethodAndIsa(string shape)
    {
        Conv2DGeometry g = Parse(shape);
        foreach (int batch in new[] { 1, 7 })
        {
            var c = Case.Make(g, batch, shape.Length + batch);
            (double[] sums, double[] magnitudes) = ConvReference.Forward(g, batch, c.Input, c.Weight, c.Bias);
            foreach (KernelIsa isa in SupportedIsas())
                foreach (Conv2D.Method method in Methods)
                {
                    var output = new float[batch * g.OutputElements];
                    Conv2D.ForwardAt<ReluActivation>(isa, method, 2, g, batch, c.Input, c.Weight, c.Bias, output, c.Workspace);
                    AssertClose<ReluActivation>(sums, magnitudes, output, g.PatchLength, $"{shape} batch {batch} {isa} {method}");
                }
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void DirectAndIm2ColComputeTheSameBits(string shape)
    {
        // Both methods run each output as the same fused multiply-add chain, so they agree exactly per ISA.
        Conv2DGeometry g = Parse(shape);
        var c = Case.Make(g, 7, 11);
        foreach (KernelIsa isa in SupportedIsas())
        {
            var direct = new float[7 * g.OutputElements];
            var im2col = new float[direct.Length];
            Conv2D.ForwardAt<TanhActivation>(isa, Conv2D.Method.Direct, 1, g, 7, c.Input, c.Weight, c.Bias, direct, c.Workspace);
            Conv2D.ForwardAt<TanhActivation>(isa, Conv2D.Method.Im2Col, 1, g, 7, c.Input, c.Weight, c.Bias, im2col, c.Workspace);
            Assert.Equal(direct, im2col);
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void BackwardMatchesReferenceGradients(string shape)
    {
        Conv2DGeometry g = Parse(shape);
        foreach (int batch in new[] { 1, 7 })
        {
            var c = Case.Make(g, batch, 3 * shape.Length + batch);
            (double[] dInput, double[] dWeight, double[] dBias) = ConvReference.Backward(g, batch, c.Input, c.Weight, c.OutputGradient);
            (double[] mInput, double[] mWeight, double[] mBias) = ConvReference.Backward(g, batch, Abs(c.Input), Abs(c.Weight), Abs(c.OutputGradient));
            foreach (KernelIsa isa in SupportedIsas())
            {
                string what = $"{shape} batch {batch} {isa}";
                foreach (Conv2D.Method method in Methods)
                {
                    var inputGradient = new float[batch * g.InputElements];
                    Conv2D.BackwardInputAt(isa, method, 2, g, batch, c.OutputGradient, c.Weight, inputGradient, c.Workspace);
                    AssertClose<IdentityActivation>(dInput, mInput, inputGradient, g.Filters * g.PatchLength, $"{what} {method} dInput");
                }
                var weightGradient = new float[c.Weight.Length];
                var biasGradient = new float[g.Filters];
                Conv2D.BackwardFilterAt(isa, 2, g, batch, c.Input, c.OutputGradient, weightGradient, biasGradient, c.Workspace);
                AssertClose<IdentityActivation>(dWeight, mWeight, weightGradient, batch * g.OutputPositions, what + " dWeight");
                AssertClose<IdentityActivation>(dBias, mBias, biasGradient, batch * g.OutputPositions, what + " dBias");
            }
        }
    }

    /// <summary>The shapes above, and ones whose filter gradient has many tiles of dW (360 and 800 rows: blocks of tiles
    /// rather than column blocks), several passes per chunk, and filter counts with a narrower panel and a scalar tail.</summary>
    public static TheoryData<string> FilterGradientShapes()
    {
        var shapes = new TheoryData<string>();
        foreach (string shape in Shapes())
            shapes.Add(shape);
        shapes.Add("9x8x40 3x3x13 s1 same");
        shapes.Add("10x10x32 5x5x27 s1 same");
        shapes.Add("11x9x5 3x4x44 s2x1 valid");
        return shapes;
    }

    [Theory]
    [MemberData(nameof(FilterGradientShapes))]
    public void FilterGradientDirectAndIm2ColComputeTheSameBits(string shape)
    {
        // Both methods sum each dW element over a chunk's rows in increasing order from zero (the direct one in passes,
        // its sums stored and reloaded between them), and the chunks in order: the same bits per ISA, thread count,
        // batch (1, 3, 7) and chunking.
        Conv2DGeometry g = Parse(shape);
        foreach (int batch in new[] { 1, 3, 7 })
        {
            var c = Case.Make(g, batch, 17 * shape.Length + batch);
            foreach (KernelIsa isa in SupportedIsas())
                foreach (int threads in new[] { 1, 2 })
                {
                    var direct = new float[c.Weight.Length];
                    var directBias = new float[g.Filters];
                    var im2col = new float[c.Weight.Length];
                    var im2colBias = new float[g.Filters];
                    Conv2D.BackwardFilterAt(isa, Conv2D.Method.Direct, threads, g, batch, c.Input, c.OutputGradient, direct, directBias, c.Workspace);
                    Conv2D.BackwardFilterAt(isa, Conv2D.Method.Im2Col, threads, g, batch, c.Input, c.OutputGradient, im2col, im2colBias, c.Workspace);
                    Assert.True(im2col.AsSpan().SequenceEqual(direct), $"{shape} batch {batch} {isa} {threads} threads: dW differs");
                    Assert.Equal(im2colBias, directBias);
                }
        }
    }

    [Theory]
    [InlineData("9x8x40 3x3x13 s1 same")]
    [InlineData("10x10x32 5x5x27 s1 same")]
    [InlineData("11x9x5 3x4x44 s2x1 valid")]
    public void FilterGradientMatchesReferenceAtLargerShapes(string shape)
    {
        Conv2DGeometry g = Parse(shape);
        const int batch = 3;
        var c = Case.Make(g, batch, 23 * shape.Length);
        (_, double[] dWeight, double[] dBias) = ConvReference.Backward(g, batch, c.Input, c.Weight, c.OutputGradient);
        (_, double[] mWeight, double[] mBias) = ConvReference.Backward(g, batch, Abs(c.Input), Abs(c.Weight), Abs(c.OutputGradient));
        foreach (KernelIsa isa in SupportedIsas())
        {
            var weightGradient = new float[c.Weight.Length];
            var biasGradient = new float[g.Filters];
            Conv2D.BackwardFilterAt(isa, Conv2D.Method.Direct, 2, g, batch, c.Input, c.OutputGradient, weightGradient, biasGradient, c.Workspace);
            AssertClose<IdentityActivation>(dWeight, mWeight, weightGradient, batch * g.OutputPositions, $"{shape} {isa} dWeight");
            AssertClose<IdentityActivation>(dBias, mBias, biasGradient, batch * g.OutputPositions, $"{shape} {isa} dBias");
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void BackwardMatchesFiniteDifferences(string shape)
    {
        // L = Σ r·conv(x, W, b) is linear in each of x, W and b, so a central difference has no truncation error;
        // what is left is float rounding of the outputs, summed in double.
        Conv2DGeometry g = Parse(shape);
        const int batch = 2;
        var c = Case.Make(g, batch, 5 * shape.Length);
        var inputGradient = new float[batch * g.InputElements];
        var weightGradient = new float[c.Weight.Length];
        var biasGradient = new float[g.Filters];
        Conv2D.BackwardInput(g, batch, c.OutputGradient, c.Weight, inputGradient, c.Workspace);
        Conv2D.BackwardFilter(g, batch, c.Input, c.OutputGradient, weightGradient, biasGradient, c.Workspace);
        var output = new float[batch * g.OutputElements];
        double Loss()
        {
            Conv2D.Forward<IdentityActivation>(g, batch, c.Input, c.Weight, c.Bias, output, c.Workspace);
            double sum = 0;
            for (int i = 0; i < output.Length; i++)
                sum += (double)c.OutputGradient[i] * output[i];
            return sum;
        }
        var random = new Random(7);
        CheckDifferences(c.Input, inputGradient, "input");
        CheckDifferences(c.Weight, weightGradient, "weight");
        CheckDifferences(c.Bias, biasGradient, "bias");

        void CheckDifferences(float[] values, float[] gradient, string what)
        {
            for (int t = 0; t < Math.Min(12, values.Length); t++)
            {
                int i = random.Next(values.Length);
                const float step = 0.25f;
                float saved = values[i];
                values[i] = saved + step;
                double plus = Loss();
                values[i] = saved - step;
                double minus = Loss();
                values[i] = saved;
                double numeric = (plus - minus) / (2 * step);
                Assert.True(Math.Abs(numeric - gradient[i]) <= 1e-3 * (1 + Math.Abs(numeric)),
                    $"{shape} d{what}[{i}]: analytic {gradient[i]:R}, finite difference {numeric:R}");
            }
        }
    }

    [Fact]
    public void ChunksOfTheReferenceNetworksSecondLayerMatchTheReference()
    {
        // 14x14x32 -> 5x5x64 Same: 6 samples per 4 MB chunk, so a batch of 7 runs two chunks (the weight gradient
        // is summed across them) and the products are large enough to split over two threads.
        Conv2DGeometry g = Conv2DGeometry.Create(14, 14, 32, 64, 5, 5, 1, 1, samePadding: true);
        Assert.True(new ConvPlan(g).SamplesPerChunk < 7);
        const int batch = 7;
        var c = Case.Make(g, batch, 99);
        (double[] sums, double[] magnitudes) = ConvReference.Forward(g, batch, c.Input, c.Weight, c.Bias);
        (double[] dInput, double[] dWeight, double[] dBias) = ConvReference.Backward(g, batch, c.Input, c.Weight, c.OutputGradient);
        (double[] mInput, double[] mWeight, double[] mBias) = ConvReference.Backward(g, batch, Abs(c.Input), Abs(c.Weight), Abs(c.OutputGradient));
        var output = new float[batch * g.OutputElements];
        var inputGradient = new float[batch * g.InputElements];
        var weightGradient = new float[c.Weight.Length];
        var biasGradient = new float[g.Filters];
        Conv2D.Forward<ReluActivation>(g, batch, c.Input, c.Weight, c.Bias, output, c.Workspace);
        Conv2D.BackwardInput(g, batch, c.OutputGradient, c.Weight, inputGradient, c.Workspace);
        Conv2D.BackwardFilter(g, batch, c.Input, c.OutputGradient, weightGradient, biasGradient, c.Workspace);
        AssertClose<ReluActivation>(sums, magnitudes, output, g.PatchLength, "forward");
        AssertClose<IdentityActivation>(dInput, mInput, inputGradient, g.Filters * g.PatchLength, "dInput");
        AssertClose<IdentityActivation>(dWeight, mWeight, weightGradient, batch * g.OutputPositions, "dWeight");
        AssertClose<IdentityActivation>(dBias, mBias, biasGradient, batch * g.OutputPositions, "dBias");
    }

    [Theory]
    [InlineData("14x14x32 5x5x64 s1 same", 7)]
    [InlineData("28x28x1 5x5x32 s1 same", 5)]
    [InlineData("9x7x3 2x3x20 s2x1 same", 7)]
    public void ResultsAreBitIdenticalForOneAndTwoThreads(string shape, int batch)
    {
        Conv2DGeometry g = Parse(shape);
        var c = Case.Make(g, batch, 1234);
        float[][] one = RunAll(c, threads: 1), two = RunAll(c, threads: 2);
        for (int i = 0; i < one.Length; i++)
            Assert.Equal(one[i], two[i]);
        // The filter gradient's two splits (by rows of dW here, by columns in Gemm) give the same bits too.
        var byColumns = new float[c.Weight.Length];
        lock (FilterSplitLock)
        {
            Conv2D.FilterGradientByRows = false;
            try
            {
                Conv2D.BackwardFilter(g, batch, c.Input, c.OutputGradient, byColumns, new float[g.Filters], c.Workspace);
            }
            finally
            {
                Conv2D.FilterGradientByRows = true;
            }
        }
        Assert.Equal(one[2], byColumns);
    }

    private static readonly object FilterSplitLock = new();

    private static float[][] RunAll(Case c, int threads)
    {
        int saved = KernelThreads.Count;
        KernelThreads.Count = threads;
        try
        {
            Conv2DGeometry g = c.G;
            var output = new float[c.Batch * g.OutputElements];
            var inputGradient = new float[c.Batch * g.InputElements];
            var weightGradient = new float[c.Weight.Length];
            var biasGradient = new float[g.Filters];
            Conv2D.Forward<SigmoidActivation>(g, c.Batch, c.Input, c.Weight, c.Bias, output, c.Workspace);
            Conv2D.BackwardInput(g, c.Batch, c.OutputGradient, c.Weight, inputGradient, c.Workspace);
            Conv2D.BackwardFilter(g, c.Batch, c.Input, c.OutputGradient, weightGradient, biasGradient, c.Workspace);
            return new[] { output, inputGradient, weightGradient, biasGradient };
        }
        finally
        {
            KernelThreads.Count = saved;
        }
    }

    [Fact]
    public void ASampleGetsTheSameBitsInAnyBatchAndWorkspace()
    {
        // Chunks depend on the geometry only, so a sample's output does not depend on its neighbours or on maxBatch.
        Conv2DGeometry g = Conv2DGeometry.Create(14, 14, 32, 64, 5, 5, 1, 1, samePadding: true);
        var c = Case.Make(g, 7, 5);
        var all = new float[7 * g.OutputElements];
        Conv2D.Forward<ReluActivation>(g, 7, c.Input, c.Weight, c.Bias, all, c.Workspace);
        var single = new float[g.OutputElements];
        var small = new float[Conv2D.WorkspaceLength(g, 1)];
        Conv2D.Forward<ReluActivation>(g, 1, c.Input.AsSpan(6 * g.InputElements), c.Weight, c.Bias, single, small);
        Assert.Equal(all.AsSpan(6 * g.OutputElements).ToArray(), single);
    }

    /// <summary>The forward pass's own workspace (what an inference replica holds) is enough for it and gives the same
    /// bits; the direct input gradient's geometry (stride 1, 16+ channels) needs more for the backward pass.</summary>
    [Theory]
    [InlineData("14x14x32 5x5x64 s1 same")]
    [InlineData("28x28x1 5x5x32 s1 same")]
    [InlineData("7x5x3 3x2x5 s2 valid")]
    public void TheForwardWorkspaceIsEnoughForForward(string geometry)
    {
        Conv2DGeometry g = Parse(geometry);
        var c = Case.Make(g, 5, 9);
        int forwardLength = Conv2D.ForwardWorkspaceLength(g, 5);
        Assert.InRange(forwardLength, 1, Conv2D.WorkspaceLength(g, 5));
        var expected = new float[5 * g.OutputElements];
        var actual = new float[5 * g.OutputElements];
        Conv2D.Forward<ReluActivation>(g, 5, c.Input, c.Weight, c.Bias, expected, c.Workspace);
        Conv2D.Forward<ReluActivation>(g, 5, c.Input, c.Weight, c.Bias, actual, new float[forwardLength]);
        Assert.Equal(expected, actual);
        Assert.Throws<ArgumentException>(() =>
            Conv2D.Forward<ReluActivation>(g, 5, c.Input, c.Weight, c.Bias, actual, new float[forwardLength - 1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => Conv2D.ForwardWorkspaceLength(g, 0));
    }

    [Fact]
    public void AllocatesNothingPerCall()
    {
        Conv2DGeometry g = Conv2DGeometry.Create(14, 14, 32, 64, 5, 5, 1, 1, samePadding: true);
        var c = Case.Make(g, 7, 8);
        var output = new float[7 * g.OutputElements];
        var inputGradient = new float[7 * g.InputElements];
        var weightGradient = new float[c.Weight.Length];
        var biasGradient = new float[g.Filters];
        void Step()
        {
            Conv2D.Forward<ReluActivation>(g, 7, c.Input, c.Weight, c.Bias, output, c.Workspace);
            Conv2D.BackwardInput(g, 7, c.OutputGradient, c.Weight, inputGradient, c.Workspace);
            Conv2D.BackwardFilter(g, 7, c.Input, c.OutputGradient, weightGradient, biasGradient, c.Workspace);
        }
        Step();
        Step();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 3; i++)
            Step();
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void RejectsWrongLengthsNamingExpectedAndFound()
    {
        Conv2DGeometry g = Parse("7x5x3 3x2x5 s2 valid");
        var c = Case.Make(g, 2, 1);
        var output = new float[2 * g.OutputElements];
        var e = Assert.Throws<ArgumentException>(() =>
            Conv2D.Forward<ReluActivation>(g, 2, c.Input.AsSpan(1), c.Weight, c.Bias, output, c.Workspace));
        Assert.Contains($"{c.Input.Length - 1}", e.Message);
        Assert.Contains($"{c.Input.Length}", e.Message);
        e = Assert.Throws<ArgumentException>(() =>
            Conv2D.Forward<ReluActivation>(g, 2, c.Input, c.Weight.AsSpan(1), c.Bias, output, c.Workspace));
        Assert.Contains("HWIO", e.Message);
        e = Assert.Throws<ArgumentException>(() =>
            Conv2D.BackwardFilter(g, 2, c.Input, c.OutputGradient, new float[c.Weight.Length], new float[4], c.Workspace));
        Assert.Contains("biasGradient", e.Message);
        e = Assert.Throws<ArgumentException>(() =>
            Conv2D.BackwardInput(g, 2, c.OutputGradient, c.Weight, new float[2 * g.InputElements], new float[3]));
        Assert.Contains("WorkspaceLength", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Conv2D.WorkspaceLength(g, 0));
        // The direct input gradient (stride 1, 16+ channels) names its own arguments too.
        Conv2DGeometry wide = Parse("6x6x16 3x3x16 s1 same");
        var w = Case.Make(wide, 1, 2);
        e = Assert.Throws<ArgumentException>(() =>
            Conv2D.BackwardInput(wide, 1, w.OutputGradient.AsSpan(1), w.Weight, new float[wide.InputElements], w.Workspace));
        Assert.Contains("outputGradient", e.Message);
        e = Assert.Throws<ArgumentException>(() =>
            Conv2D.BackwardInput(wide, 1, w.OutputGradient, w.Weight, new float[wide.InputElements - 1], w.Workspace));
        Assert.Contains("inputGradient", e.Message);
    }

    private static float[] Abs(float[] values) => Array.ConvertAll(values, MathF.Abs);
}
