using SourceNet.Kernels;

namespace SourceNet.Runtime.Tests.Optimizers;

/// <summary>
/// <see cref="Gemm.WeightGradient"/> fuses the optimizer's update into the weight-gradient product, column block by
/// column block. It must give exactly what the product followed by a whole-parameter update gives.
/// </summary>
[Collection(KernelSettingsCollection.Name)]
public class FusedWeightGradientTests
{
    public static TheoryData<string, int, int, int> Cases() => new()
    {
        { "adam", 784, 300, 100 },
        { "adam", 37, 129, 7 },
        { "adam", 5, 3, 2 },
        { "sgd", 784, 300, 100 },
        { "momentum", 300, 65, 17 },
        // Narrow weights (a 10-class output layer): the whole-row block is updated as one contiguous run.
        { "adam", 300, 10, 100 },
        { "momentum", 300, 10, 100 },
        { "sgd", 33, 7, 5 },
        // AdamW's decay rides in the same fused pass.
        { "adamw", 784, 300, 100 },
        { "adamw", 37, 129, 7 },
        { "adamw", 300, 10, 100 },
    };

    private static Optimizer Make(string kind) => kind switch
    {
        "adam" => new Adam(1e-2f),
        "sgd" => new Sgd(0.05f),
        "adamw" => new AdamW(1e-2f, weightDecay: 0.1f) { Schedule = new CosineSchedule(1, 5) },
        _ => new Sgd(0.05f, momentum: 0.9f),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Fused_update_equals_product_then_update(string kind, int m, int n, int k)
    {
        var random = new SeededRandom(m * 31 + n);
        var a = new float[k * m];
        var b = new float[k * n];
        var fused = new Parameter("W", m, n);
        var reference = new Parameter("W", m, n);
        random.FillNormal(fused.Value, 0f, 0.1f);
        fused.Value.CopyTo(reference.Value, 0);
        Optimizer fusedOptimizer = Make(kind), referenceOptimizer = Make(kind);

        foreach (int threads in new[] { 2, 1, 2 })
        {
            int saved = KernelThreads.Count;
            bool adaptive = KernelThreads.Adaptive;
            KernelThreads.Count = threads;
            KernelThreads.Adaptive = false; // split whenever two threads are allowed, not as timings choose
            try
            {
                random.FillNormal(a, 0f, 1f);
                random.FillNormal(b, 0f, 1f);
                fusedOptimizer.BeginStep();
                Gemm.WeightGradient(m, n, k, a, b, fused, fusedOptimizer);
                referenceOptimizer.BeginStep();
                Gemm.MatMulTransposeA(m, n, k, a, b, reference.Gradient);
                referenceOptimizer.Update(reference);
            }
            finally
            {
                KernelThreads.Count = saved;
                KernelThreads.Adaptive = adaptive;
            }
            Assert.Equal(reference.Gradient, fused.Gradient);
            Assert.Equal(reference.Value, fused.Value);
        }
    }

    /// <summary>Split, the product runs in blocks of whole rows, each updated by the core that computed it: the same
    /// bits as one thread, for every way the rows fall into blocks (fewer tiles than a block, a short last tile,
    /// more parts than fit), with sparse inputs listed (steps 0 and 1) and dense (step 2).</summary>
    [Theory]
    [InlineData("adam", 784, 300, 100, 2)]
    [InlineData("adam", 784, 300, 100, 3)]
    [InlineData("momentum", 785, 33, 9, 2)]
    [InlineData("sgd", 13, 40, 5, 2)]
    [InlineData("adam", 11, 40, 5, 2)] // under 6 rows a part: not split by rows
    [InlineData("adam", 100, 17, 50, 7)]
    [InlineData("adamw", 784, 300, 100, 2)]
    public void Row_block_split_equals_one_thread(string kind, int m, int n, int k, int parts)
    {
        var random = new SeededRandom(m * 7 + parts);
        var a = new float[k * m];
        var b = new float[k * n];
        var split = new Parameter("W", m, n);
        var single = new Parameter("W", m, n);
        random.FillNormal(split.Value, 0f, 0.1f);
        split.Value.CopyTo(single.Value, 0);
        Optimizer splitOptimizer = Make(kind), singleOptimizer = Make(kind);
        for (int step = 0; step < 3; step++)
        {
            random.FillNormal(a, 0f, 1f);
            // A stored [k, m]: whole samples (steps) zero in three of four, so tiles of six rows skip most steps and
            // the listed tiles run where AVX-512 has them; every other step dense.
            for (int i = 0; i < a.Length; i++)
                if (i / m % 4 != 0 && step != 2) a[i] = 0f;
            random.FillNormal(b, 0f, 1f);
            splitOptimizer.BeginStep();
            singleOptimizer.BeginStep();
            Gemm.WeightGradientAt(KernelIsaInfo.Best, parts, m, n, k, a, b, split, splitOptimizer);
            Gemm.WeightGradientAt(KernelIsaInfo.Best, 1, m, n, k, a, b, single, singleOptimizer);
            Assert.Equal(single.Gradient, split.Gradient);
            Assert.Equal(single.Value, split.Value);
        }
    }

    [Fact]
    public void Without_an_optimizer_only_the_gradient_is_computed()
    {
        var weight = new Parameter("W", 3, 4);
        var before = (float[])weight.Value.Clone();
        Gemm.WeightGradient(3, 4, 2, new float[] { 1, 2, 3, 4, 5, 6 }, new float[] { 1, 0, 0, 1, 0, 1, 1, 0 }, weight, null);
        // Aᵀ·B with A stored [k=2, m=3] = [[1,2,3],[4,5,6]] and B [2,4].
        Assert.Equal(new float[] { 1, 4, 4, 1, 2, 5, 5, 2, 3, 6, 6, 3 }, weight.Gradient);
        Assert.Equal(before, weight.Value);
    }

    [Fact]
    public void A_weight_of_the_wrong_shape_is_rejected()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            Gemm.WeightGradient(3, 4, 2, new float[6], new float[8], new Parameter("Layer.Weight", 4, 3), new Adam()));
        Assert.Contains("Layer.Weight is [4, 3]; the product is [3, 4]", error.Message);
    }
}
