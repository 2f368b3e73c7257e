namespace SourceNet.Training;

/// <summary>What <see cref="EarlyStopping"/> watches on the validation data after each epoch.</summary>
public enum ValidationMetric
{
    /// <summary>The mean loss (Keras' <c>val_loss</c>): lower is better.</summary>
    Loss,

    /// <summary>The fraction classified right (Keras' <c>val_accuracy</c>): higher is better.</summary>
    Accuracy,
}
