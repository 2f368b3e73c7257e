using SourceNet.Kernels;
using static SourceNet.Runtime.Tests.Kernels.GemmReference;

namespace SourceNet.Runtime.Tests.Kernels;

[Collection(KernelSettingsCollection.Name)]
public class AdaptiveSplitTests
{
    [Fact]
    public void PublicProductsGiveTheSameBitsWhicheverWayEachCallRuns()
    {
        // A controller that changes its way every few calls whatever the timings (stretches of one call, blocks of
        // two, no backoff, no stalls): 40 calls per product run both ways several times.
        int saved = KernelThreads.Count;
        bool enabled = AdaptiveSplit.Enabled;
        SplitController savedController = SplitController.Shared;
        var controller = new SplitController(new SplitSchedule(FirstCalls: 1, ExploitCalls: 1, BlockCalls: 2, WarmUpCalls: 0, MaxBackoff: 1, StallFactor: double.MaxValue, StallTicks: 0));
        try
        {
            KernelThreads.Count = 2;
            AdaptiveSplit.Enabled = true;
            SplitController.Shared = controller;
            foreach (Layout layout in Enum.GetValues<Layout>())
            {
                int m = 97, n = 301, k = 45;
                float[] a = Random(m * k, 1), b = Random(k * n, 2), bias = Random(n, 3);
                float[]? biasOrNull = layout == Layout.Forward ? bias : null;
                var expected = new float[m * n];
                Run<ReluActivation>(layout, KernelIsaInfo.Best, 1, m, n, k, a, b, biasOrNull, expected);
                var actual = new float[m * n];
                long splitBefore = controller.SplitCalls, singleBefore = controller.SingleCalls;
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
                Assert.True(controller.SplitCalls - splitBefore >= 10, $"{layout}: split {controller.SplitCalls - splitBefore} times");
                Assert.True(controller.SingleCalls - singleBefore >= 10, $"{layout}: single-threaded {controller.SingleCalls - singleBefore} times");
            }
        }
        finally
        {
            SplitController.Shared = savedController;
            KernelThreads.Count = saved;
            AdaptiveSplit.Enabled = enabled;
        }
    }
}
