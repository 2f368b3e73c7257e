using System;

namespace SourceNet;

/// <summary>
/// A generated classification network (softmax cross-entropy loss) over rows of <typeparamref name="TInput"/>:
/// everything a generic training or evaluation loop calls. The generator declares it on every such network, so
/// generic code needs no adapter. <see cref="IClassifier"/> is the one for <see cref="float"/> features.
/// </summary>
/// <typeparam name="TInput">The element type of one input value (<see cref="float"/> features, <see cref="int"/> token ids).</typeparam>
public interface IClassifier<TInput> : INetwork<TInput>
{
    /// <summary>One optimisation step on a batch: forward, backward, update; returns the batch's mean loss.</summary>
    /// <param name="inputs">Batch × <see cref="INetwork.InputSize"/> values, row-major.</param>
    /// <param name="labels">One class index per sample (per step, for a network with a sequence output).</param>
    /// <param name="optimizer">Applies the update.</param>
    float TrainStep(ReadOnlySpan<TInput> inputs, ReadOnlySpan<int> labels, Optimizer optimizer);

    /// <summary>
    /// Forward and backward on a batch, leaving dLoss/dParameter in each <see cref="Parameter.Gradient"/> for an
    /// update made elsewhere (gradient accumulation, a custom optimizer); returns the batch's mean loss.
    /// </summary>
    /// <param name="inputs">Batch × <see cref="INetwork.InputSize"/> values, row-major.</param>
    /// <param name="labels">One class index per sample.</param>
    float ComputeGradients(ReadOnlySpan<TInput> inputs, ReadOnlySpan<int> labels);

    /// <summary>The fraction of samples, in [0, 1], whose predicted class is their label.</summary>
    /// <param name="inputs">Samples × <see cref="INetwork.InputSize"/> values, row-major.</param>
    /// <param name="labels">One class index per sample.</param>
    float Evaluate(ReadOnlySpan<TInput> inputs, ReadOnlySpan<int> labels);

    /// <summary>The mean loss over any number of samples, in inference mode, leaving the parameters and their
    /// gradients as they are.</summary>
    /// <param name="inputs">Samples × <see cref="INetwork.InputSize"/> values, row-major.</param>
    /// <param name="labels">One class index per sample.</param>
    float ComputeLoss(ReadOnlySpan<TInput> inputs, ReadOnlySpan<int> labels);
}

/// <summary>
/// A generated classification network over <see cref="float"/> features, as <see cref="Training.Trainer"/> trains it.
/// The generator declares it on every network trained with <c>Loss.SoftmaxCrossEntropy</c>.
/// </summary>
public interface IClassifier : IClassifier<float>
{
}
