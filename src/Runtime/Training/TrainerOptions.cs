using System;

namespace SourceNet.Training;

/// <summary>Settings of a <see cref="Trainer"/> run; the defaults are the TensorFlow MNIST tutorial's.</summary>
public sealed record TrainerOptions
{
    /// <summary>Number of epochs (default 10).</summary>
    public int Epochs { get; init; } = 10;

    /// <summary>Samples per batch (default 100); at most the network's <see cref="INetwork.MaxBatchSize"/>.</summary>
    public int BatchSize { get; init; } = 100;

    /// <summary>How batches are drawn (default: random, with replacement).</summary>
    public BatchSampling Sampling { get; init; } = BatchSampling.RandomWithReplacement;

    /// <summary>
    /// Batches per epoch with <see cref="BatchSampling.RandomWithReplacement"/>; null: samples / batch size
    /// (600 for MNIST's 60,000 in batches of 100). Ignored for shuffled epochs, which see every sample once.
    /// </summary>
    public int? BatchesPerEpoch { get; init; }

    /// <summary>The least time between two progress reports within an epoch (default 100 ms: 10 a second).</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Throws if a setting is out of range.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Epochs);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(BatchSize);
        if (BatchesPerEpoch is int batches)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batches, nameof(BatchesPerEpoch));
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(ProgressInterval, TimeSpan.Zero);
    }
}
