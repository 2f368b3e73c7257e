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

    /// <summary>
    /// Softmax cross-entropy at every time step, for language models: the last layer gives a sequence of logits
    /// (T, classes), each sample has T integer labels (one per step, row-major), and the loss is the mean over the
    /// batch's samples and steps. The last layer must have no activation and at least two units per step.
    /// </summary>
    SoftmaxCrossEntropyPerStep = 2,
}
