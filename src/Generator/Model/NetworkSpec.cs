using SourceNet.Generator.Helpers;

namespace SourceNet.Generator.Model;

/// <summary>
/// Everything the emitter needs to know about one network, as plain values: the incremental pipeline
/// caches on this record's structural equality, so it holds no Roslyn symbol, syntax or location.
/// </summary>
/// <param name="Namespace">The containing namespace, or empty for the global namespace.</param>
/// <param name="ClassName">The class's simple name.</param>
/// <param name="MetadataName">Fully qualified metadata name, used for the hint name.</param>
/// <param name="Input">Number of input features of one sample.</param>
/// <param name="Loss">The training loss.</param>
/// <param name="Layers">Layers in declaration order.</param>
internal sealed record NetworkSpec(
    string Namespace,
    string ClassName,
    string MetadataName,
    int Input,
    LossKind Loss,
    EquatableArray<LayerSpec> Layers)
{
    /// <summary>
    /// The declared shape of one sample (<c>[Network(InputShape = ...)]</c>), or empty when the network
    /// declares only <see cref="Input"/>. Once validated, <see cref="Input"/> holds its element count.
    /// </summary>
    public EquatableArray<int> InputShape { get; init; } = EquatableArray<int>.Empty;

    public int OutputCount => Layers.Count == 0 ? 0 : Layers[Layers.Count - 1].Units;

    public bool IsClassifier => Loss == LossKind.SoftmaxCrossEntropy;

    /// <summary>Inputs of layer <paramref name="index"/>: the network input or the previous layer's units.</summary>
    public int InputsOf(int index) => index == 0 ? Input : Layers[index - 1].Units;

    public long ParameterCount
    {
        get
        {
            long total = 0;
            for (int i = 0; i < Layers.Count; i++)
            {
                total += ((long)InputsOf(i) + 1) * Layers[i].Units;
            }
            return total;
        }
    }
}

/// <summary>One dense layer.</summary>
/// <param name="Name">The property name, which names the layer and its parameters.</param>
/// <param name="Accessibility">The property's accessibility modifiers as written (possibly none), repeated on the implementation.</param>
/// <param name="Units">Number of outputs.</param>
/// <param name="Activation">The built-in activation, or <see cref="ActivationKind.Custom"/>.</param>
/// <param name="CustomActivation">For <see cref="ActivationKind.Custom"/>: the [Differentiable] method's name.</param>
/// <param name="WeightStdDev">Standard deviation of the weights' initial normal distribution.</param>
/// <param name="BiasStdDev">Standard deviation of the biases' initial normal distribution.</param>
internal sealed record LayerSpec(
    string Name,
    string Accessibility,
    int Units,
    ActivationKind Activation,
    string? CustomActivation,
    float WeightStdDev,
    float BiasStdDev)
{
    /// <summary>
    /// Whether the layer flattens a multi-dimensional input into one vector first. Samples are stored
    /// row-major, so flattening moves no data: it only lets a dense layer accept the shape.
    /// </summary>
    public bool Flatten { get; init; }
}

/// <summary>Mirrors <c>SourceNet.Activation</c> (same numeric values), plus custom activations.</summary>
internal enum ActivationKind
{
    None = 0,
    ReLU = 1,
    Sigmoid = 2,
    Tanh = 3,
    Custom = 100,
}

/// <summary>Mirrors <c>SourceNet.Loss</c> (same numeric values).</summary>
internal enum LossKind
{
    SoftmaxCrossEntropy = 0,
    MeanSquaredError = 1,
}
