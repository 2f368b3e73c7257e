using System.Collections.Generic;

namespace SourceNet;

/// <summary>
/// Sets an optimizer's learning rate from step to step (<see cref="Optimizer.Schedule"/>). A schedule is a pure
/// function of the update's number, so a checkpoint, which records the optimizer's step count and this schedule's
/// <see cref="HyperParameters"/>, resumes it exactly.
/// </summary>
public abstract class LearningRateSchedule
{
    /// <summary>The largest step count a schedule may name: a checkpoint records it as a float, exact up to 2²⁴.</summary>
    public const int MaxSteps = 1 << 24;

    /// <summary>The learning rate of update <paramref name="update"/>, counted from 0 for the first, given the
    /// optimizer's base rate <paramref name="baseRate"/>. Computed in double and rounded once.</summary>
    public abstract float LearningRate(float baseRate, long update);

    /// <summary>The schedule's settings by name, added to the optimizer's for a checkpoint to record and check.</summary>
    public abstract IReadOnlyList<KeyValuePair<string, float>> HyperParameters { get; }
}
