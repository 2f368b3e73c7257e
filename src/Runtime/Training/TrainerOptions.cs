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

    /// <summary>
    /// The fraction of the samples held out for validation by <see cref="Trainer.Fit(Data.LabeledData, SeededRandom, Data.LabeledData?, System.Threading.CancellationToken)"/>
    /// (Keras' <c>validation_split</c>); 0 (the default) holds out none. A seeded random pick, not the last samples as
    /// in Keras: a CSV sorted by class would otherwise validate on one class only.
    /// </summary>
    public double ValidationSplit { get; init; }

    /// <summary>Seeds the choice of the <see cref="ValidationSplit"/> samples (default 0): the same seed, the same split.</summary>
    public long ValidationSeed { get; init; }

    /// <summary>Stops when the validation metric stops improving and keeps the best parameters; null (the default): train every epoch.</summary>
    public EarlyStopping? EarlyStopping { get; init; }

    /// <summary>Throws if a setting is out of range.</summary>
    public void Validate()
    {
        if (!(ValidationSplit >= 0 && ValidationSplit < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(ValidationSplit), ValidationSplit, "The validation split is a fraction in [0, 1).");
        }
        EarlyStopping?.Validate();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Epochs);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(BatchSize);
        if (BatchesPerEpoch is int batches)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batches, nameof(BatchesPerEpoch));
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(ProgressInterval, TimeSpan.Zero);
    }
}
