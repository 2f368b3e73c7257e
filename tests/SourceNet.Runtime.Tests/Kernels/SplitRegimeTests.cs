using SourceNet.Kernels;

namespace SourceNet.Runtime.Tests.Kernels;

/// <summary>Training steps and forward-only stretches follow separate split choices.</summary>
public class SplitRegimeTests
{
    private static readonly SplitSchedule Schedule = new(FirstCalls: 5, ExploitCalls: 10, BlockCalls: 4, WarmUpCalls: 1, MaxBackoff: 8, StallFactor: 2.0, StallTicks: 0);

    [Fact]
    public void ForwardOnlyStretchesFollowTheirOwnController()
    {
        var regime = new SplitRegime(new SplitController(Schedule), new SplitController(Schedule));
        // Training steps: forward products, then weight gradients, over and over (the first step's forward products
        // count as forward-only: nothing has shown it is training yet).
        regime.GradientProduct();
        for (int step = 0; step < 100; step++)
        {
            for (int call = 0; call < 5; call++)
                Assert.Same(regime.Training, regime.Next());
            regime.GradientProduct();
        }
        // Inference over a test set: training's controller until the stretch is long enough to be sure, then its own.
        for (int call = 1; call <= SplitRegime.ForwardOnlyAfter; call++)
            Assert.Same(regime.Training, regime.Next());
        for (int call = 0; call < 200; call++)
            Assert.Same(regime.ForwardOnly, regime.Next());
        // Training again: the first weight gradient brings training's controller back.
        regime.GradientProduct();
        Assert.Same(regime.Training, regime.Next());
    }

    [Fact]
    public void AFreshProcessStartsForwardOnlyUntilAWeightGradient()
    {
        var regime = new SplitRegime(new SplitController(Schedule), new SplitController(Schedule));
        Assert.Same(regime.ForwardOnly, regime.Next());
        regime.GradientProduct();
        Assert.Same(regime.Training, regime.Next());
    }
}
