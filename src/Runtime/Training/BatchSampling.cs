namespace SourceNet.Training;

/// <summary>How <see cref="Trainer"/> draws the batches of an epoch from a <see cref="Data.BatchSampler"/>.</summary>
public enum BatchSampling
{
    /// <summary>
    /// Each batch drawn uniformly <i>with</i> replacement, a fixed number of batches per epoch (what the
    /// TensorFlow MNIST tutorial does).
    /// </summary>
    RandomWithReplacement,

    /// <summary>A fresh permutation per epoch: every sample exactly once, the last batch possibly short.</summary>
    ShuffledEpochs,
}
