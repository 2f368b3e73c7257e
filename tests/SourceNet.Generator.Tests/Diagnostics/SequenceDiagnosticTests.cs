using SourceNet.Generator.Tests.Harness;
using static SourceNet.Generator.Tests.Diagnostics.DiagnosticVerifier;

namespace SourceNet.Generator.Tests.Diagnostics;

/// <summary>
/// The diagnostics of token input, embeddings and per-step losses: each at the argument at fault, with its full
/// message, and no other diagnostic.
/// </summary>
public class SequenceDiagnosticTests
{
    [Fact]
    public void A_character_language_model_compiles_cleanly() => Verify(
        """
        using SourceNet;
        [Network(InputTokens = 64, InputVocabulary = 65, Loss = Loss.SoftmaxCrossEntropyPerStep)]
        public partial class Net
        {
            [Embedding(65, 16)] public partial EmbeddingLayer Embed { get; }
            [Dense(32, Activation.Tanh)] public partial DenseLayer Hidden { get; }
            [Dense(65)] public partial DenseLayer Logits { get; }
        }
        """);

    [Fact]
    public void SN0050_a_vocabulary_of_zero() => Verify(
        """
        using SourceNet;
        [Network(InputTokens = 8, Loss = Loss.SoftmaxCrossEntropyPerStep)]
        public partial class Net
        {
            [Embedding({|SN0050:0|}, 4)] public partial EmbeddingLayer Embed { get; }
            [Dense(3)] public partial DenseLayer Logits { get; }
        }
        """,
        "SN0050: Layer 'Embed' has vocabulary = 0; an embedding holds at least one token id and one value per vector");

    [Fact]
    public void SN0050_a_dimension_below_one() => Verify(
        """
        using SourceNet;
        [Network(InputTokens = 8, Loss = Loss.SoftmaxCrossEntropyPerStep)]
        public partial class Net
        {
            [Embedding(10, {|SN0050:-2|})] public partial EmbeddingLayer Embed { get; }
            [Dense(3)] public partial DenseLayer Logits { get; }
        }
        """,
        "SN0050: Layer 'Embed' has dimension = -2; an embedding holds at least one token id and one value per vector");

    [Fact]
    public void SN0051_a_vocabulary_smaller_than_the_declared_ids() => Verify(
        """
        using SourceNet;
        [Network(InputTokens = 8, InputVocabulary = 65, Loss = Loss.SoftmaxCrossEntropyPerStep)]
        public partial class Net
        {
            [Embedding({|SN0051:60|}, 4)] public partial EmbeddingLayer Embed { get; }
            [Dense(3)] public partial DenseLayer Logits { get; }
        }
        """,
        "SN0051: Layer 'Embed' has a vocabulary of 60 ids, but network 'Net' declares InputVocabulary = 65: ids 60 to 64 would index past its table; make the vocabulary at least 65");

    [Fact]
    public void SN0052_a_dense_classifier_on_a_sequence_with_one_label_per_sample() => Verify(
        """
        using SourceNet;
        [Network(InputTokens = 8)]
        public partial class Net
        {
            [Embedding(10, 4)] public partial EmbeddingLayer Embed { get; }
            [{|SN0052:Dense(3)|}] public partial DenseLayer Logits { get; }
        }
        """,
        "SN0052: Network 'Net' trains with SoftmaxCrossEntropy, which takes one label per sample, but its output 'Logits' is a sequence (8, 3), logits for every step; train with Loss.SoftmaxCrossEntropyPerStep (8 labels per sample, one per step), or end the network with a layer that gives one vector per sample");

    [Fact]
    public void SN0052_a_per_step_loss_on_a_vector() => Verify(
        """
        using SourceNet;
        [Network(InputTokens = 8, Loss = Loss.SoftmaxCrossEntropyPerStep)]
        public partial class Net
        {
            [Embedding(10, 4)] public partial EmbeddingLayer Embed { get; }
            [{|SN0052:Dense(3, Flatten = true)|}] public partial DenseLayer Logits { get; }
        }
        """,
        "SN0052: Network 'Net' trains with SoftmaxCrossEntropyPerStep, which takes one label per time step, but its output 'Logits' is a vector (3); the last layer must give a sequence of logits (T, classes): a dense layer on a sequence; or train with Loss.SoftmaxCrossEntropy, one label per sample");

    [Fact]
    public void SN0053_an_embedding_fed_floats() => Verify(
        """
        using SourceNet;
        [Network(InputTokens = 8, Loss = Loss.SoftmaxCrossEntropyPerStep)]
        public partial class Net
        {
            [Embedding(10, 4)] public partial EmbeddingLayer Embed { get; }
            [{|SN0053:Embedding|}(10, 4)] public partial EmbeddingLayer Again { get; }
            [Dense(3)] public partial DenseLayer Logits { get; }
        }
        """,
        "SN0053: Layer 'Again' (Embedding) looks up token ids, but its input is a sequence (8, 4); it reads the network's token input: declare [Network(InputTokens = steps)] and make the embedding the first layer");

    [Fact]
    public void SN0053_an_embedding_on_a_float_vector() => Verify(
        """
        using SourceNet;
        [Network(Input = 8)]
        public partial class Net
        {
            [{|SN0053:Embedding|}(10, 4)] public partial EmbeddingLayer Embed { get; }
            [Dense(3, Flatten = true)] public partial DenseLayer Logits { get; }
        }
        """,
        "SN0053: Layer 'Embed' (Embedding) looks up token ids, but its input is a vector (8); it reads the network's token input: declare [Network(InputTokens = steps)] and make the embedding the first layer");
}
