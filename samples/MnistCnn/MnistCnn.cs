namespace SourceNet.Samples.MnistCnn;

/// <summary>
/// The classic TensorFlow "deep MNIST" network: two 5x5 convolutions (32 and 64 filters, ReLU, same padding),
/// each followed by 2x2 max pooling, then a dense layer of 1024 ReLU units, dropout 0.5 and 10 logits, trained
/// with softmax cross-entropy. Initial weight scales follow He et al. (std = sqrt(2 / fan-in)); biases start at 0
/// (BiasStdDev = 0; the TensorFlow tutorial starts them at 0.1). Everything else is generated at compile time.
/// </summary>
[Network(InputShape = new[] { 28, 28, 1 }, Loss = Loss.SoftmaxCrossEntropy)]
public sealed partial class MnistCnn
{
    /// <summary>32 filters of 5x5x1: W [5, 5, 1, 32], b [32]. std sqrt(2 / 25).</summary>
    [Conv2D(32, 5, Activation.ReLU, Padding = Padding.Same, WeightStdDev = 0.2828f, BiasStdDev = 0f)]
    public partial Conv2DLayer Conv1 { get; }

    /// <summary>28x28 -> 14x14.</summary>
    [MaxPool2D(2)]
    public partial Pool2DLayer Pool1 { get; }

    /// <summary>64 filters of 5x5x32: W [5, 5, 32, 64], b [64]. std sqrt(2 / 800).</summary>
    [Conv2D(64, 5, Activation.ReLU, Padding = Padding.Same, WeightStdDev = 0.05f, BiasStdDev = 0f)]
    public partial Conv2DLayer Conv2 { get; }

    /// <summary>14x14 -> 7x7.</summary>
    [MaxPool2D(2)]
    public partial Pool2DLayer Pool2 { get; }

    /// <summary>(7, 7, 64) -> 3136 features, moving no data.</summary>
    [Flatten]
    public partial FlattenLayer Flat { get; }

    /// <summary>W [3136, 1024], b [1024]. std sqrt(2 / 3136).</summary>
    [Dense(1024, Activation.ReLU, WeightStdDev = 0.02525f, BiasStdDev = 0f)]
    public partial DenseLayer Hidden { get; }

    /// <summary>Drops half the hidden units while training.</summary>
    [Dropout(0.5f)]
    public partial DropoutLayer Drop { get; }

    /// <summary>W [1024, 10], b [10]. std sqrt(1 / 1024).</summary>
    [Dense(10, WeightStdDev = 0.03125f, BiasStdDev = 0f)]
    public partial DenseLayer Output { get; }
}
