using System.Diagnostics;

namespace SourceNet.Kernels;

/// <summary>
/// Which <see cref="SplitController"/> a product follows: one for training, while weight gradients are among the
/// recent products, and one for forward-only stretches (inference over a test set). The two want different answers
/// on the same machine: measured on the tutorial's network on a 2-vCPU Zen 5 VM, splitting made the training step
/// 1.09x slower (the serial work between products reads what the other core wrote) and the 10,000-image inference
/// 0.85x faster (almost all of it is the split product). One choice for both left inference on one core.
/// </summary>
/// <remarks>A forward-only stretch begins after <see cref="ForwardOnlyAfter"/> products without a weight gradient, more
/// than any training step of a network of a few dozen layers makes between two. Either controller gives the same
/// bits; a misattributed call only blurs one controller's timing.</remarks>
internal sealed class SplitRegime(SplitController training, SplitController forwardOnly)
{
    /// <summary>Products without a weight gradient after which a stretch counts as forward-only.</summary>
    public const int ForwardOnlyAfter = 64;

    /// <summary>The regime the matrix products follow (tests swap in one with their own controllers).</summary>
    public static SplitRegime Shared { get; set; } = new(
        new SplitController(SplitSchedule.Default, Stopwatch.GetTimestamp), new SplitController(SplitSchedule.Default, Stopwatch.GetTimestamp));

    private long _products;
    private long _lastGradient = -ForwardOnlyAfter - 1;

    /// <summary>The controller for training steps.</summary>
    public SplitController Training { get; } = training;

    /// <summary>The controller for forward-only stretches.</summary>
    public SplitController ForwardOnly { get; } = forwardOnly;

    /// <summary>Notes a weight-gradient product (whether or not it is large enough to split).</summary>
    public void GradientProduct() => _lastGradient = _products;

    /// <summary>The controller for the next product large enough to split. Unsynchronised counters: concurrent callers
    /// may blur which regime a call counts in, never results.</summary>
    public SplitController Next() => ++_products - _lastGradient > ForwardOnlyAfter ? ForwardOnly : Training;
}
