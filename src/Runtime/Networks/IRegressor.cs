using System;

namespace SourceNet;

/// <summary>
/// A generated regression network (<c>Loss.MeanSquaredError</c>) over rows of <typeparamref name="TInput"/>:
/// everything a generic training loop calls. The generator declares it on every such network.
/// <see cref="IRegressor"/> is the one for <see cref="float"/> features.
/// </summary>
/// <typeparam name="TInput">The element type of one input value (<see cref="float"/> features, <see cref="int"/> token ids).</typeparam>
public interface IRegressor<TInput> : INetwork<TInput>
{
    /// <summary>One optimisation step on a batch: forward, backward, update; returns the batch's loss before the update.</summary>
    /// <param name="inputs">Batch × <see cref="INetwork.InputSize"/> values, row-major.</param>
    /// <param name="targets">Batch × <see cref="INetwork.OutputSize"/> target values, row-major.</param>
    /// <param name="optimizer">Applies the update.</param>
    float TrainStep(ReadOnlySpan<TInput> inputs, ReadOnlySpan<float> targets, Optimizer optimizer);

    /// <summary>
    /// Forward and backward on a batch, leaving dLoss/dParameter in each <see cref="Parameter.Gradient"/> for an
    /// update made elsewhere; returns the batch's loss.
    /// </summary>
    /// <param name="inputs">Batch × <see cref="INetwork.InputSize"/> values, row-major.</param>
    /// <param name="targets">Batch × <see cref="INetwork.OutputSize"/> target values, row-major.</param>
    float ComputeGradients(ReadOnlySpan<TInput> inputs, ReadOnlySpan<float> targets);

    /// <summary>The loss over any number of samples, in inference mode, leaving the parameters and their gradients as they are.</summary>
    /// <param name="inputs">Samples × <see cref="INetwork.InputSize"/> values, row-major.</param>
    /// <param name="targets">Samples × <see cref="INetwork.OutputSize"/> target values, row-major.</param>
    float ComputeLoss(ReadOnlySpan<TInput> inputs, ReadOnlySpan<float> targets);
}

/// <summary>A generated regression network over <see cref="float"/> features.</summary>
public interface IRegressor : IRegressor<float>
{
}
