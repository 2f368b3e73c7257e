namespace SourceNet.Integration.Tests.Network;

// Small networks compiled by the real generator (this project references it as an analyzer), sized so
// that every parameter can be checked by finite differences in a fraction of a second.

[Network(Input = 5, Loss = Loss.SoftmaxCrossEntropy)]
public sealed partial class TinyClassifier
{
    [Dense(7, Activation.ReLU, BiasStdDev = 0.5f, WeightStdDev = 0.6f)] public partial DenseLayer Hidden { get; }
    [Dense(6, Activation.Sigmoid, WeightStdDev = 0.6f)] public partial DenseLayer Squash { get; }
    [Dense(4, WeightStdDev = 0.6f)] public partial DenseLayer Logits { get; }
}

/// <summary>LeakyReLU, added as one enum member and one kernel: the network generator needed no change.</summary>
[Network(Input = 5, Loss = Loss.SoftmaxCrossEntropy)]
public sealed partial class LeakyClassifier
{
    [Dense(6, Activation.LeakyReLU, WeightStdDev = 0.6f, BiasStdDev = 0.3f)] public partial DenseLayer Hidden { get; }
    [Dense(3, WeightStdDev = 0.6f)] public partial DenseLayer Logits { get; }
}

[Network(Input = 4, Loss = Loss.MeanSquaredError)]
public sealed partial class TinyRegressor
{
    [Dense(5, Activation.Tanh, WeightStdDev = 0.7f)] public partial DenseLayer Hidden { get; }
    [Dense(3, Activation.Sigmoid, WeightStdDev = 0.7f)] public partial DenseLayer Output { get; }
}

/// <summary>The tutorial's network, as the sample declares it.</summary>
[Network(Input = 784, Loss = Loss.SoftmaxCrossEntropy)]
public sealed partial class MnistNetwork
{
    [Dense(300, Activation.ReLU)] public partial DenseLayer Hidden { get; }
    [Dense(10)] public partial DenseLayer Output { get; }
}

/// <summary>A user-written activation: the generated backward pass uses its generated derivative.</summary>
[Network(Input = 5, Loss = Loss.SoftmaxCrossEntropy)]
public sealed partial class SwishClassifier
{
    [Dense(6, CustomActivation = nameof(Swish), WeightStdDev = 0.6f, BiasStdDev = 0.3f)] public partial DenseLayer Hidden { get; }
    [Dense(3, WeightStdDev = 0.6f)] public partial DenseLayer Logits { get; }

    /// <summary>Swish: x·σ(x).</summary>
    [Differentiable]
    public static float Swish(float x)
    {
        return x / (1f + MathF.Exp(-x));
    }
}
