namespace SourceNet.Integration.Tests.Graphs;

// Small graph networks compiled by the real generator, with odd sizes on purpose. Smooth activations (Tanh) keep
// kinks out of the finite differences.

/// <summary>
/// A residual block with batch normalisation: the stem's output is read three times (by the block, by the skip
/// connection's sum and by a 1x1 side branch), so its gradient is a sum of three shares; a concatenation on the
/// channel axis and a global average pool before the logits.
/// </summary>
[Network(InputShape = new[] { 6, 5, 2 })]
public sealed partial class ResidualBlockNet
{
    [Conv2D(4, 3, Activation.Tanh, Padding = Padding.Same, WeightStdDev = 0.4f, BiasStdDev = 0.1f)] public partial Conv2DLayer Stem { get; }
    [Conv2D(4, 3, Padding = Padding.Same, WeightStdDev = 0.4f, BiasStdDev = 0.1f)] public partial Conv2DLayer ConvA { get; }
    [BatchNorm(Activation = Activation.Tanh)] public partial BatchNormLayer NormA { get; }
    [Conv2D(4, 3, Padding = Padding.Same, WeightStdDev = 0.4f, BiasStdDev = 0.1f)] public partial Conv2DLayer ConvB { get; }
    [BatchNorm] public partial BatchNormLayer NormB { get; }
    [Add(nameof(NormB), nameof(Stem), Activation = Activation.Tanh)] public partial AddLayer Sum { get; }
    [Conv2D(3, 1, Activation.Tanh, From = nameof(Stem), WeightStdDev = 0.5f, BiasStdDev = 0.1f)] public partial Conv2DLayer Side { get; }
    [Concatenate(nameof(Sum), nameof(Side))] public partial ConcatenateLayer Joined { get; }
    [GlobalAvgPool2D] public partial GlobalAvgPool2DLayer Pool { get; }
    [Dense(3, WeightStdDev = 0.5f)] public partial DenseLayer Logits { get; }
}

/// <summary>
/// Vectors: batch normalisation of features (a channel per feature, 5 of them, not a multiple of the vector width),
/// a sum of two dense branches that both read the first layer, and dropout on the way to the logits.
/// </summary>
[Network(Input = 7)]
public sealed partial class VectorGraphNet
{
    [Dense(5, Activation.Tanh, WeightStdDev = 0.5f)] public partial DenseLayer First { get; }
    [BatchNorm(Momentum = 0.3f, Epsilon = 1e-3f)] public partial BatchNormLayer Norm { get; }
    [Dense(5, Activation.Tanh, WeightStdDev = 0.5f)] public partial DenseLayer Left { get; }
    [Dense(5, Activation.Tanh, From = nameof(First), WeightStdDev = 0.5f)] public partial DenseLayer Right { get; }
    [Add(nameof(Left), nameof(Right), nameof(First))] public partial AddLayer Sum { get; }
    [Dropout(0.25f)] public partial DropoutLayer Drop { get; }
    [Dense(4, WeightStdDev = 0.5f)] public partial DenseLayer Logits { get; }
}

/// <summary>Sixteen channels (the vector path of the batch-norm kernels), a strided convolution down to the pool, and the
/// activations whose derivative needs the pre-activation (SiLU after the normalisation, GELU after the sum).</summary>
[Network(InputShape = new[] { 5, 4, 1 })]
public sealed partial class WideNormNet
{
    [Conv2D(16, 3, Padding = Padding.Same, WeightStdDev = 0.5f, BiasStdDev = 0.1f)] public partial Conv2DLayer Conv { get; }
    [BatchNorm(Activation = Activation.SiLU)] public partial BatchNormLayer Norm { get; }
    [Conv2D(16, 3, Activation.Tanh, Stride = 2, Padding = Padding.Same, WeightStdDev = 0.3f)] public partial Conv2DLayer Down { get; }
    [Add(nameof(Down), nameof(Down), Activation = Activation.GELU)] public partial AddLayer Twice { get; }
    [GlobalAvgPool2D] public partial GlobalAvgPool2DLayer Pool { get; }
    [Dense(3, WeightStdDev = 0.5f)] public partial DenseLayer Logits { get; }
}
