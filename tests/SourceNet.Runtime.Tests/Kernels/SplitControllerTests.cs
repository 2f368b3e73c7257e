using SourceNet.Kernels;

namespace SourceNet.Runtime.Tests.Kernels;

/// <summary>The split controller's logic, driven with made-up timings (no real clock).</summary>
public class SplitControllerTests
{
    // Small numbers keep the arithmetic readable: one call of warm-up in blocks of 4, stretches of 10 calls.
    private static readonly SplitSchedule Schedule = new(FirstCalls: 5, ExploitCalls: 10, BlockCalls: 4, WarmUpCalls: 1, MaxBackoff: 8, StallFactor: 2.0, StallTicks: 0);

    private const long ShapeA = 1, ShapeB = 2;

    [Fact]
    public void StartsSingleThreadedThenPicksAFasterSplit()
    {
        var controller = new SplitController(Schedule);
        Assert.False(controller.NextSplit());
        Drive(controller, Schedule.FirstCalls, split: 50, single: 100);
        Assert.True(controller.Exploring);
        Drive(controller, 2 * Schedule.BlockCalls, split: 50, single: 100);
        Assert.False(controller.Exploring);
        Assert.True(controller.PreferSplit);
        Assert.True(controller.NextSplit());
        Assert.Equal(1, controller.Explorations);
    }

    [Fact]
    public void ExploresInBlocksOfConsecutiveCallsSingleThreadedFirst()
    {
        var controller = new SplitController(Schedule);
        Drive(controller, Schedule.FirstCalls, split: 50, single: 100);
        var ways = new List<bool>();
        for (int call = 0; call < 2 * Schedule.BlockCalls; call++)
        {
            bool split = controller.NextSplit();
            ways.Add(split);
            controller.Record(ShapeA, split, split ? 50 : 100);
        }
        Assert.Equal([false, false, false, false, true, true, true, true], ways);
    }

    [Fact]
    public void AbandonsASplitThatBecameSlower()
    {
        var controller = SplitWinning();
        // 1.5x slower: not a stall, but dearer; the next exploration drops it.
        Drive(controller, Schedule.ExploitCalls + 2 * Schedule.BlockCalls, split: 150, single: 100);
        Assert.False(controller.PreferSplit);
        Assert.Equal(0, controller.Stalls);
    }

    [Fact]
    public void AStalledSplitEndsItsBlockAtOnce()
    {
        var controller = new SplitController(Schedule);
        Drive(controller, Schedule.FirstCalls + Schedule.BlockCalls, split: 50, single: 100);
        Assert.True(controller.NextSplit());
        int splits = 0;
        while (controller.Exploring)
        {
            bool split = controller.NextSplit();
            splits += split ? 1 : 0;
            controller.Record(ShapeA, split, split ? 10_000 : 100);
        }
        // The warm-up call (which may wake an idle core) is not judged; the first timed one ends the block.
        Assert.Equal(Schedule.WarmUpCalls + 1, splits);
        Assert.Equal(1, controller.Stalls);
        Assert.False(controller.PreferSplit);
    }

    [Fact]
    public void AStallWhileSplittingStartsAnExplorationAtOnce()
    {
        var controller = SplitWinning();
        Drive(controller, 2, split: 50, single: 100);
        Assert.False(controller.Exploring);
        controller.Record(ShapeA, controller.NextSplit(), 201); // just over 2x the single-threaded 100
        Assert.True(controller.Exploring);
        Assert.False(controller.NextSplit());
        Assert.Equal(1, controller.Stalls);
    }

    [Fact]
    public void ASmallProductsHandOffIsNotAStall()
    {
        // 3x a 4-tick single-threaded call, but only 8 ticks more: under the floor of 50, so timed, not a stall.
        var controller = new SplitController(Schedule with { StallTicks = 50 });
        Drive(controller, Schedule.FirstCalls + 2 * Schedule.BlockCalls, split: 12, single: 4);
        Assert.Equal(0, controller.Stalls);
        Assert.False(controller.PreferSplit);
        Assert.Equal(1, controller.Explorations);
    }

    [Fact]
    public void LooksLessOftenWhileSingleThreadedKeepsWinningAndResetsOnASplitWin()
    {
        var controller = new SplitController(Schedule);
        Drive(controller, Schedule.FirstCalls, split: 150, single: 100);
        var stretches = new List<int>();
        for (int look = 0; look < 6; look++)
        {
            Drive(controller, 2 * Schedule.BlockCalls, split: 150, single: 100);
            Assert.False(controller.PreferSplit);
            stretches.Add(CallsUntilExploring(controller, split: 150, single: 100));
        }
        Assert.Equal([10, 20, 40, 80, 80, 80], stretches);
        Drive(controller, 2 * Schedule.BlockCalls, split: 50, single: 100);
        Assert.True(controller.PreferSplit);
        Assert.Equal(Schedule.ExploitCalls, CallsUntilExploring(controller, split: 50, single: 100));
    }

