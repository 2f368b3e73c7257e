namespace SourceNet.Integration.Tests.Graphs;

// The networks of interop/pytorch_batchnorm_fixtures.py: batch normalisation on the input, so its running statistics
// depend on the fixture's batches alone, then a loss (global average pooling for images, a dense layer of 2 logits).

/// <summary>PyTorch's <c>nn.BatchNorm2d(5)</c> with its defaults (momentum 0.1, eps 1e-5), on 3x4 images of 5 channels.</summary>
[Network(InputShape = new[] { 3, 4, 5 })]
public sealed partial class ImageNormFixtureNet
{
    [BatchNorm] public partial BatchNormLayer Norm { get; }
    [GlobalAvgPool2D] public partial GlobalAvgPool2DLayer Pool { get; }
    [Dense(2)] public partial DenseLayer Logits { get; }
}

/// <summary><c>nn.BatchNorm2d(5, momentum=0.25, eps=1e-3)</c>: a momentum and an epsilon other than the defaults.</summary>
[Network(InputShape = new[] { 3, 4, 5 })]
public sealed partial class ImageMomentumNormFixtureNet
{
    [BatchNorm(Momentum = 0.25f, Epsilon = 1e-3f)] public partial BatchNormLayer Norm { get; }
    [GlobalAvgPool2D] public partial GlobalAvgPool2DLayer Pool { get; }
    [Dense(2)] public partial DenseLayer Logits { get; }
}

/// <summary><c>nn.BatchNorm1d(6, momentum=0.3)</c> on vectors of 6 features.</summary>
[Network(Input = 6)]
public sealed partial class VectorNormFixtureNet
{
    [BatchNorm(Momentum = 0.3f)] public partial BatchNormLayer Norm { get; }
    [Dense(2)] public partial DenseLayer Logits { get; }
}
