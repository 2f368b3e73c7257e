using SourceNet.Kernels;

namespace SourceNet.Runtime.Tests.Kernels;

/// <summary>The per-network choice between splitting a training step by samples, by products, or not at all.</summary>
public class TrainingSplitControllerTests
{
    private static readonly TrainingSplitSchedule Quick = new(FirstSteps: 3, WarmUpSteps: 1, TimedSteps: 3, ExploitSteps: 10, MaxBackoff: 4, StallFactor: 3.0, StallTicks: 100);

    /// <summary>Runs <paramref name="steps"/> steps, each timed by <paramref name="ticksOf"/>; returns the ways used.</summary>
    private static List<TrainingSplit> Run(TrainingSplitController controller, int steps, Func<TrainingSplit, long> ticksOf)
    {
        var ways = new List<TrainingSplit>();
        for (int s = 0; s < steps; s++)
        {
            TrainingSplit way = controller.Next();
            ways.Add(way);
            controller.Record(way, ticksOf(way));
        }
        return ways;
    }

    [Fact]
    public void The_first_steps_take_every_way_then_a_look_times_each_in_a_block()
    {
        var controller = new TrainingSplitController(Quick);
        List<TrainingSplit> ways = Run(controller, 3 + 3 * 4, _ => 1000);

        Assert.Equal(new[] { TrainingSplit.Samples, TrainingSplit.Products, TrainingSplit.OneThread }, ways.Take(3));
        Assert.Equal(Enumerable.Repeat(TrainingSplit.Samples, 4)
            .Concat(Enumerable.Repeat(TrainingSplit.Products, 4))
            .Concat(Enumerable.Repeat(TrainingSplit.OneThread, 4)), ways.Skip(3));
        Assert.Equal(1, controller.Looks);
    }

    [Theory]
    [InlineData(0)] // samples
    [InlineData(1)] // products
    [InlineData(2)] // one thread
    public void Keeps_the_fastest_way_between_looks(int fastestWay)
    {
        var fastest = fastestWay switch { 0 => TrainingSplit.Samples, 1 => TrainingSplit.Products, _ => TrainingSplit.OneThread };
        var controller = new TrainingSplitController(Quick);
        Run(controller, 3 + 12, way => way == fastest ? 600 : 1000);

        Assert.Equal(fastest, controller.Chosen);
        Assert.All(Run(controller, 10, way => way == fastest ? 600 : 1000), way => Assert.Equal(fastest, way));
        Assert.True(controller.Exploring, "a new look starts after the stretch");
    }

    [Fact]
    public void Warm_up_steps_of_a_block_are_not_timed()
    {
        // Each block's first step (after a switch) is slow for every way but one thread; the timed steps favour samples.
        var controller = new TrainingSplitController(Quick);
        int blockStep = 0;
        Run(controller, 3, _ => 1000);
        Run(controller, 12, way => blockStep++ % 4 == 0 ? 50_000 : way == TrainingSplit.Samples ? 500 : 900);

        Assert.Equal(TrainingSplit.Samples, controller.Chosen);
    }

    [Fact]
    public void Stretches_double_while_the_same_way_keeps_winning_up_to_the_limit()
    {
        Func<TrainingSplit, long> ticks = way => way == TrainingSplit.OneThread ? 500 : 1000;
        var controller = new TrainingSplitController(Quick);
        Run(controller, 3 + 12, ticks);
        var stretches = new List<int>();
        for (int look = 0; look < 4; look++)
        {
            int steps = 0;
            for (; !controller.Exploring; steps++)
                controller.Record(controller.Next(), ticks(controller.Next()));
            stretches.Add(steps);
            while (controller.Exploring)
                controller.Record(controller.Next(), ticks(controller.Next()));
        }

        // 10 steps after the first look, doubled per look that keeps one thread, up to 4 x 10.
        Assert.Equal(new[] { 10, 20, 40, 40 }, stretches);
        Assert.Equal(TrainingSplit.OneThread, controller.Chosen);
    }

