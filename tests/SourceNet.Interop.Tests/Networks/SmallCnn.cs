namespace SourceNet.Interop.Tests.Networks;

/// <summary>
/// A small convolutional network compiled by the real generator, with every layer kind: TensorFlow Same padding
/// that is asymmetric (9 → 5 with a 4x4 kernel and stride 2: one row before, two after), max and average pooling
/// with padding, a Valid convolution, flatten, dropout.
/// </summary>
[Network(InputShape = new[] { 9, 9, 2 }, Loss = Loss.SoftmaxCrossEntropy)]
public sealed partial class SmallCnn
{
    [Conv2D(4, 4, Activation.ReLU, Stride = 2, Padding = Padding.Same, WeightStdDev = 0.3f, BiasStdDev = 0.1f)]
    public partial Conv2DLayer Conv { get; }

    [MaxPool2D(2, Padding = Padding.Same)]
    public partial Pool2DLayer MaxPool { get; }

    [Conv2D(3, 2, Activation.Tanh, WeightStdDev = 0.3f, BiasStdDev = 0.1f)]
    public partial Conv2DLayer Conv2 { get; }

    [AvgPool2D(3, Stride = 1, Padding = Padding.Same)]
    public partial Pool2DLayer AvgPool { get; }

    [Flatten]
    public partial FlattenLayer Flat { get; }

    [Dense(5, Activation.ReLU, WeightStdDev = 0.3f, BiasStdDev = 0.1f)]
    public partial DenseLayer Hidden { get; }

    [Dropout(0.5f)]
    public partial DropoutLayer Drop { get; }

    [Dense(3, WeightStdDev = 0.3f, BiasStdDev = 0.1f)]
    public partial DenseLayer Output { get; }
}
