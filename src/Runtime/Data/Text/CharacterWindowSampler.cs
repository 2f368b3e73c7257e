using System;

namespace SourceNet.Data.Text;

/// <summary>
/// Training batches for a character language model: windows of <see cref="Steps"/> ids and, as targets, the
/// <see cref="Steps"/> ids after each one's first (the next character at every step). Window starts come from
/// SplitMix64 (state += 0x9E3779B97F4A7C15, then its output mix), <c>start = z % (length - steps)</c>, so the last
/// target is still in the text; a batch takes the next starts in the order drawn. The same seed gives the same
/// batches on any machine, and a twin written in another language reproduces them from this description.
/// </summary>
public sealed class CharacterWindowSampler
{
    private readonly ReadOnlyMemory<int> _ids;
    private ulong _state;

    /// <summary>Draws windows from <paramref name="ids"/> (a training split: <see cref="CharacterCorpus.Train"/>).</summary>
    /// <param name="ids">The ids to draw from; more than <paramref name="steps"/>. Not copied.</param>
    /// <param name="steps">Ids per window.</param>
    /// <param name="seed">SplitMix64's initial state.</param>
    public CharacterWindowSampler(ReadOnlyMemory<int> ids, int steps, ulong seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(steps);
        if (ids.Length <= steps)
            throw new ArgumentException($"Windows of {steps} ids and their targets need more than {steps} ids; {ids.Length} were given.", nameof(ids));
        _ids = ids;
        Steps = steps;
        _state = seed;
    }

    /// <summary>Ids per window.</summary>
    public int Steps { get; }

    /// <summary>SplitMix64's state: save it to resume the same sequence of batches.</summary>
    public ulong State
    {
        get => _state;
        set => _state = value;
    }

    /// <summary>The next SplitMix64 output.</summary>
    public ulong NextUInt64()
    {
        _state += 0x9E3779B97F4A7C15UL;
        ulong z = _state;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>The next window start, in [0, length - steps).</summary>
    public int NextStart() => (int)(NextUInt64() % (ulong)(_ids.Length - Steps));

    /// <summary>Fills <paramref name="inputs"/> and <paramref name="targets"/> with <c>inputs.Length / Steps</c> windows.</summary>
    /// <exception cref="ArgumentException">The spans are not the same whole number of windows.</exception>
    public void NextBatch(Span<int> inputs, Span<int> targets)
    {
        if (inputs.Length % Steps != 0 || targets.Length != inputs.Length)
            throw new ArgumentException($"A batch is whole windows of {Steps} ids, inputs and targets alike; got {inputs.Length} inputs and {targets.Length} targets.", nameof(inputs));
        ReadOnlySpan<int> ids = _ids.Span;
        for (int w = 0; w < inputs.Length / Steps; w++)
        {
            int start = NextStart();
            ids.Slice(start, Steps).CopyTo(inputs.Slice(w * Steps, Steps));
            ids.Slice(start + 1, Steps).CopyTo(targets.Slice(w * Steps, Steps));
        }
    }

    /// <summary>
    /// Consecutive, non-overlapping windows of <paramref name="steps"/> ids over <paramref name="ids"/>: window k reads
    /// ids from k·steps and predicts those from k·steps + 1, so there are <c>(length - 1) / steps</c> (the remainder
    /// dropped). Returns the inputs and targets, row-major.
    /// </summary>
    public static (int[] Inputs, int[] Targets) ConsecutiveWindows(ReadOnlySpan<int> ids, int steps, int maxWindows = int.MaxValue)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(steps);
        int windows = Math.Min((ids.Length - 1) / steps, maxWindows);
        if (windows < 1)
            throw new ArgumentException($"{ids.Length} ids hold no window of {steps} and its targets.", nameof(ids));
        return (ids[..(windows * steps)].ToArray(), ids.Slice(1, windows * steps).ToArray());
    }
}
