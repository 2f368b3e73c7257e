using System;

namespace SourceNet.Training;

/// <summary>What one epoch of training gave.</summary>
/// <param name="Epoch">The epoch, from 1.</param>
/// <param name="MeanLoss">Mean training loss over the epoch's steps.</param>
/// <param name="TestAccuracy">Accuracy on the validation data in [0, 1], after the epoch; NaN without validation data.</param>
/// <param name="TrainingTime">Time of the epoch's steps, batch drawing included, evaluation excluded.</param>
/// <param name="Steps">Steps (batches) in the epoch.</param>
public readonly record struct EpochResult(int Epoch, double MeanLoss, double TestAccuracy, TimeSpan TrainingTime, int Steps)
{
    /// <summary>Mean loss on the validation data after the epoch; NaN unless <see cref="EarlyStopping"/> watches
    /// <see cref="ValidationMetric.Loss"/> (computing it costs a pass over the validation data).</summary>
    public double ValidationLoss { get; init; } = double.NaN;

    /// <summary>Training steps per second in the epoch.</summary>
    public double StepsPerSecond => TrainingTime > TimeSpan.Zero ? Steps / TrainingTime.TotalSeconds : 0;
}
