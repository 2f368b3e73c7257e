namespace SourceNet;

/// <summary>The loss a network is trained against, averaged over the batch.</summary>
public enum Loss
{
    /// <summary>
    /// Softmax over the last layer's logits followed by cross-entropy against an integer class label.
    /// The last layer must have no activation and at least two units.
    /// </summary>
    SoftmaxCrossEntropy = 0,

    /// <summary>Half the squared error, summed over outputs, against a float target vector.</summary>
    MeanSquaredError = 1,

    /// <summary>
    /// Softmax cross-entropy at every time step, for language models: the last layer gives a sequence of logits
    /// (T, classes), each sample has T integer labels (one per step, row-major), and the loss is the mean over the
    /// batch's samples and steps. The last layer must have no activation and at least two units per step.
    /// </summary>
    SoftmaxCrossEntropyPerStep = 2,
}
