using SourceNet.Samples.Terminal;
using SourceNet.Training;

namespace SourceNet.Samples.Tests;

/// <summary>
/// The progress bar's time left (issue 19): it is the epoch's, from the recent step rate, with the run's
/// beside it; a slow first step (JIT) does not make a 20-second epoch read 4:39; 100% reads 0:00.
/// </summary>
public class EtaEstimatorTests
{
    private static TrainingProgress At(int epoch, int step, int steps = 1200, int epochs = 5) =>
        new(epoch, epochs, step, steps, RunningLoss: 0.5, StepsPerSecond: 0, Remaining: TimeSpan.Zero);

    [Fact]
    public void A_slow_first_step_does_not_inflate_the_epochs_time_left()
    {
        // 60 steps/s after a first step that took 1 s: the CNN's 20-second epochs.
        var eta = new EtaEstimator();
        Assert.Null(eta.Observe(At(1, 1), TimeSpan.FromSeconds(1)));
        var estimate = eta.Observe(At(1, 27), TimeSpan.FromSeconds(1 + 26 / 60.0));

        Assert.NotNull(estimate);
        Assert.Equal((1200 - 27) / 60.0, estimate.Value.Epoch.TotalSeconds, 3);
        Assert.Equal((1200 - 27 + 4 * 1200) / 60.0, estimate.Value.Run.TotalSeconds, 3);
        Assert.Equal(60, estimate.Value.StepsPerSecond, 3);
    }

    [Fact]
    public void The_epochs_time_left_is_zero_at_100_percent_and_the_runs_counts_the_epochs_after_it()
    {
        var eta = new EtaEstimator();
        eta.Observe(At(2, 600), TimeSpan.FromSeconds(10));
        var estimate = eta.Observe(At(2, 1200), TimeSpan.FromSeconds(20));

        Assert.Equal(TimeSpan.Zero, estimate!.Value.Epoch);
        Assert.Equal(3 * 1200 / 60.0, estimate.Value.Run.TotalSeconds, 3);
        Assert.Contains("ETA 0:00  run 1:00", TerminalTrainingConsole.Describe(At(2, 1200), estimate), StringComparison.Ordinal);
    }

    [Fact]
    public void The_rate_follows_the_last_seconds_and_restarts_with_each_epoch()
    {
        var eta = new EtaEstimator();
        // 10 steps/s for 20 s, then 100 steps/s: after the window has passed, only the new rate counts.
        for (int s = 0; s <= 20; s++)
            eta.Observe(At(1, 1 + 10 * s, steps: 100_000), TimeSpan.FromSeconds(s));
        (TimeSpan Epoch, TimeSpan Run, double StepsPerSecond)? estimate = null;
        for (int s = 1; s <= 10; s++)
            estimate = eta.Observe(At(1, 201 + 100 * s, steps: 100_000), TimeSpan.FromSeconds(20 + s));
        Assert.InRange(estimate!.Value.StepsPerSecond, 99, 101);

        Assert.Null(eta.Observe(At(2, 5, steps: 100_000), TimeSpan.FromSeconds(40)));
        Assert.Contains("ETA -:--", TerminalTrainingConsole.Describe(At(2, 5), null), StringComparison.Ordinal);
    }
}
