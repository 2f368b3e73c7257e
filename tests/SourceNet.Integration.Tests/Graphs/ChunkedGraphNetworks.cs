namespace SourceNet.Integration.Tests.Graphs;

// Graph networks without batch statistics: their training steps run as sample chunks (SourceNet.Kernels.TrainingChunks).

/// <summary>
/// A residual block without normalisation: the stem's output is read by the block, the skip connection's sum and a
/// 1x1 side branch (a gradient of three shares, in each chunk's own slots); a concatenation, a global pool, and dropout
/// before the logits (each chunk draws its own masks).
/// </summary>
[Network(InputShape = new[] { 6, 5, 2 })]
public sealed partial class ChunkedGraphNet
{
    [Conv2D(4, 3, Activation.Tanh, Padding = Padding.Same, WeightStdDev = 0.4f, BiasStdDev = 0.1f)] public partial Conv2DLayer Stem { get; }
    [Conv2D(4, 3, Activation.Tanh, Padding = Padding.Same, WeightStdDev = 0.4f, BiasStdDev = 0.1f)] public partial Conv2DLayer ConvA { get; }
    [Conv2D(4, 3, Padding = Padding.Same, WeightStdDev = 0.4f, BiasStdDev = 0.1f)] public partial Conv2DLayer ConvB { get; }
    [Add(nameof(ConvB), nameof(Stem), Activation = Activation.Tanh)] public partial AddLayer Sum { get; }
    [Conv2D(3, 1, Activation.Tanh, From = nameof(Stem), WeightStdDev = 0.5f, BiasStdDev = 0.1f)] public partial Conv2DLayer Side { get; }
    [Concatenate(nameof(Sum), nameof(Side))] public partial ConcatenateLayer Joined { get; }
    [GlobalAvgPool2D] public partial GlobalAvgPool2DLayer Pool { get; }
    [Dense(6, Activation.Tanh, WeightStdDev = 0.5f)] public partial DenseLayer Hidden { get; }
    [Dropout(0.3f)] public partial DropoutLayer Drop { get; }
    [Dense(3, WeightStdDev = 0.5f)] public partial DenseLayer Logits { get; }
}

/// <summary><see cref="ChunkedGraphNet"/> without the dropout, for finite differences of a split step's gradient.</summary>
[Network(InputShape = new[] { 6, 5, 2 })]
public sealed partial class ChunkedResidualNet
{
    [Conv2D(4, 3, Activation.Tanh, Padding = Padding.Same, WeightStdDev = 0.4f, BiasStdDev = 0.1f)] public partial Conv2DLayer Stem { get; }
    [Conv2D(4, 3, Activation.Tanh, Padding = Padding.Same, WeightStdDev = 0.4f, BiasStdDev = 0.1f)] public partial Conv2DLayer ConvA { get; }
    [Conv2D(4, 3, Padding = Padding.Same, WeightStdDev = 0.4f, BiasStdDev = 0.1f)] public partial Conv2DLayer ConvB { get; }
    [Add(nameof(ConvB), nameof(Stem), Activation = Activation.Tanh)] public partial AddLayer Sum { get; }
    [Conv2D(3, 1, Activation.Tanh, From = nameof(Stem), WeightStdDev = 0.5f, BiasStdDev = 0.1f)] public partial Conv2DLayer Side { get; }
    [Concatenate(nameof(Sum), nameof(Side))] public partial ConcatenateLayer Joined { get; }
    [GlobalAvgPool2D] public partial GlobalAvgPool2DLayer Pool { get; }
    [Dense(3, WeightStdDev = 0.5f)] public partial DenseLayer Logits { get; }
}
