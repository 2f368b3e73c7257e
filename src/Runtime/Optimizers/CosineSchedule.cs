using System;
using System.Collections.Generic;

namespace SourceNet;

/// <summary>
/// A linear warm-up, then cosine annealing to a floor. For update u = 0, 1, 2, ... and base rate η:
/// <list type="bullet">
/// <item>warm-up, u &lt; W: <c>η_u = η · (u + 1) / W</c>, from η/W up to η at u = W - 1;</item>
/// <item>then, W ≤ u ≤ T: <c>η_u = η_min + (η - η_min) · (1 + cos(π · (u - W) / (T - W))) / 2</c>, from η down to η_min;</item>
/// <item>after T: η_min.</item>
/// </list>
/// In PyTorch this is <c>SequentialLR</c> of <c>LinearLR(start_factor=1/W, total_iters=W-1)</c> and
/// <c>CosineAnnealingLR(T_max=T-W, eta_min=η_min)</c> with milestone W, stepped once per update (PyTorch's cosine
/// rises again after T; this one stays at the floor).
/// </summary>
public sealed class CosineSchedule : LearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="warmupSteps">W, the updates of the linear warm-up (0 for none).</param>
    /// <param name="totalSteps">T, the update at which the rate reaches the floor (more than W, at most <see cref="LearningRateSchedule.MaxSteps"/>).</param>
    /// <param name="minLearningRate">η_min, the floor (0 or more).</param>
    public CosineSchedule(int warmupSteps, int totalSteps, float minLearningRate = 0f)
    {
        if (warmupSteps < 0)
            throw new ArgumentOutOfRangeException(nameof(warmupSteps), warmupSteps, "The warm-up must be 0 or more updates.");
        if (totalSteps <= warmupSteps || totalSteps > MaxSteps)
            throw new ArgumentOutOfRangeException(nameof(totalSteps), totalSteps, $"The total must be more than the {warmupSteps} warm-up updates and at most {MaxSteps}.");
        if (!(minLearningRate >= 0f) || !float.IsFinite(minLearningRate))
            throw new ArgumentOutOfRangeException(nameof(minLearningRate), minLearningRate, "The floor must be a finite number, 0 or more.");
        WarmupSteps = warmupSteps;
        TotalSteps = totalSteps;
        MinLearningRate = minLearningRate;
    }

    /// <summary>W, the updates of the linear warm-up.</summary>
    public int WarmupSteps { get; }

    /// <summary>T, the update at which the rate reaches <see cref="MinLearningRate"/>.</summary>
    public int TotalSteps { get; }

    /// <summary>η_min, the floor.</summary>
    public float MinLearningRate { get; }

    /// <inheritdoc/>
    public override float LearningRate(float baseRate, long update)
    {
        update = Math.Max(0, update);
        if (update < WarmupSteps)
            return (float)((double)baseRate * (update + 1) / WarmupSteps);
        if (update >= TotalSteps)
            return MinLearningRate;
        double progress = (double)(update - WarmupSteps) / (TotalSteps - WarmupSteps);
        return (float)(MinLearningRate + ((double)baseRate - MinLearningRate) * (1 + Math.Cos(Math.PI * progress)) / 2);
    }

    /// <inheritdoc/>
    public override IReadOnlyList<KeyValuePair<string, float>> HyperParameters =>
    [
        new("cosine_warmup_steps", WarmupSteps),
        new("cosine_total_steps", TotalSteps),
        new("cosine_min_learning_rate", MinLearningRate),
    ];
}
