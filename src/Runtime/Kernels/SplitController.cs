using System;
using System.Diagnostics;
using System.Threading;

namespace SourceNet.Kernels;

/// <summary>
/// One process-wide choice, followed by every product large enough to split: split over the kernel workers, or run
/// on the calling thread alone. On a quiet machine the split wins; on a busy one the second core is often taken,
/// the worker starts late or is preempted in the middle of a chunk, and the split loses, sometimes by a scheduler
/// quantum. The choice is timed here, in this process, and kept up to date.
/// </summary>
/// <remarks>
/// <para>One choice for all shapes, because products share their operands: the forward product reads the weights
/// that the weight-gradient product (with the optimizer fused into it) writes. Split, each core keeps its column
/// slice of them in its own cache across products; if one product split and another did not, the slices would
/// move between cores twice a step.</para>
/// <para>For the same reason both ways are timed in blocks of consecutive calls (see <see cref="SplitSchedule"/>),
/// never alternating call by call, which would make every split call pay for moving the weights back, and the
/// first calls of each block are not timed. An exploration is a single-threaded block, then a split block; per
/// shape, each block gives a mean time per call (mean, not median: a stall every few calls is a real cost), and
/// the cheaper way for the mix of calls seen, Σ calls(shape) × mean(shape, way) over the shapes seen in both
/// blocks, is then used for a stretch of calls. The shared controller has a clock and judges by each block's wall
/// time per call instead, which also holds what a split costs the work between the products (outputs read on the
/// other core, the caller's loop); the per-shape means still find stalls, and decide without a clock (tests).</para>
/// <para>On a busy machine, protections: a split call slower than <see cref="SplitSchedule.StallFactor"/>
/// single-threaded calls of its shape ends a split block at once, and during a split stretch starts a new
/// exploration at once; while single-threaded keeps winning, stretches double (up to
/// <see cref="SplitSchedule.MaxBackoff"/> times), since each look at the split can cost a stall; a split win
/// restores the normal rhythm.</para>
/// <para>Either way gives the same bits: the column partition and each element's chain of FMAs do not depend on
/// who computes it (tested), so this only ever changes speed. State is updated without locks: concurrent callers
/// may blur the timings, never results.</para>
/// </remarks>
internal sealed class SplitController
{
    /// <summary>The controller that the matrix products follow (tests swap in one with a faster rhythm).</summary>
    public static SplitController Shared { get; set; } = new(SplitSchedule.Default, Stopwatch.GetTimestamp);

    private const int MaxShapes = 32;

    private readonly SplitSchedule _schedule;
    private readonly object _addLock = new();
    private readonly ShapeTimes?[] _shapes = new ShapeTimes?[MaxShapes];
    private int _shapeCount;

    private readonly Func<long>? _clock;
    private BlockWall _singleWall, _splitWall; // wall time of the timed calls of the current exploration's blocks

    private Phase _phase = Phase.Exploit;
    private bool _preferSplit;   // the way used while exploiting; single-threaded until timed
    private int _left;           // calls left in the current stretch
    private int _blockCall;      // calls made in the current exploration block
    private int _singleWins;     // explorations in a row that single-threaded won

    /// <param name="schedule">The rhythm.</param>
    /// <param name="clock">The wall clock (stopwatch ticks) that times whole blocks; null to judge by the products'
    /// own times alone (tests).</param>
    public SplitController(SplitSchedule schedule, Func<long>? clock = null)
    {
        _schedule = schedule;
        _clock = clock;
        _left = schedule.FirstCalls;
    }

    /// <summary>Whether the way in use now is the split.</summary>
    public bool PreferSplit => _preferSplit;

    /// <summary>Calls in the stretch that follows the last exploration: <see cref="SplitSchedule.ExploitCalls"/>
    /// after a split win, doubling with each single-threaded win in a row.</summary>
    public int StretchCalls => _schedule.ExploitCalls << Math.Min(Math.Max(_singleWins - 1, 0), Log2(_schedule.MaxBackoff));

