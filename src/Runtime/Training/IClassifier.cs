using System;

namespace SourceNet.Training;

/// <summary>
/// A generated classification network (softmax cross-entropy loss), as a generic training loop such as
/// <see cref="Trainer"/> calls it. The members have exactly the signatures the generator emits, so a network
/// class implements the interface by declaring it: <c>public sealed partial class MnistMlp : IClassifier</c>.
/// </summary>
public interface IClassifier : INetwork
{
    /// <summary>One optimisation step on a batch: forward, backward, update; returns the batch's mean loss.</summary>
    /// <param name="inputs">Batch × <see cref="INetwork.InputSize"/> features, row-major.</param>
    /// <param name="labels">One class index per sample.</param>
    /// <param name="optimizer">Applies the update.</param>
    float TrainStep(ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels, Optimizer optimizer);

    /// <summary>The fraction of samples, in [0, 1], whose predicted class is their label.</summary>
    float Evaluate(ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels);

    /// <summary>The mean loss over any number of samples, in inference mode, leaving the parameters and their
    /// gradients as they are. Generated networks implement it; <see cref="Trainer"/> calls it only when
    /// <see cref="EarlyStopping"/> watches <see cref="ValidationMetric.Loss"/>.</summary>
    float ComputeLoss(ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels) =>
        throw new NotSupportedException($"{GetType().Name} does not compute a loss: watch ValidationMetric.Accuracy instead.");
}
