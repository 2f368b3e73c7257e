namespace SourceNet.Integration.Tests.Sequences;

// Token networks at odd sizes, so no dimension hides a transposed index: 3 steps, 7 ids, 5 floats per id.

/// <summary>Embedding, then a dense layer per step, trained per step: the smallest language model.</summary>
[Network(InputTokens = 3, Loss = Loss.SoftmaxCrossEntropyPerStep)]
public sealed partial class TinyTokenLm
{
    [Embedding(7, 5)] public partial EmbeddingLayer Embed { get; }
    [Dense(6)] public partial DenseLayer Logits { get; }
}

/// <summary>A hidden per-step layer between the embedding and the logits: the dense layer's input gradient on a sequence.</summary>
[Network(InputTokens = 3, Loss = Loss.SoftmaxCrossEntropyPerStep)]
public sealed partial class HiddenTokenLm
{
    [Embedding(7, 5)] public partial EmbeddingLayer Embed { get; }
    [Dense(9, Activation.Tanh, WeightStdDev = 0.4f, BiasStdDev = 0.2f)] public partial DenseLayer Hidden { get; }
    [Dense(6, WeightStdDev = 0.4f, BiasStdDev = 0.2f)] public partial DenseLayer Logits { get; }
}

/// <summary>One label per sample from token input: the sequence flattened before the classifier.</summary>
[Network(InputTokens = 3, InputVocabulary = 6)]
public sealed partial class TokenClassifier
{
    [Embedding(7, 5)] public partial EmbeddingLayer Embed { get; }
    [Dense(4, Flatten = true, WeightStdDev = 0.3f)] public partial DenseLayer Logits { get; }
}

/// <summary>Large enough that a training step's products split over two kernel threads.</summary>
[Network(InputTokens = 16, Loss = Loss.SoftmaxCrossEntropyPerStep)]
public sealed partial class WideTokenLm
{
    [Embedding(29, 24)] public partial EmbeddingLayer Embed { get; }
    [Dense(64, Activation.Tanh, WeightStdDev = 0.1f)] public partial DenseLayer Hidden { get; }
    [Dense(29, WeightStdDev = 0.1f)] public partial DenseLayer Logits { get; }
}

/// <summary>The model of interop/pytorch_embedding_fixtures.py: nn.Embedding(11, 5), then nn.Linear(5, 7) at every step.</summary>
[Network(InputTokens = 6, Loss = Loss.SoftmaxCrossEntropyPerStep)]
public sealed partial class EmbeddingFixtureLm
{
    [Embedding(11, 5)] public partial EmbeddingLayer Embed { get; }
    [Dense(7)] public partial DenseLayer Logits { get; }
}

/// <summary>The character model's shape at odd sizes: an embedding, an LSTM over every step, logits per step.</summary>
[Network(InputTokens = 3, Loss = Loss.SoftmaxCrossEntropyPerStep)]
public sealed partial class LstmTokenLm
{
    [Embedding(7, 5)] public partial EmbeddingLayer Embed { get; }
    [Lstm(4, ReturnSequences = true)] public partial LstmLayer Recurrent { get; }
    [Dense(6, WeightStdDev = 0.5f, BiasStdDev = 0.2f)] public partial DenseLayer Logits { get; }
}
