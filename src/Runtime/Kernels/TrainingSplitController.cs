using System;
using System.Diagnostics;

namespace SourceNet.Kernels;

/// <summary>
/// The rhythm of <see cref="TrainingSplitController"/>, in training steps.
/// </summary>
/// <param name="FirstSteps">Untimed steps before the first look, taking each way in turn: the first steps compile kernels,
/// fault the replicas' pages in and make what each way makes once.</param>
/// <param name="FirstLookTicks">Wall time (stopwatch ticks, from the first step) before the first look, at least: the
/// runtime recompiles the network's code with full optimisation on a background thread during the first few hundred
/// milliseconds, which takes a core from a split step and would have the look judge the ways on a machine they will
/// not run on. Steps in between split by samples. Only with a clock (0: no wait).</param>
/// <param name="WarmUpSteps">Untimed steps at the start of each way's block: after a switch the first steps pay for
/// moving data into the other core's cache, which steady use of that way would not.</param>
/// <param name="TimedSteps">Timed steps per way and look.</param>
/// <param name="ExploitSteps">Steps between looks; doubled for each look in a row that keeps the same way, up to
/// <paramref name="MaxBackoff"/> times.</param>
/// <param name="MaxBackoff">See <paramref name="ExploitSteps"/>.</param>
/// <param name="StallFactor">A split step slower than this many times its way's timed mean, and by
/// <paramref name="StallTicks"/>, stalled (the other core was taken): it starts a block that times the chosen way
/// again at once, and a whole look only if the chosen way has lost its lead.</param>
/// <param name="StallTicks">See <paramref name="StallFactor"/>.</param>
internal sealed record TrainingSplitSchedule(int FirstSteps, int WarmUpSteps, int TimedSteps, int ExploitSteps, int MaxBackoff, double StallFactor, long StallTicks,
    long FirstLookTicks = 0)
{
    /// <summary>A look is 3 x (2 + 6) steps, then at least 400 steps the winning way (the tutorial's MLP: about 0.4 s;
    /// the CNN: about 15 s); a stall costs at least 1 ms. The first look starts after 6 steps and 1 s, whichever is
    /// later: the sequential-MNIST LSTM's first look, 6 steps (about 0.1 s) in, chose to split by products while tiered
    /// compilation ran, and kept that for 400 steps at 12-14 ms where splitting by samples takes 9-10.</summary>
    public static TrainingSplitSchedule Default { get; } = new(FirstSteps: 6, WarmUpSteps: 2, TimedSteps: 6, ExploitSteps: 400, MaxBackoff: 8,
        StallFactor: 3.0, StallTicks: Stopwatch.Frequency / 1000, FirstLookTicks: Stopwatch.Frequency);
}

/// <summary>
/// One network's choice of how its training steps run their sample chunks (<see cref="TrainingChunks"/>): split by
/// samples, split by products, or on one thread. Each way is timed in a block of consecutive steps, never alternating
/// step by step (a switch moves data between the cores' caches), by the block's wall time per step, which also holds
/// what a split costs the caller's work between steps (the batch sampler reading what the other core wrote); gaps
/// much longer than a step (an evaluation between epochs) are left out. The fastest way is then kept for a stretch
/// of steps, and looked at again. Every way gives the same bits, so this only ever changes speed.
/// <para>A stalled split step (the other core taken for a moment) first times the chosen way alone again; only if it
/// is no longer faster than the other ways were at the last look does a whole look follow. A whole look runs the two
/// slower ways for a block each (16 steps of about twice the time for the LSTM), which a passing stall does not
/// need: on a shared machine stalls come every few hundred steps.</para>
/// </summary>
/// <remarks>Per network, because the best way depends on the network: a wide dense layer splits well by products,
/// a convolution network with small layers by samples, and a loaded machine may favour one thread for both. Not
/// thread-safe; a network's steps are serial (its exclusive-use guard).</remarks>
internal sealed class TrainingSplitController
{
    private static readonly TrainingSplit[] s_ways = { TrainingSplit.Samples, TrainingSplit.Products, TrainingSplit.OneThread };

    private readonly TrainingSplitSchedule _schedule;
    private readonly Func<long>? _clock;
    private readonly StepWall[] _walls = new StepWall[3];

    private int _exploring = -1;     // the way being timed (index into s_ways), or -1 while exploiting
    private bool _confirming;        // the block times the chosen way alone, after a stall
    private int _blockStep;          // steps made in the current block
    private int _left;               // steps left in the current stretch
    private int _sameWins;           // looks in a row that chose the same way
    private long _firstStep = -1;    // the clock at the end of the first step
    private TrainingSplit _chosen = TrainingSplit.Samples;

    /// <param name="schedule">The rhythm.</param>
    /// <param name="clock">The wall clock (stopwatch ticks) between steps; null to judge by the steps' own times (tests).</param>
    public TrainingSplitController(TrainingSplitSchedule schedule, Func<long>? clock = null)
    {
        _schedule = schedule;
        _clock = clock;
        _left = schedule.FirstSteps;
    }

    /// <summary>The way kept between looks.</summary>
    public TrainingSplit Chosen => _chosen;

    /// <summary>Looks finished so far.</summary>
    public int Looks { get; private set; }

    /// <summary>Split steps that stalled and started a block that times the chosen way again.</summary>
    public int Stalls { get; private set; }

    /// <summary>Blocks after a stall that found the chosen way still the fastest, so no whole look followed.</summary>
    public int Confirmed { get; private set; }

    /// <summary>The last look's wall time per step of each way, in stopwatch ticks (samples, products, one thread).</summary>
    public double LastPerStep(TrainingSplit way) => _lastPerStep[Index(way)];

    private readonly double[] _lastPerStep = new double[3];

