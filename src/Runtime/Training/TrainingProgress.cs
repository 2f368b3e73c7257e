using System;

namespace SourceNet.Training;

/// <summary>
/// Where training stands within an epoch, reported by <see cref="TrainingMonitor"/> at most once per
/// <see cref="TrainerOptions.ProgressInterval"/> and after the epoch's last step. A struct, so that reporting
/// allocates nothing.
/// </summary>
/// <param name="Epoch">The current epoch, from 1.</param>
/// <param name="Epochs">Number of epochs in the run.</param>
/// <param name="Step">Steps done in this epoch, from 1.</param>
/// <param name="StepsPerEpoch">Steps in this epoch.</param>
/// <param name="RunningLoss">Mean training loss of this epoch's steps so far.</param>
/// <param name="StepsPerSecond">Steps per second in this epoch so far (batch drawing included).</param>
/// <param name="Remaining">Estimated training time left in the run at this rate (evaluation not included).</param>
public readonly record struct TrainingProgress(
    int Epoch, int Epochs, int Step, int StepsPerEpoch, double RunningLoss, double StepsPerSecond, TimeSpan Remaining)
{
    /// <summary>Fraction of this epoch's steps done, in [0, 1].</summary>
    public double EpochFraction => StepsPerEpoch == 0 ? 1 : (double)Step / StepsPerEpoch;
}
