using SourceNet.Kernels;
using static SourceNet.Runtime.Tests.Kernels.GemmReference;

namespace SourceNet.Runtime.Tests.Kernels;

public class AdaptiveSplitTests
{
    [Fact]
    public void PublicProductsGiveTheSameBitsWhicheverWayEachCallRuns()
    {
        // 40 calls per product cover an exploration window (split and single alternating) and the choice after it.
        int saved = KernelThreads.Count;
        bool enabled = AdaptiveSplit.Enabled;
        try
        {
            KernelThreads.Count = 2;
            AdaptiveSplit.Enabled = true;
            foreach (Layout layout in Enum.GetValues<Layout>())
            {
                // Odd sizes (a shape no other test uses, so this test's calls start its statistics).
                int m = 97, n = 301, k = 45;
                float[] a = Random(m * k, 1), b = Random(k * n, 2), bias = Random(n, 3);
                float[]? biasOrNull = layout == Layout.Forward ? bias : null;
                var expected = new float[m * n];
                Run<ReluActivation>(layout, KernelIsaInfo.Best, 1, m, n, k, a, b, biasOrNull, expected);
                var actual = new float[m * n];
                for (int call = 0; call < 40; call++)
                {
                    Array.Fill(actual, float.NaN);
                    switch (layout)
                    {
                        case Layout.Forward: Gemm.MatMulBias<ReluActivation>(m, n, k, a, b, bias, actual); break;
                        case Layout.TransposeA: Gemm.MatMulTransposeA(m, n, k, a, b, actual); break;
                        default: Gemm.MatMulTransposeB(m, n, k, a, b, actual); break;
                    }
                    Assert.True(expected.AsSpan().SequenceEqual(actual), $"{layout}, call {call}: differs from the single-threaded product");
                }
                AdaptiveSplit.Shape? shape = AdaptiveSplit.For(AdaptiveSplit.Key(layout switch
                {
                    Layout.Forward => 1,
                    Layout.TransposeA => 2,
                    _ => 3,
                }, m, n, k));
                Assert.NotNull(shape);
                Assert.False(double.IsNaN(shape!.Estimates.Split) || double.IsNaN(shape.Estimates.Single), $"{layout}: both ways were timed");
            }
        }
        finally
        {
            KernelThreads.Count = saved;
            AdaptiveSplit.Enabled = enabled;
        }
    }

    [Fact]
    public void PicksTheFasterWayAndKeepsChecking()
    {
        var shape = new AdaptiveSplit.Shape(1);
        // Splitting three times slower: after the first window, single-threaded.
        Drive(shape, splitTicks: 300, singleTicks: 100, calls: AdaptiveSplit.ExploreCalls);
        Assert.False(shape.Estimates.PreferSplit);
        Assert.False(shape.NextSplit());
        // It looks again later (less often while splitting loses; estimates blend the last two windows); when
        // splitting has become faster, it switches back.
        Drive(shape, splitTicks: 50, singleTicks: 100, calls: 40 * AdaptiveSplit.ExploitCalls);
        Assert.True(shape.Estimates.PreferSplit);
    }

    [Fact]
    public void StopsSplittingWithinAWindowAfterAStall()
    {
        var shape = new AdaptiveSplit.Shape(2);
        Drive(shape, splitTicks: 100, singleTicks: 100, calls: AdaptiveSplit.ExploreCalls); // both known
        Drive(shape, splitTicks: 100, singleTicks: 100, calls: AdaptiveSplit.ExploitCalls);
        int splits = 0;
        for (int call = 0; call < AdaptiveSplit.ExploreCalls; call++)
        {
            bool split = shape.NextSplit();
            splits += split ? 1 : 0;
            shape.Record(split, split ? 10_000 : 100);
        }
        Assert.Equal(1, splits);
        Assert.False(shape.Estimates.PreferSplit);
    }

    private static void Drive(AdaptiveSplit.Shape shape, long splitTicks, long singleTicks, int calls)
    {
        for (int call = 0; call < calls; call++)
        {
            bool split = shape.NextSplit();
            shape.Record(split, split ? splitTicks : singleTicks);
        }
    }
}
