using System;

namespace SourceNet.Training;

/// <summary>
/// Stops a <see cref="Trainer"/> run when the validation metric has not improved for <see cref="Patience"/> epochs,
/// and keeps the parameters of the best epoch: restored at the end (<see cref="RestoreBestParameters"/>) and, with
/// <see cref="CheckpointPath"/>, saved as a checkpoint each time the metric improves.
/// </summary>
/// <remarks>
/// Keras' <c>EarlyStopping</c> callback, with the same meaning for each setting: an epoch improves when its metric
/// beats the best so far by more than <see cref="MinDelta"/> (the first epoch always does); the run stops once
/// <see cref="Patience"/> epochs in a row have not improved (0 stops at the first, as 1 does, as in Keras).
/// Two defaults differ: <see cref="RestoreBestParameters"/> is true (Keras' <c>restore_best_weights</c> is false), and
/// the parameters restored are the best epoch's even when the run did not stop early, as Keras 3 does.
/// <see cref="CheckpointPath"/> is Keras' <c>ModelCheckpoint(save_best_only=True)</c> beside it.
/// </remarks>
public sealed record EarlyStopping
{
    /// <summary>The validation metric watched (default <see cref="ValidationMetric.Loss"/>, Keras' <c>val_loss</c>).</summary>
    public ValidationMetric Metric { get; init; } = ValidationMetric.Loss;

    /// <summary>Epochs in a row without improvement after which training stops (default 0: at the first).</summary>
    public int Patience { get; init; }

    /// <summary>The least change of the metric that counts as an improvement (default 0: any).</summary>
    public double MinDelta { get; init; }

    /// <summary>Whether the network gets the best epoch's parameters back when the run ends (default true).</summary>
    public bool RestoreBestParameters { get; init; } = true;

    /// <summary>
    /// Where to save a checkpoint (<see cref="Checkpoints.Checkpoint.Save"/>: parameters, the optimizer's state, and
    /// metadata <c>epoch</c>, <c>metric</c>, <c>value</c>) each time the metric improves; null for none.
    /// </summary>
    public string? CheckpointPath { get; init; }

    /// <summary>Throws if a setting is out of range.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(Patience);
        if (!(MinDelta >= 0) || double.IsInfinity(MinDelta))
        {
            throw new ArgumentOutOfRangeException(nameof(MinDelta), MinDelta, "MinDelta must be 0 or more, and finite.");
        }
        if (!Enum.IsDefined(Metric))
        {
            throw new ArgumentOutOfRangeException(nameof(Metric), Metric, "Not a validation metric.");
        }
        if (CheckpointPath is { Length: 0 })
        {
            throw new ArgumentException("The checkpoint path is empty: give a file, or null for none.", nameof(CheckpointPath));
        }
    }

    /// <summary>Whether <paramref name="current"/> beats <paramref name="best"/> by more than <see cref="MinDelta"/>; NaN never does.</summary>
    internal bool IsImprovement(double current, double best) => Metric == ValidationMetric.Loss
        ? current + MinDelta < best
        : current - MinDelta > best;

    /// <summary>The metric's starting "best": any real value improves on it.</summary>
    internal double Worst => Metric == ValidationMetric.Loss ? double.PositiveInfinity : double.NegativeInfinity;
}
