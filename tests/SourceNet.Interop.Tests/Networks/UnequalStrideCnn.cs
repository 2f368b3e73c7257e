namespace SourceNet.Interop.Tests.Networks;

/// <summary>Per-axis strides in a convolution and a pool, for the ONNX export: 9x8 -> 5x8 -> 4x4.</summary>
[Network(InputShape = new[] { 9, 8, 2 }, Loss = Loss.SoftmaxCrossEntropy)]
public sealed partial class UnequalStrideCnn
{
    [Conv2D(3, 3, 2, Activation.ReLU, StrideY = 2, StrideX = 1, Padding = Padding.Same, WeightStdDev = 0.4f, BiasStdDev = 0.1f)]
    public partial Conv2DLayer Conv { get; }

    [AvgPool2D(2, StrideY = 1, StrideX = 2, Padding = Padding.Same)]
    public partial Pool2DLayer Pool { get; }

    [Dense(4, Flatten = true, WeightStdDev = 0.3f, BiasStdDev = 0.1f)]
    public partial DenseLayer Output { get; }
}
