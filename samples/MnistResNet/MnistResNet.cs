namespace SourceNet.Samples.MnistResNet;

/// <summary>
/// A small residual network, written as a user writes one: a 3x3 convolution stem, then three stages of residual
/// blocks (two conv–BN layers whose sum with the block's input goes through ReLU), 16 channels at 28x28, 32 at 14x14
/// and 64 at 7x7. A stage that halves the image starts with a stride-2 convolution, and its skip connection is a 1x1
/// stride-2 convolution with batch normalisation (the projection shortcut of He et al.). Global average pooling and
/// one dense layer make the 10 logits. Convolutions feeding a batch normalisation have no use for a bias, so theirs
/// start at 0 (the normalisation subtracts any constant anyway). Initial weights follow He et al.: std = sqrt(2 / fan-in).
/// </summary>
[Network(InputShape = new[] { 28, 28, 1 }, Loss = Loss.SoftmaxCrossEntropy)]
public sealed partial class MnistResNet
{
    // Stem: (28, 28, 1) -> (28, 28, 16).
    [Conv2D(16, 3, Padding = Padding.Same, WeightStdDev = 0.4714f, BiasStdDev = 0f)] public partial Conv2DLayer Stem { get; }
    [BatchNorm(Activation = Activation.ReLU)] public partial BatchNormLayer StemNorm { get; }

    // Stage 1, 28x28x16: one block with an identity skip.
    [Conv2D(16, 3, Padding = Padding.Same, WeightStdDev = 0.1179f, BiasStdDev = 0f)] public partial Conv2DLayer Block1Conv1 { get; }
    [BatchNorm(Activation = Activation.ReLU)] public partial BatchNormLayer Block1Norm1 { get; }
    [Conv2D(16, 3, Padding = Padding.Same, WeightStdDev = 0.1179f, BiasStdDev = 0f)] public partial Conv2DLayer Block1Conv2 { get; }
    [BatchNorm] public partial BatchNormLayer Block1Norm2 { get; }
    [Add(nameof(Block1Norm2), nameof(StemNorm), Activation = Activation.ReLU)] public partial AddLayer Block1 { get; }

    // Stage 2, down to 14x14x32: a strided block with a projection shortcut.
    [Conv2D(32, 3, Stride = 2, Padding = Padding.Same, WeightStdDev = 0.1179f, BiasStdDev = 0f)] public partial Conv2DLayer Block2Conv1 { get; }
    [BatchNorm(Activation = Activation.ReLU)] public partial BatchNormLayer Block2Norm1 { get; }
    [Conv2D(32, 3, Padding = Padding.Same, WeightStdDev = 0.0833f, BiasStdDev = 0f)] public partial Conv2DLayer Block2Conv2 { get; }
    [BatchNorm] public partial BatchNormLayer Block2Norm2 { get; }
    [Conv2D(32, 1, Stride = 2, From = nameof(Block1), WeightStdDev = 0.3536f, BiasStdDev = 0f)] public partial Conv2DLayer Block2Shortcut { get; }
    [BatchNorm] public partial BatchNormLayer Block2ShortcutNorm { get; }
    [Add(nameof(Block2Norm2), nameof(Block2ShortcutNorm), Activation = Activation.ReLU)] public partial AddLayer Block2 { get; }

    // Stage 3, down to 7x7x64.
    [Conv2D(64, 3, Stride = 2, Padding = Padding.Same, WeightStdDev = 0.0833f, BiasStdDev = 0f)] public partial Conv2DLayer Block3Conv1 { get; }
    [BatchNorm(Activation = Activation.ReLU)] public partial BatchNormLayer Block3Norm1 { get; }
    [Conv2D(64, 3, Padding = Padding.Same, WeightStdDev = 0.0589f, BiasStdDev = 0f)] public partial Conv2DLayer Block3Conv2 { get; }
    [BatchNorm] public partial BatchNormLayer Block3Norm2 { get; }
    [Conv2D(64, 1, Stride = 2, From = nameof(Block2), WeightStdDev = 0.25f, BiasStdDev = 0f)] public partial Conv2DLayer Block3Shortcut { get; }
    [BatchNorm] public partial BatchNormLayer Block3ShortcutNorm { get; }
    [Add(nameof(Block3Norm2), nameof(Block3ShortcutNorm), Activation = Activation.ReLU)] public partial AddLayer Block3 { get; }

    // Head: (7, 7, 64) -> (64) -> 10 logits.
    [GlobalAvgPool2D] public partial GlobalAvgPool2DLayer Pool { get; }
    [Dense(10, WeightStdDev = 0.125f, BiasStdDev = 0f)] public partial DenseLayer Output { get; }
}
