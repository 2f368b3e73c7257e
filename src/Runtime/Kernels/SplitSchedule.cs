using System.Diagnostics;

namespace SourceNet.Kernels;

/// <summary>
/// The rhythm of <see cref="SplitController"/>, in calls of products large enough to split (the tutorial's
/// network makes three per training step).
/// </summary>
/// <param name="FirstCalls">Calls run on one thread before the first exploration: the first calls of a process
/// compile kernels and fault pages in, and would only blur the first comparison.</param>
/// <param name="ExploitCalls">Calls between explorations while splitting wins (and after single-threaded first wins).</param>
/// <param name="BlockCalls">Calls per exploration block; an exploration is a single-threaded block, then a split one.</param>
/// <param name="WarmUpCalls">Calls at the start of a block that are not timed: after a switch, the first calls pay
/// for moving each core's slice of the weights into its own cache, which steady use of that way would not.</param>
/// <param name="MaxBackoff">While single-threaded keeps winning, each stretch doubles, up to this many times
/// <paramref name="ExploitCalls"/>.</param>
/// <param name="StallFactor">A split call slower than this many single-threaded calls of its shape stalled (the worker
/// was descheduled); it ends a split block or a split stretch at once.</param>
/// <param name="StallTicks">... and also slower by at least this many stopwatch ticks: a small product's split pays a
/// hand-off of a few microseconds that can double it without any stall, while a descheduled worker costs far more.</param>
internal sealed record SplitSchedule(int FirstCalls, int ExploitCalls, int BlockCalls, int WarmUpCalls, int MaxBackoff, double StallFactor, long StallTicks)
{
    /// <summary>
    /// For the tutorial's network: 512 training steps between looks while splitting wins (~0.3 s), two blocks of
    /// 16 steps per look (well under 1 % of the steps run the losing way), two steps of warm-up per block; a stall
    /// costs at least 100 µs (waking a thread takes tens).
    /// </summary>
    public static SplitSchedule Default { get; } = new(FirstCalls: 30, ExploitCalls: 1536, BlockCalls: 48, WarmUpCalls: 6, MaxBackoff: 32, StallFactor: 2.0,
        StallTicks: Stopwatch.Frequency / 10_000);
}
