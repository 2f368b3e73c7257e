using SourceNet.Generator.Helpers;

namespace SourceNet.Generator.Model;

/// <summary>
/// Everything the emitter needs to know about one network, as plain values: the incremental pipeline
/// caches on this record's structural equality, so it holds no Roslyn symbol, syntax or location (source
/// locations stay in the parser, beside the layers they belong to).
/// </summary>
/// <param name="Namespace">The containing namespace, or empty for the global namespace.</param>
/// <param name="ClassName">The class's simple name.</param>
/// <param name="MetadataName">Fully qualified metadata name, used for the hint name.</param>
/// <param name="DeclaredInput">[Network(Input = N)] as written, 0 when not set.</param>
/// <param name="DeclaredInputShape">[Network(InputShape = ...)] as written, empty when not set.</param>
/// <param name="DeclaredInputSequence">[Network(InputSequence = ...)] as written, empty when not set.</param>
/// <param name="DeclaredInputTokens">[Network(InputTokens = T)] as written, 0 when not set.</param>
/// <param name="Loss">The training loss.</param>
/// <param name="Layers">Layers in order, flatten steps included; inferred shapes once validated.</param>
internal sealed record NetworkSpec(
    string Namespace,
    string ClassName,
    string MetadataName,
    int DeclaredInput,
    EquatableArray<int> DeclaredInputShape,
    EquatableArray<int> DeclaredInputSequence,
    int DeclaredInputTokens,
    LossKind Loss,
    EquatableArray<LayerSpec> Layers)
{
    /// <summary>The shape of one input sample; set by shape inference, null before it or when invalid.</summary>
    public Shape? Input { get; init; }

    /// <summary>[Network(InputVocabulary = V)] as written, 0 when not set: the distinct token ids of the input.</summary>
    public int DeclaredVocabulary { get; init; }

    /// <summary>Whether the loss is a softmax cross-entropy against integer labels (one per sample, or one per step).</summary>
    public bool IsClassifier => Loss is LossKind.SoftmaxCrossEntropy or LossKind.SoftmaxCrossEntropyPerStep;

    /// <summary>Whether each sample has one label per time step (a language model) rather than one.</summary>
    public bool IsPerStep => Loss == LossKind.SoftmaxCrossEntropyPerStep;

    /// <summary>Whether the input is integer token ids (the generated methods take <c>ReadOnlySpan&lt;int&gt;</c>).</summary>
    public bool HasTokenInput => Input is { IsIntegral: true };

    /// <summary>Labels of one sample: the output's steps for a per-step loss, else 1.</summary>
    public long LabelsPerSample => IsPerStep ? Last.Out.Steps : 1;

    /// <summary>Classes each label chooses among: the output's last axis.</summary>
    public long Classes => IsPerStep ? Last.Out.Channels : Last.Out.Elements;

    /// <summary>The output layer: the last declared, which every other layer must reach.</summary>
    public LayerSpec Last => Layers[Layers.Count - 1];

    /// <summary>Values in one input sample.</summary>
    public long InputCount => Input!.Elements;

    /// <summary>Values in one output sample.</summary>
    public long OutputCount => Last.Out.Elements;

    /// <summary>Trainable values of the whole network.</summary>
    public long ParameterCount
    {
        get
        {
            long total = 0;
            foreach (LayerSpec layer in Layers)
            {
                total += layer.Kind.ParameterCount(layer);
            }
            return total;
        }
    }
}

/// <summary>Mirrors <c>SourceNet.Loss</c> (same numeric values).</summary>
internal enum LossKind
{
    SoftmaxCrossEntropy = 0,
    MeanSquaredError = 1,
    SoftmaxCrossEntropyPerStep = 2,
}
