namespace SourceNet.Integration.Tests.Convolution;

// Small convolutional networks compiled by the real generator, with odd sizes on purpose: non-square inputs
// and kernels, stride 2, Same and Valid padding, one and three input channels. Smooth activations before
// max pools keep ties (where a max has no derivative) out of the finite differences.

/// <summary>Three channels, a 3x2 kernel at stride 2 with Same padding, a Same max pool, a dense layer on a flattened image.</summary>
[Network(InputShape = new[] { 7, 5, 3 })]
public sealed partial class StridedSameCnn
{
    [Conv2D(4, 3, 2, Activation.Tanh, Stride = 2, Padding = Padding.Same, WeightStdDev = 0.5f, BiasStdDev = 0.2f)] public partial Conv2DLayer Conv { get; }
    [MaxPool2D(2, Padding = Padding.Same)] public partial Pool2DLayer Pool { get; }
    [Dense(3, Flatten = true, WeightStdDev = 0.5f)] public partial DenseLayer Logits { get; }
}

/// <summary>
/// One channel, Valid padding, an overlapping average pool, a second convolution (so the first one's input
/// gradient is exercised) at stride 2 with Same padding, an explicit flatten, and dropout before the logits.
/// </summary>
[Network(InputShape = new[] { 9, 6 })]
public sealed partial class ValidThenSameCnn
{
    [Conv2D(3, 2, 3, Activation.Sigmoid, WeightStdDev = 0.6f, BiasStdDev = 0.1f)] public partial Conv2DLayer First { get; }
    [AvgPool2D(2, Stride = 1)] public partial Pool2DLayer Average { get; }
    [Conv2D(2, 3, 1, Activation.Tanh, Stride = 2, Padding = Padding.Same, WeightStdDev = 0.6f, BiasStdDev = 0.1f)] public partial Conv2DLayer Second { get; }
    [MaxPool2D(2, 1, Stride = 1)] public partial Pool2DLayer Max { get; }
    [Flatten] public partial FlattenLayer Flat { get; }
    [Dense(5, Activation.Tanh, WeightStdDev = 0.5f)] public partial DenseLayer Hidden { get; }
    [Dropout(0.3f)] public partial DropoutLayer Drop { get; }
    [Dense(3, WeightStdDev = 0.5f)] public partial DenseLayer Logits { get; }
}

/// <summary>The deep MNIST network's structure at a fraction of its size: ReLU everywhere, as the sample has it.</summary>
[Network(InputShape = new[] { 12, 12, 1 })]
public sealed partial class SmallDeepCnn
{
    [Conv2D(4, 5, Activation.ReLU, Padding = Padding.Same, WeightStdDev = 0.3f, BiasStdDev = 0.05f)] public partial Conv2DLayer Conv1 { get; }
    [MaxPool2D(2)] public partial Pool2DLayer Pool1 { get; }
    [Conv2D(6, 5, Activation.ReLU, Padding = Padding.Same, WeightStdDev = 0.2f, BiasStdDev = 0.05f)] public partial Conv2DLayer Conv2 { get; }
    [MaxPool2D(2)] public partial Pool2DLayer Pool2 { get; }
    [Flatten] public partial FlattenLayer Flat { get; }
    [Dense(16, Activation.ReLU, WeightStdDev = 0.2f, BiasStdDev = 0.05f)] public partial DenseLayer Hidden { get; }
    [Dropout(0.5f)] public partial DropoutLayer Drop { get; }
    [Dense(10, WeightStdDev = 0.2f)] public partial DenseLayer Output { get; }
}
