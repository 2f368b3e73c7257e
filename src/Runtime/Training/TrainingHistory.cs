using System.Collections;
using System.Collections.Generic;

namespace SourceNet.Training;

/// <summary>What <see cref="Trainer.Fit(Data.BatchSampler, float[], int[], System.Threading.CancellationToken)"/>
/// returns: one <see cref="EpochResult"/> per epoch run, and what early stopping decided.</summary>
public sealed class TrainingHistory : IReadOnlyList<EpochResult>
{
    private readonly List<EpochResult> _epochs;

    internal TrainingHistory(List<EpochResult> epochs, int bestEpoch, bool stoppedEarly, bool restoredBest)
    {
        _epochs = epochs;
        BestEpoch = bestEpoch;
        StoppedEarly = stoppedEarly;
        RestoredBest = restoredBest;
    }

    /// <summary>The epoch (from 1) whose validation metric was best; 0 without <see cref="TrainerOptions.EarlyStopping"/>.</summary>
    public int BestEpoch { get; }

    /// <summary>Whether early stopping ended the run before <see cref="TrainerOptions.Epochs"/>.</summary>
    public bool StoppedEarly { get; }

    /// <summary>Whether the network's parameters were set back to <see cref="BestEpoch"/>'s (false when the last epoch was the best).</summary>
    public bool RestoredBest { get; }

    /// <summary>Number of epochs run.</summary>
    public int Count => _epochs.Count;

    /// <summary>The result of epoch <paramref name="index"/> + 1.</summary>
    public EpochResult this[int index] => _epochs[index];

    /// <inheritdoc/>
    public IEnumerator<EpochResult> GetEnumerator() => _epochs.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
