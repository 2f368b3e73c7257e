using System;

namespace SourceNet;

/// <summary>
/// A generated network whose samples are rows of <typeparamref name="TInput"/>: <see cref="float"/> features, or
/// <see cref="int"/> token ids for a network that starts with an embedding. Generic inference code (an evaluation
/// harness, a server) calls <see cref="Forward"/> through it without knowing the class.
/// </summary>
/// <typeparam name="TInput">The element type of one input value.</typeparam>
public interface INetwork<TInput> : INetwork
{
    /// <summary>
    /// The last layer's outputs for any number of samples, in inference mode (dropout off), in chunks of
    /// <see cref="INetwork.MaxBatchSize"/>. Parameters and gradients are left as they are.
    /// </summary>
    /// <param name="inputs">Samples × <see cref="INetwork.InputSize"/> values, row-major.</param>
    /// <param name="outputs">Samples × <see cref="INetwork.OutputSize"/> values, row-major.</param>
    void Forward(ReadOnlySpan<TInput> inputs, Span<float> outputs);
}