    [Fact]
    public void WarmUpCallsAreNotTimed()
    {
        // Counted, the first call of each block would reverse the choice: a single-threaded 1 (from a warm cache)
        // and a split 190 (moving the weights) against a steady 100 and 80.
        var controller = new SplitController(Schedule);
        Drive(controller, Schedule.FirstCalls, split: 80, single: 100);
        for (int call = 0; controller.Exploring; call++)
        {
            bool split = controller.NextSplit();
            bool first = call == 0 || call == Schedule.BlockCalls;
            controller.Record(ShapeA, split, first ? (split ? 190 : 1) : (split ? 80 : 100));
        }
        Assert.True(controller.PreferSplit);
        Assert.Equal(0, controller.Stalls);
    }

    [Fact]
    public void WeighsEachShapeByItsCallsAndIgnoresShapesSeenInOneBlockOnly()
    {
        var controller = new SplitController(Schedule with { BlockCalls = 8 });
        Drive(controller, Schedule.FirstCalls, split: 100, single: 100);
        // A: split 20 faster, 5 or 6 timed calls per block; B: split 30 slower, 1 per block (20·11 > 30·2: split wins).
        // C, only in the split block, is 1000 slower: ignored.
        for (int call = 0; controller.Exploring; call++)
        {
            bool split = controller.NextSplit();
            int slot = call % 8;
            (long key, long ticks) = slot == 7 ? (ShapeB, split ? 130L : 100L)
                : slot == 6 && split ? (3L, 1_100L) : (ShapeA, split ? 80L : 100L);
            controller.Record(key, split, ticks);
        }
        Assert.True(controller.PreferSplit);
    }

    [Fact]
    public void WithAClockTheWholeStepDecidesNotTheProductsAlone()
    {
        // Split products twice as fast, but everything between them three times slower (the next layer reads what
        // the other core wrote): per call 50 + 300 split against 100 + 100 single. The products alone would pick
        // the split; the blocks' wall time picks one thread, and, when the gap shrinks, the split again.
        long now = 0, gapSplit = 300, gapSingle = 100;
        var controller = new SplitController(Schedule, () => now);
        void Run(int calls)
        {
            for (int call = 0; call < calls; call++)
            {
                bool split = controller.NextSplit();
                long ticks = split ? 50 : 100;
                now += (split ? gapSplit : gapSingle) + ticks;
                controller.Record(ShapeA, split, ticks);
            }
        }
        Run(Schedule.FirstCalls + 2 * Schedule.BlockCalls);
        Assert.Equal(1, controller.Explorations);
        Assert.False(controller.PreferSplit);

        var productsOnly = new SplitController(Schedule);
        Drive(productsOnly, Schedule.FirstCalls + 2 * Schedule.BlockCalls, split: 50, single: 100);
        Assert.True(productsOnly.PreferSplit);

        gapSplit = 100;
        while (controller.Explorations < 2)
            Run(1);
        Assert.True(controller.PreferSplit);
    }

    [Fact]
    public void TheCallersOwnPauseInsideABlockDoesNotDecideIt()
    {
        // Split is faster (50 against 100 per call, the same 100 between calls), but in the middle of the split block
        // the caller evaluates for a second. That gap is left out, so the split still wins.
        long now = 0, pause = 0;
        var controller = new SplitController(Schedule, () => now);
        int call = 0;
        while (controller.Explorations < 1)
        {
            bool split = controller.NextSplit();
            long ticks = split ? 50 : 100;
            now += 100 + ticks + pause;
            pause = split && ++call % 3 == 0 ? System.Diagnostics.Stopwatch.Frequency : 0; // one second before the next call
            controller.Record(ShapeA, split, ticks);
        }
        Assert.True(controller.PreferSplit);
    }

    private static SplitController SplitWinning()
    {
        var controller = new SplitController(Schedule);
        Drive(controller, Schedule.FirstCalls + 2 * Schedule.BlockCalls, split: 50, single: 100);
        Assert.True(controller.PreferSplit);
        return controller;
    }

    private static int CallsUntilExploring(SplitController controller, long split, long single)
    {
        int calls = 0;
        while (!controller.Exploring)
        {
            Drive(controller, 1, split, single);
            calls++;
        }
        return calls;
    }

    /// <summary>Calls alternating between two shapes, timed by the way the controller chose.</summary>
    private static void Drive(SplitController controller, int calls, long split, long single)
    {
        for (int call = 0; call < calls; call++)
        {
            bool way = controller.NextSplit();
            controller.Record(call % 2 == 0 ? ShapeA : ShapeB, way, way ? split : single);
        }
    }
}
