using System;
using System.Collections.Generic;

namespace SourceNet;

/// <summary>
/// Step decay, as PyTorch's <c>StepLR</c>: the rate is multiplied by γ every <see cref="StepSize"/> updates,
/// <c>η_u = η · γ^⌊u / StepSize⌋</c> for update u = 0, 1, 2, ... To decay per epoch, give the number of updates in
/// an epoch as the step size.
/// </summary>
public sealed class StepDecaySchedule : LearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="stepSize">Updates between two decays (1 to <see cref="LearningRateSchedule.MaxSteps"/>).</param>
    /// <param name="gamma">The factor of each decay, in (0, 1].</param>
    public StepDecaySchedule(int stepSize, float gamma = 0.1f)
    {
        if (stepSize < 1 || stepSize > MaxSteps)
            throw new ArgumentOutOfRangeException(nameof(stepSize), stepSize, $"The step size must be 1 to {MaxSteps} updates.");
        if (!(gamma > 0f && gamma <= 1f))
            throw new ArgumentOutOfRangeException(nameof(gamma), gamma, "gamma must be in (0, 1].");
        StepSize = stepSize;
        Gamma = gamma;
    }

    /// <summary>Updates between two decays.</summary>
    public int StepSize { get; }

    /// <summary>γ, the factor of each decay.</summary>
    public float Gamma { get; }

    /// <inheritdoc/>
    public override float LearningRate(float baseRate, long update) =>
        (float)(baseRate * Math.Pow(Gamma, Math.Max(0, update) / StepSize));

    /// <inheritdoc/>
    public override IReadOnlyList<KeyValuePair<string, float>> HyperParameters =>
    [
        new("step_decay_step_size", StepSize),
        new("step_decay_gamma", Gamma),
    ];
}
