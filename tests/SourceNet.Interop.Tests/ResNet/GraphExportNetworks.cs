namespace SourceNet.Interop.Tests.ResNet;

/// <summary>A stride-2 convolution with TensorFlow's asymmetric Same padding, batch normalisation, global pooling.</summary>
[Network(InputShape = new[] { 8, 8, 1 })]
public sealed partial class StridedNormNet
{
    [Conv2D(8, 3, Stride = 2, Padding = Padding.Same, WeightStdDev = 0.5f, BiasStdDev = 0.1f)] public partial Conv2DLayer Conv { get; }
    [BatchNorm(Activation = Activation.ReLU)] public partial BatchNormLayer Norm { get; }
    [GlobalAvgPool2D] public partial GlobalAvgPool2DLayer Pool { get; }
    [Dense(3, WeightStdDev = 0.5f)] public partial DenseLayer Out { get; }
}

/// <summary>A skip connection into a sum, and a 1x1 stride-2 side branch joined by concatenation.</summary>
[Network(InputShape = new[] { 6, 6, 2 })]
public sealed partial class SkipNet
{
    [Conv2D(4, 3, Padding = Padding.Same, WeightStdDev = 0.5f, BiasStdDev = 0.1f)] public partial Conv2DLayer Stem { get; }
    [Conv2D(4, 3, Padding = Padding.Same, WeightStdDev = 0.5f, BiasStdDev = 0.1f)] public partial Conv2DLayer Conv { get; }
    [BatchNorm] public partial BatchNormLayer Norm { get; }
    [Add(nameof(Norm), nameof(Stem), Activation = Activation.ReLU)] public partial AddLayer Sum { get; }
    [Conv2D(4, 3, Stride = 2, Padding = Padding.Same, WeightStdDev = 0.5f)] public partial Conv2DLayer Down { get; }
    [Conv2D(2, 1, Stride = 2, From = nameof(Sum), WeightStdDev = 0.5f)] public partial Conv2DLayer Shortcut { get; }
    [Concatenate(nameof(Down), nameof(Shortcut))] public partial ConcatenateLayer Joined { get; }
    [GlobalAvgPool2D] public partial GlobalAvgPool2DLayer Pool { get; }
    [Dense(3, WeightStdDev = 0.5f)] public partial DenseLayer Out { get; }
}
