using System;

namespace SourceNet;

/// <summary>
/// Marks a <c>partial</c> class as a neural network that SourceNet generates at compile time.
/// Its layers are the class's <c>partial</c> properties annotated with a layer attribute such as
/// <see cref="DenseAttribute"/>, applied in declaration order.
/// </summary>
/// <remarks>
/// The generator emits the forward pass, the backward pass, the parameter update,
/// <c>TrainStep</c>, <c>Predict</c>, <c>Evaluate</c> and <c>Summary</c>, with every dimension as a constant.
/// </remarks>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class NetworkAttribute : Attribute
{
    /// <summary>Number of input features of one sample (784 for a flattened 28x28 image).</summary>
    public int Input { get; set; }

    /// <summary>
    /// The shape of one sample: <c>new[] { 28, 28 }</c> for a one-channel image (28, 28, 1),
    /// <c>new[] { 32, 32, 3 }</c> for an image with channels (stored channels-last), <c>new[] { 784 }</c> for a
    /// vector. Convolution and pooling layers take images; a dense layer takes a vector, so an image is flattened
    /// first (a <see cref="FlattenAttribute"/> layer, or <see cref="DenseAttribute.Flatten"/>). Set either this or
    /// <see cref="Input"/>; if both are set they must agree (<see cref="Input"/> equal to the product of the dimensions).
    /// </summary>
    public int[]? InputShape { get; set; }

    /// <summary>The loss the network is trained against. Defaults to softmax cross-entropy.</summary>
    public Loss Loss { get; set; } = Loss.SoftmaxCrossEntropy;
}
