namespace SourceNet.Integration.Tests.Convolution;

/// <summary>
/// Per-axis strides: a Same convolution stepping 2 down and 1 across, a max pool stepping 1 down and 2 across, a Valid
/// convolution with only StrideX set (Stride covers the other axis), and a Same average pool at stride 1.
/// 9x8 -> 5x8 -> 4x4 -> 3x2 -> 3x2.
/// </summary>
[Network(InputShape = new[] { 9, 8, 2 })]
public sealed partial class UnequalStrideCnn
{
    [Conv2D(3, 3, 2, Activation.Tanh, StrideY = 2, StrideX = 1, Padding = Padding.Same, WeightStdDev = 0.5f, BiasStdDev = 0.2f)] public partial Conv2DLayer Conv { get; }
    [MaxPool2D(2, StrideY = 1, StrideX = 2)] public partial Pool2DLayer Pool { get; }
    [Conv2D(2, 2, Activation.Sigmoid, StrideX = 2, WeightStdDev = 0.5f, BiasStdDev = 0.2f)] public partial Conv2DLayer Conv2 { get; }
    [AvgPool2D(2, Stride = 1, Padding = Padding.Same)] public partial Pool2DLayer Avg { get; }
    [Dense(3, Flatten = true, WeightStdDev = 0.5f)] public partial DenseLayer Logits { get; }
}