    /// <summary>Whether a look is under way.</summary>
    public bool Exploring => _exploring >= 0;

    /// <summary>The way the next step should run. The first steps take each way in turn, untimed: whatever a way makes
    /// on first use (a kernel's shared job, a worker thread) is made then, so no later look allocates.</summary>
    public TrainingSplit Next() => _exploring >= 0 ? s_ways[_exploring]
        : Looks == 0 && _left > 0 ? s_ways[(_schedule.FirstSteps - _left) % s_ways.Length]
        : _chosen;

    /// <summary>Records a step that ran <paramref name="way"/> (normally what <see cref="Next"/> said) in
    /// <paramref name="ticks"/> stopwatch ticks.</summary>
    public void Record(TrainingSplit way, long ticks)
    {
        if (_firstStep < 0 && _clock is not null)
            _firstStep = _clock();
        if (_exploring < 0)
        {
            if (way != TrainingSplit.OneThread && Stalled(way, ticks))
            {
                Stalls++;
                BeginConfirm();
            }
            else if (--_left <= 0 && FirstLookDue())
            {
                BeginLook();
            }
            return;
        }
        if (way == s_ways[_exploring] && _blockStep >= _schedule.WarmUpSteps)
            _walls[_exploring].Add(_clock, ticks);
        if (++_blockStep < _schedule.WarmUpSteps + _schedule.TimedSteps)
            return;
        _blockStep = 0;
        if (_confirming)
        {
            Confirm();
            return;
        }
        if (++_exploring < s_ways.Length)
            return;
        Decide();
    }

    /// <summary>Times the chosen way alone; the stretch it interrupted goes on afterwards (see <see cref="Confirm"/>).</summary>
    private void BeginConfirm()
    {
        int chosen = Index(_chosen);
        _walls[chosen] = default;
        _blockStep = 0;
        _exploring = chosen;
        _confirming = true;
    }

    /// <summary>After a stall's block: the chosen way keeps its place while it is still faster than every other way
    /// was at the last look (its new time becomes its mean); otherwise a whole look starts.</summary>
    private void Confirm()
    {
        _confirming = false;
        int chosen = _exploring;
        double perStep = _walls[chosen].Steps > 0 ? _walls[chosen].PerStep : double.NaN;
        bool leads = !double.IsNaN(perStep);
        for (int i = 0; i < s_ways.Length && leads; i++)
            leads = i == chosen || double.IsNaN(_lastPerStep[i]) || perStep < _lastPerStep[i];
        if (!leads)
        {
            BeginLook();
            return;
        }
        _lastPerStep[chosen] = perStep;
        _exploring = -1;
        Confirmed++;
    }

    /// <summary>Whether a look may start: any time after the first, and for the first once
    /// <see cref="TrainingSplitSchedule.FirstLookTicks"/> have passed since the first step.</summary>
    private bool FirstLookDue()
    {
        if (Looks > 0 || _clock is null || _schedule.FirstLookTicks <= 0)
            return true;
        return _clock() - _firstStep >= _schedule.FirstLookTicks;
    }

    private bool Stalled(TrainingSplit way, long ticks)
    {
        double mean = _lastPerStep[Index(way)];
        return mean > 0 && ticks > _schedule.StallFactor * mean && ticks - mean > _schedule.StallTicks;
    }

    private void BeginLook()
    {
        _confirming = false;
        for (int i = 0; i < _walls.Length; i++)
            _walls[i] = default;
        _blockStep = 0;
        _exploring = 0;
    }

    private void Decide()
    {
        int best = -1;
        for (int i = 0; i < s_ways.Length; i++)
        {
            _lastPerStep[i] = _walls[i].Steps > 0 ? _walls[i].PerStep : double.NaN;
            if (_walls[i].Steps > 0 && (best < 0 || _walls[i].PerStep < _walls[best].PerStep))
                best = i;
        }
        TrainingSplit chosen = best < 0 ? _chosen : s_ways[best];
        _sameWins = chosen == _chosen && Looks > 0 ? _sameWins + 1 : 0;
        _chosen = chosen;
        _left = _schedule.ExploitSteps << Math.Min(_sameWins, Log2(_schedule.MaxBackoff));
        _exploring = -1;
        Looks++;
    }

    private static int Index(TrainingSplit way) => way switch
    {
        TrainingSplit.Samples => 0,
        TrainingSplit.Products => 1,
        _ => 2,
    };

    private static int Log2(int value) => 31 - int.LeadingZeroCount(Math.Max(value, 1));

    /// <summary>
    /// The wall time of a block's timed steps and the gaps between them (the caller's own work, which a split can slow
    /// down too). A gap longer than 1 ms and 4 times the block's mean step is left out: the caller doing something else
    /// between steps.
    /// </summary>
    private struct StepWall
    {
        private long _end, _wall, _ticks;
        public int Steps;

        public readonly double PerStep => (double)_wall / Steps;

        public void Add(Func<long>? clock, long ticks)
        {
            if (clock is not null)
            {
                long now = clock();
                if (Steps > 0)
                {
                    long gap = now - ticks - _end;
                    if (gap <= Math.Max(Stopwatch.Frequency / 1000, 4 * _ticks / Steps))
                        _wall += Math.Max(gap, 0);
                }
                _end = now;
            }
            _wall += ticks;
            _ticks += ticks;
            Steps++;
        }
    }
}

/// <summary>How a training step's sample chunks run (see <see cref="TrainingChunks"/>); the same bits every way.</summary>
internal enum TrainingSplit
{
    /// <summary>In order on the calling thread, nothing split.</summary>
    OneThread,

    /// <summary>In order on the calling thread, each product split over the kernel threads.</summary>
    Products,

    /// <summary>Whole chunks on each kernel thread, the kernels inside on one thread.</summary>
    Samples,
}
