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

    /// <summary>
    /// The shape of one sample as a sequence of <c>steps</c> vectors of <c>features</c> values:
    /// <c>new[] { 28, 28 }</c> reads an MNIST image row by row (28 steps of 28 pixels). Stored step-major:
    /// a sample's values are step 0's features, then step 1's. Set at most one of the input properties.
    /// </summary>
    public int[]? InputSequence { get; set; }

    /// <summary>
    /// The number of integer token ids in one sample (a sequence of <c>steps</c> ids), for networks that start
    /// with an embedding. Set at most one of the input properties.
    /// </summary>
    public int InputTokens { get; set; }

    /// <summary>
    /// For token input: how many distinct ids it holds (ids 0 to InputVocabulary - 1), when the network knows it. An
    /// embedding reading the input must have at least this vocabulary (a compile-time error otherwise), and the
    /// generated methods reject an id outside it. 0 (the default): the embedding's vocabulary bounds the ids.
    /// </summary>
    public int InputVocabulary { get; set; }

    /// <summary>
    /// The name a layer's <see cref="LayerAttribute.From"/> (or a merge's inputs) uses for the network's input:
    /// <c>From = NetworkAttribute.InputName</c>.
    /// </summary>
    public const string InputName = "input";

    /// <summary>The loss the network is trained against. Defaults to softmax cross-entropy.</summary>
    public Loss Loss { get; set; } = Loss.SoftmaxCrossEntropy;
}
