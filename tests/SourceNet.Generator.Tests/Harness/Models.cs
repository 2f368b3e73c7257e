namespace SourceNet.Generator.Tests.Harness;

/// <summary>Model sources shared by the generator tests.</summary>
public static class Models
{
    public const string Mnist = """
        using SourceNet;

        namespace Samples;

        [Network(Input = 784, Loss = Loss.SoftmaxCrossEntropy)]
        public sealed partial class MnistMlp
        {
            [Dense(300, Activation.ReLU)] public partial DenseLayer Hidden { get; }
            [Dense(10)] public partial DenseLayer Output { get; }
        }
        """;

    public const string Regression = """
        using SourceNet;

        [Network(Input = 3, Loss = Loss.MeanSquaredError)]
        internal partial class Regressor
        {
            [Dense(5, Activation.Tanh)] internal partial DenseLayer First { get; }
            [Dense(4, Activation.Sigmoid)] public partial DenseLayer Second { get; }
            [Dense(2)] public partial DenseLayer Out { get; }
        }
        """;

    public const string CustomActivation = """
        using System;
        using SourceNet;

        namespace Samples;

        [Network(Input = 8, Loss = Loss.SoftmaxCrossEntropy)]
        public partial class SwishNet
        {
            [Dense(16, CustomActivation = nameof(Swish))] public partial DenseLayer Hidden { get; }
            [Dense(4)] public partial DenseLayer Output { get; }

            [Differentiable]
            public static float Swish(float x) => x / (1f + MathF.Exp(-x));
        }
        """;

    /// <summary>The classic TensorFlow "deep MNIST" network: two conv + max-pool stages, dense 1024, dropout, dense 10.</summary>
    public const string Cnn = """
        using SourceNet;

        namespace Samples;

        [Network(InputShape = new[] { 28, 28, 1 }, Loss = Loss.SoftmaxCrossEntropy)]
        public sealed partial class MnistCnn
        {
            [Conv2D(32, 5, Activation.ReLU, Padding = Padding.Same)] public partial Conv2DLayer Conv1 { get; }
            [MaxPool2D(2)] public partial Pool2DLayer Pool1 { get; }
            [Conv2D(64, 5, Activation.ReLU, Padding = Padding.Same)] public partial Conv2DLayer Conv2 { get; }
            [MaxPool2D(2)] public partial Pool2DLayer Pool2 { get; }
            [Flatten] public partial FlattenLayer Flat { get; }
            [Dense(1024, Activation.ReLU)] public partial DenseLayer Hidden { get; }
            [Dropout(0.5f)] public partial DropoutLayer Drop { get; }
            [Dense(10)] public partial DenseLayer Output { get; }
        }
        """;

    /// <summary>The character language model of samples/CharLm, as the sample declares it.</summary>
    public const string CharLm = """
        using SourceNet;

        namespace Samples;

        [Network(InputTokens = Steps, InputVocabulary = Vocabulary, Loss = Loss.SoftmaxCrossEntropyPerStep)]
        public sealed partial class CharLmNetwork
        {
            public const int Steps = 64;
            public const int Vocabulary = 63;

            [Embedding(Vocabulary, 64)] public partial EmbeddingLayer Embedding { get; }
            [Lstm(256, ReturnSequences = true)] public partial LstmLayer Lstm { get; }
            [Dense(Vocabulary)] public partial DenseLayer Output { get; }
        }
        """;

    /// <summary>The residual network of samples/MnistResNet, as the sample declares it.</summary>
    public const string ResNet = """
        using SourceNet;

        namespace Samples;

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
        """;
}
