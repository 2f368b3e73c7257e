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
}
