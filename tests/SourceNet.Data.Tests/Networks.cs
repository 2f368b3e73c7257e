using SourceNet.Training;

namespace SourceNet.Data.Tests;

/// <summary>Two features, two classes: what the CSV tests and the early-stopping tests train.</summary>
[Network(Input = 2, Loss = Loss.SoftmaxCrossEntropy)]
public sealed partial class PointNet : IClassifier
{
    [Dense(8, Activation.Tanh)] public partial DenseLayer Hidden { get; }
    [Dense(2)] public partial DenseLayer Output { get; }
}

/// <summary>4 x 4 RGB images, three classes: what the image-folder test trains.</summary>
[Network(InputShape = new[] { 4, 4, 3 }, Loss = Loss.SoftmaxCrossEntropy)]
public sealed partial class TinyImageNet : IClassifier
{
    [Flatten] public partial FlattenLayer Flat { get; }
    [Dense(3)] public partial DenseLayer Output { get; }
}

/// <summary>Two features, two float targets (mean squared error): what the regression CSV test trains.</summary>
[Network(Input = 2, Loss = Loss.MeanSquaredError)]
public sealed partial class LineNet
{
    [Dense(2)] public partial DenseLayer Output { get; }
}

/// <summary>The tutorial's 784-300-10 network: a batch of 100 images is 313,600 bytes, past the large-object heap's 85,000.</summary>
[Network(Input = 784, Loss = Loss.SoftmaxCrossEntropy)]
public sealed partial class MnistShapedNet : IClassifier
{
    [Dense(300, Activation.ReLU)] public partial DenseLayer Hidden { get; }
    [Dense(10)] public partial DenseLayer Output { get; }
}
