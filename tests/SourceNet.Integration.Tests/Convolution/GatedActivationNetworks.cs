namespace SourceNet.Integration.Tests.Convolution;

// Networks whose activations' derivatives need the pre-activations (GELU, SiLU), at odd sizes, compiled by the
// real generator: each layer keeps z and applies f after the product.

/// <summary>Two GELU layers: the second one's input gradient runs through the first one's kept pre-activations.</summary>
[Network(InputShape = new[] { 7 })]
public sealed partial class GeluMlp
{
    [Dense(6, Activation.GELU, WeightStdDev = 0.8f, BiasStdDev = 0.3f)] public partial DenseLayer First { get; }
    [Dense(5, Activation.GELU, WeightStdDev = 0.8f, BiasStdDev = 0.3f)] public partial DenseLayer Second { get; }
    [Dense(3, WeightStdDev = 0.5f)] public partial DenseLayer Logits { get; }
}

/// <summary>SiLU on a convolution (two channels, a 3x2 kernel, Same padding) and on a dense layer after flattening.</summary>
[Network(InputShape = new[] { 6, 5, 2 })]
public sealed partial class SiluCnn
{
    [Conv2D(3, 3, 2, Activation.SiLU, Padding = Padding.Same, WeightStdDev = 0.6f, BiasStdDev = 0.2f)] public partial Conv2DLayer Conv { get; }
    [Dense(4, Activation.SiLU, Flatten = true, WeightStdDev = 0.4f, BiasStdDev = 0.2f)] public partial DenseLayer Hidden { get; }
    [Dense(3, WeightStdDev = 0.5f)] public partial DenseLayer Logits { get; }
}
