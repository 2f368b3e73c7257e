namespace SourceNet.Interop.Tests.Networks;

/// <summary>The tutorial's network, compiled by the real generator: what a user saves, loads and exports.</summary>
[Network(Input = 784, Loss = Loss.SoftmaxCrossEntropy)]
public sealed partial class MnistMlp
{
    [Dense(300, Activation.ReLU)] public partial DenseLayer Hidden { get; }
    [Dense(10)] public partial DenseLayer Output { get; }
}
