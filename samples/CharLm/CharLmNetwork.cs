namespace SourceNet.Samples.CharLm;

/// <summary>
/// A character-level language model: 64 character ids, each embedded as 64 floats, an LSTM of 256 units over the
/// whole window, and at every step a dense layer giving the logits of the next character. Trained with softmax
/// cross-entropy at every step (the mean over the batch's windows and steps).
/// </summary>
[Network(InputTokens = Steps, InputVocabulary = Vocabulary, Loss = Loss.SoftmaxCrossEntropyPerStep)]
public sealed partial class CharLmNetwork
{
    /// <summary>Characters per window: the model reads 64 and predicts the 64 after each one's first.</summary>
    public const int Steps = 64;

    /// <summary>The distinct characters of the King James Bible once the verse references are removed.</summary>
    public const int Vocabulary = 63;

    // (64) int -> (64, 64): each character's vector, PyTorch's N(0, 1) start.
    [Embedding(Vocabulary, 64)] public partial EmbeddingLayer Embedding { get; }

    // (64, 64) -> (64, 256): the hidden state after every step, from a zero state.
    [Lstm(256, ReturnSequences = true)] public partial LstmLayer Lstm { get; }

    // (64, 256) -> (64, 63): the next character's logits at every step (one weight for all steps).
    [Dense(Vocabulary)] public partial DenseLayer Output { get; }
}
