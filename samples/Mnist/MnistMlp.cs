using SourceNet.Training;

namespace SourceNet.Samples.Mnist;

/// <summary>
/// The TensorFlow 2 tutorial's network: 784 pixels -> 300 ReLU units -> 10 logits, trained with softmax
/// cross-entropy. Everything else — forward and backward passes, training step, inference — is generated
/// at compile time from these few lines. Declaring <see cref="IClassifier"/> lets <see cref="Trainer"/> train it:
/// the generated <c>TrainStep</c> and <c>Evaluate</c> implement it.
/// </summary>
[Network(Input = 784, Loss = Loss.SoftmaxCrossEntropy)]
public sealed partial class MnistMlp
{
    /// <summary>The hidden layer: W1 [784, 300], b1 [300], ReLU.</summary>
    [Dense(300, Activation.ReLU)]
    public partial DenseLayer Hidden { get; }

    /// <summary>The logit layer: W2 [300, 10], b2 [10].</summary>
    [Dense(10)]
    public partial DenseLayer Output { get; }
}