    [Fact]
    public void A_stalled_split_step_starts_a_look_at_once()
    {
        var controller = new TrainingSplitController(Quick);
        Run(controller, 3 + 12, way => way == TrainingSplit.Samples ? 500 : 1000);
        Assert.Equal(TrainingSplit.Samples, controller.Chosen);
        Assert.False(controller.Exploring);

        controller.Record(TrainingSplit.Samples, 500 * 3 + 101); // over 3x the mean and by more than 100 ticks

        Assert.Equal(1, controller.Stalls);
        Assert.True(controller.Exploring);
        Assert.Equal(TrainingSplit.Samples, controller.Next());
    }

    [Fact]
    public void After_a_passing_stall_the_chosen_way_is_timed_alone_and_kept()
    {
        var controller = new TrainingSplitController(Quick);
        Run(controller, 3 + 12, way => way == TrainingSplit.Samples ? 500 : 1000);
        Run(controller, 4, _ => 500); // part of the stretch of 10
        controller.Record(TrainingSplit.Samples, 5000);

        // One block (1 warm-up + 3 timed steps) of the chosen way, back to its old time: no whole look.
        List<TrainingSplit> block = Run(controller, 4, way => way == TrainingSplit.Samples ? 520 : 1000);

        Assert.All(block, way => Assert.Equal(TrainingSplit.Samples, way));
        Assert.False(controller.Exploring);
        Assert.Equal((1, 1, 1), (controller.Looks, controller.Stalls, controller.Confirmed));
        Assert.Equal(520, controller.LastPerStep(TrainingSplit.Samples));
        // The interrupted stretch goes on where it was: 10 - 4 steps before the next look (the stalled step not counted).
        Assert.All(Run(controller, 5, _ => 520), way => Assert.Equal(TrainingSplit.Samples, way));
        Assert.False(controller.Exploring);
        Run(controller, 1, _ => 520);
        Assert.True(controller.Exploring);
    }

    [Fact]
    public void After_a_stall_that_lasts_a_whole_look_follows_and_may_change_the_way()
    {
        var controller = new TrainingSplitController(Quick);
        Run(controller, 3 + 12, way => way == TrainingSplit.Samples ? 500 : 1000);
        controller.Record(TrainingSplit.Samples, 5000);

        // The other core stays taken: splitting by samples now costs more than one thread did at the last look.
        Func<TrainingSplit, long> taken = way => way == TrainingSplit.OneThread ? 1000 : 2500;
        List<TrainingSplit> ways = Run(controller, 4 + 12, taken);

        Assert.Equal(Enumerable.Repeat(TrainingSplit.Samples, 4)
            .Concat(Enumerable.Repeat(TrainingSplit.Samples, 4))
            .Concat(Enumerable.Repeat(TrainingSplit.Products, 4))
            .Concat(Enumerable.Repeat(TrainingSplit.OneThread, 4)), ways);
        Assert.Equal((2, 0), (controller.Looks, controller.Confirmed));
        Assert.Equal(TrainingSplit.OneThread, controller.Chosen);
    }

    [Fact]
    public void The_first_look_waits_for_its_time_and_the_steps_before_it_split_by_samples()
    {
        long now = 0;
        var controller = new TrainingSplitController(Quick with { FirstLookTicks = 1000 }, () => now);
        var ways = new List<TrainingSplit>();
        // Steps of 100 ticks: the first 3 take each way; the look may start 1000 ticks after the first step's end.
        for (int s = 0; s < 12 && !controller.Exploring; s++)
        {
            TrainingSplit way = controller.Next();
            ways.Add(way);
            now += 100;
            controller.Record(way, 100);
        }

        Assert.Equal(new[] { TrainingSplit.Samples, TrainingSplit.Products, TrainingSplit.OneThread }, ways.Take(3));
        Assert.All(ways.Skip(3), way => Assert.Equal(TrainingSplit.Samples, way));
        Assert.Equal(11, ways.Count); // the 11th step ends 1000 ticks after the first
        Assert.True(controller.Exploring);
    }

    [Fact]
    public void A_slow_step_on_one_thread_is_no_stall()
    {
        var controller = new TrainingSplitController(Quick);
        Run(controller, 3 + 12, way => way == TrainingSplit.OneThread ? 500 : 1000);

        controller.Record(TrainingSplit.OneThread, 100_000);

        Assert.Equal(0, controller.Stalls);
        Assert.False(controller.Exploring);
    }
}