    /// <summary>Explorations finished so far.</summary>
    public int Explorations { get; private set; }

    /// <summary>Split calls that stalled (see <see cref="SplitSchedule.StallFactor"/>).</summary>
    public int Stalls { get; private set; }

    /// <summary>Calls recorded that split.</summary>
    public long SplitCalls { get; private set; }

    /// <summary>Calls recorded that ran on the calling thread alone.</summary>
    public long SingleCalls { get; private set; }

    /// <summary>Whether an exploration block is running now.</summary>
    public bool Exploring => _phase != Phase.Exploit;

    /// <summary>Whether the next call should split.</summary>
    public bool NextSplit() => _phase switch
    {
        Phase.Exploit => _preferSplit,
        Phase.ExploreSingle => false,
        _ => true,
    };

    /// <summary>Records a call of the product <paramref name="key"/> (any number that tells shapes apart), the way
    /// it ran (normally what <see cref="NextSplit"/> said) and its time in stopwatch ticks.</summary>
    public void Record(long key, bool split, long ticks)
    {
        ShapeTimes? shape = Find(key);
        if (split)
            SplitCalls++;
        else
            SingleCalls++;
        switch (_phase)
        {
            case Phase.Exploit:
                if (split && Stalled(shape, ticks))
                {
                    Stalls++;
                    BeginExploration();
                }
                else if (--_left <= 0)
                {
                    BeginExploration();
                }
                return;
            case Phase.ExploreSingle:
                if (!split && _blockCall >= _schedule.WarmUpCalls)
                {
                    shape?.Single.Add(ticks);
                    _singleWall.Add(_clock, ticks);
                }
                if (++_blockCall >= _schedule.BlockCalls)
                    BeginSplitBlock();
                return;
            default:
                // Not during the warm-up: the first split after a long single-threaded stretch also wakes the
                // worker, which here has been seen to take over 10 ms (an idle virtual core), then never again.
                bool timed = split && _blockCall >= _schedule.WarmUpCalls;
                bool stalled = timed && Stalled(shape, ticks);
                if (timed)
                {
                    shape?.Split.Add(ticks);
                    _splitWall.Add(_clock, ticks);
                }
                if (stalled)
                    Stalls++;
                if (stalled || ++_blockCall >= _schedule.BlockCalls)
                    Decide(stalled);
                return;
        }
    }

    private bool Stalled(ShapeTimes? shape, long ticks) =>
        shape is { SingleEstimate: > 0 } && ticks > _schedule.StallFactor * shape.SingleEstimate
        && ticks - shape.SingleEstimate > _schedule.StallTicks;

    private void BeginExploration()
    {
        int count = Math.Min(Volatile.Read(ref _shapeCount), MaxShapes);
        for (int i = 0; i < count; i++)
            _shapes[i]!.ResetBlocks();
        _blockCall = 0;
        _singleWall = default;
        _splitWall = default;
        _phase = Phase.ExploreSingle;
    }

    private void BeginSplitBlock()
    {
        int count = Math.Min(Volatile.Read(ref _shapeCount), MaxShapes);
        for (int i = 0; i < count; i++)
        {
            ShapeTimes s = _shapes[i]!;
            // The stall threshold: a shape's single-threaded time as last seen (this block if it ran in it).
            if (s.Single.Count > 0)
                s.SingleEstimate = s.Single.Mean;
        }
        _blockCall = 0;
        _phase = Phase.ExploreSplit;
    }

