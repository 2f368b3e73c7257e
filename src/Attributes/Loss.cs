namespace SourceNet;

/// <summary>The loss a network is trained against, averaged over the batch (and, for <see cref="MeanSquaredError"/>, over the outputs).</summary>
public enum Loss
{
    /// <summary>
    /// Softmax over the last layer's logits followed by cross-entropy against an integer class label.
    /// The last layer must have no activation and at least two units.
    /// </summary>
    SoftmaxCrossEntropy = 0,

    /// <summary>
    /// The squared error against a float target vector, averaged over every output of every sample: Keras'
    /// <c>mse</c> and PyTorch's <c>MSELoss()</c> (<c>reduction='mean'</c>). Before 0.2 it was half the squared error
    /// summed over the outputs and averaged over the batch.
    /// </summary>
    MeanSquaredError = 1,
}
