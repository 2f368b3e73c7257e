namespace SourceNet.Interop.Tests.Networks;

/// <summary>A small language model: 7 token ids of 13, an embedding of 6, a tanh layer of 8 and 5 logits at every step.</summary>
[Network(InputTokens = 7, Loss = Loss.SoftmaxCrossEntropyPerStep)]
public sealed partial class TokenLm
{
    [Embedding(13, 6)] public partial EmbeddingLayer Embed { get; }
    [Dense(8, Activation.Tanh, WeightStdDev = 0.3f)] public partial DenseLayer Hidden { get; }
    [Dense(5, WeightStdDev = 0.3f)] public partial DenseLayer Logits { get; }
}