    private void Decide(bool stalled)
    {
        double splitCost = 0, singleCost = 0;
        bool compared = false;
        int count = Math.Min(Volatile.Read(ref _shapeCount), MaxShapes);
        for (int i = 0; i < count; i++)
        {
            ShapeTimes s = _shapes[i]!;
            if (s.Split.Count == 0 || s.Single.Count == 0)
                continue;
            // Both means weighted by the same call count, so a shape that happened to run more often in one block
            // does not tilt the comparison.
            int calls = s.Split.Count + s.Single.Count;
            splitCost += calls * s.Split.Mean;
            singleCost += calls * s.Single.Mean;
            compared = true;
        }
        // With a clock, the blocks' wall time per call decides: it also holds what splitting costs the work between
        // the products (the next layer reading outputs the other core wrote, the caller's loop, the data loader), which
        // the products' own times do not show. Measured on the tutorial's network on a 2-vCPU VM: the split products
        // were faster and the training step 1.4x slower.
        bool split;
        if (_clock is not null && _singleWall.Calls >= 2 && _splitWall.Calls >= 2 && !stalled)
            split = _splitWall.PerCall < _singleWall.PerCall;
        else
            split = compared ? splitCost < singleCost : !stalled && _preferSplit;
        _singleWins = split ? 0 : _singleWins + 1;
        _preferSplit = split;
        _left = StretchCalls;
        _phase = Phase.Exploit;
        Explorations++;
    }

    private ShapeTimes? Find(long key)
    {
        int count = Math.Min(Volatile.Read(ref _shapeCount), MaxShapes);
        for (int i = 0; i < count; i++)
        {
            ShapeTimes s = _shapes[i]!;
            if (s.Key == key)
                return s;
        }
        lock (_addLock)
        {
            for (int i = count; i < _shapeCount; i++)
            {
                if (_shapes[i]!.Key == key)
                    return _shapes[i];
            }
            // Past the table's size, a shape still follows the choice; it just does not inform it.
            if (_shapeCount == MaxShapes)
                return null;
            var shape = new ShapeTimes(key);
            _shapes[_shapeCount] = shape;
            Volatile.Write(ref _shapeCount, _shapeCount + 1);
            return shape;
        }
    }

    private static int Log2(int value) => 31 - int.LeadingZeroCount(Math.Max(value, 1));

    private enum Phase
    {
        Exploit,
        ExploreSingle,
        ExploreSplit,
    }

    /// <summary>A shape's timings in the current exploration, and its last single-threaded mean.</summary>
    private sealed class ShapeTimes(long key)
    {
        public readonly long Key = key;
        public Tally Split, Single;
        public double SingleEstimate;

        public void ResetBlocks()
        {
            Split = default;
            Single = default;
        }
    }

    /// <summary>
    /// The wall time of a block's timed calls and the gaps between them (the caller's own work, which a split can slow
    /// down too). A gap longer than <see cref="MinGapLimitTicks"/> and <see cref="GapFactor"/> times the block's mean
    /// call is left out: that is the caller doing something else between steps (an evaluation, a checkpoint), which
    /// would otherwise decide the block.
    /// </summary>
    private struct BlockWall
    {
        private long _end, _wall, _ticks;
        public int Calls;

        public readonly double PerCall => (double)_wall / Calls;

        public void Add(Func<long>? clock, long ticks)
        {
            if (clock is null)
                return;
            long now = clock();
            if (Calls > 0)
            {
                long gap = now - ticks - _end;
                if (gap <= Math.Max(MinGapLimitTicks, GapFactor * _ticks / Calls))
                    _wall += Math.Max(gap, 0);
            }
            _wall += ticks;
            _ticks += ticks;
            _end = now;
            Calls++;
        }
    }

    /// <summary>Gaps between a block's calls up to this long always count (1 ms).</summary>
    private static readonly long MinGapLimitTicks = Stopwatch.Frequency / 1000;

    /// <summary>Longer gaps count up to this many times the block's mean call.</summary>
    private const long GapFactor = 16;

    private struct Tally
    {
        public long Ticks;
        public int Count;

        public readonly double Mean => (double)Ticks / Count;

        public void Add(long ticks)
        {
            Ticks += ticks;
            Count++;
        }
    }
}
