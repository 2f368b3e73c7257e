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
}
