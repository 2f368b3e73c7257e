using System.Collections.Generic;
using SourceNet.Generator.Emit;
using SourceNet.Generator.Helpers;
using SourceNet.Generator.Model;
using SourceNet.Generator.Parsing;
using SourceNet.Generator.Shapes;

namespace SourceNet.Generator.Layers;

/// <summary>
/// Everything the generator knows about one kind of layer, in one place: reading its attribute, inferring its
/// output shape (with its own diagnostics), declaring its parameters (shape, initialisation, PyTorch name),
/// and emitting its forward and backward code and its summary row. The parser, validator and emitter loop
/// over layers and call these members; none of them names a kind. Adding a kind is a file deriving from
/// this class, its attribute, its runtime kernels and layer type, a line in <see cref="LayerKinds"/>, tests and a docs page.
/// </summary>
/// <remarks>
/// Backward contract, as in the runtime: on entry <see cref="LayerContext.OutputGradient"/> holds dLoss/dOutput
/// with the activation's derivative already applied (dLoss/dPreactivation); the kind assigns its parameters'
/// gradients, assigns dLoss/dInput of each input k to <see cref="LayerContext.InputGradientOf"/>(k) when a layer
/// below needs it, and only then lets the optimizer update its parameters. A kind always assigns: where a value
/// feeds several layers, the emitter hands all but the first a scratch buffer and adds it in afterwards, so the
/// value's gradient is the sum over its readers without any kind knowing it has neighbours.
/// </remarks>
internal abstract class LayerKind
{
    /// <summary>The kind's name as users see it in summaries and messages (<c>Dense</c>).</summary>
    public abstract string Name { get; }

    /// <summary>Metadata name of the attribute that declares a layer of this kind.</summary>
    public abstract string AttributeName { get; }

    /// <summary>Metadata name of the runtime type of the layer property (<c>SourceNet.DenseLayer</c>).</summary>
    public abstract string RuntimeType { get; }

    /// <summary>Reads the attribute into a spec; null when a problem was reported or an argument is not readable yet.</summary>
    public abstract LayerSpec? Read(LayerReader reader);

    /// <summary>The layers this one stands for: itself, or the steps a shorthand means (<c>Flatten = true</c>).</summary>
    public virtual IEnumerable<LayerSpec> Expand(LayerSpec layer)
    {
        yield return layer;
    }

    /// <summary>Checks the arguments that need no input shape (sizes, rates, scales).</summary>
    public virtual void CheckArguments(LayerSpec layer, ProblemSink problems)
    {
    }

    /// <summary>The output shape for <paramref name="input"/>, or null when the input does not fit (reported).</summary>
    public abstract Shape? InferOutput(LayerSpec layer, Shape input, ProblemSink problems);

    /// <summary>Whether the layer combines two or more inputs (a merge); other kinds take exactly one.</summary>
    public virtual bool IsMerge => false;

    /// <summary>The attribute argument that names the layer's inputs: <c>From</c>, or a merge's <c>inputs</c>.</summary>
    public virtual string SourcesArgument => "From";

    /// <summary>The names of the layers the attribute says this one reads; empty: the layer before.</summary>
    public virtual EquatableArray<string> ReadSources(AttributeArguments arguments)
    {
        string? from = arguments.String("From");
        return from is null ? EquatableArray<string>.Empty : new[] { from }.ToEquatableArray();
    }

    /// <summary>The output shape for a merge's <paramref name="inputs"/>; single-input kinds use <see cref="InferOutput(LayerSpec, Shape, ProblemSink)"/>.</summary>
    public virtual Shape? InferOutput(LayerSpec layer, IReadOnlyList<Shape> inputs, ProblemSink problems) =>
        InferOutput(layer, inputs[0], problems);

    /// <summary>Whether the output is the input's values, unchanged outside training (dropout, flatten): the loss
    /// check looks through such layers to the one that made the values.</summary>
    public virtual bool PassesValuesThrough => false;

    /// <summary>Whether the kind reads integer token ids (an embedding); every other kind computes on floats.</summary>
    public virtual bool AcceptsTokens => false;

    /// <summary>For a kind that reads token ids: how many distinct ids it accepts (an embedding's vocabulary); null otherwise.
    /// The generated methods reject an input id outside it, and a declared <c>InputVocabulary</c> must fit in it.</summary>
    public virtual int? TokenRange(LayerSpec layer) => null;

    /// <summary>The attribute argument that sets <see cref="TokenRange"/>, where a vocabulary problem points.</summary>
    public virtual string? TokenRangeArgument => null;

    /// <summary>Non-trainable per-layer state that a checkpoint keeps (BatchNorm's running statistics), in values.</summary>
    public virtual long BufferCount(LayerSpec layer) => 0;

    /// <summary>The argument that sets the output's size (<c>units</c>), where a loss's size problem points; null: the attribute.</summary>
    public virtual string? OutputSizeArgument => null;

    /// <summary>The trainable tensors, for a layer whose shapes are inferred.</summary>
    public virtual IReadOnlyList<ParameterSpec> Parameters(LayerSpec layer) => System.Array.Empty<ParameterSpec>();

    public long ParameterCount(LayerSpec layer)
    {
        long count = 0;
        foreach (ParameterSpec parameter in Parameters(layer))
        {
            count += parameter.Length;
        }
        return count;
    }

    /// <summary>About how many multiply-adds one sample's forward pass through the layer costs: only to decide whether
    /// batch inference is worth splitting over threads. The default counts one per parameter (a dense layer) and one
    /// per output value (layers without parameters).</summary>
    public virtual long MultiplyAdds(LayerSpec layer) => System.Math.Max(ParameterCount(layer), layer.Out.Elements);

    /// <summary>Values per sample of the largest buffer the layer allocates for the batch (its output by default): the
    /// constructor checks that the largest batch of it fits in an array.</summary>
    public virtual long LargestBufferPerSample(LayerSpec layer) => layer.Out.Elements;

    /// <summary>Whether the output is the input's own buffer (a reshape that moves no data).</summary>
    public virtual bool AliasesInput => false;

    /// <summary>Whether the forward pass differs between training and inference (dropout).</summary>
    public virtual bool HasTrainingMode => false;

    /// <summary>
    /// Whether a training step's result for one sample depends on the other samples of the batch beyond the sum of
    /// their gradients (batch normalisation's batch statistics). A network with such a kind trains on its whole batch
    /// at once; every other network may run its batch as fixed sample chunks, each on buffers of its own
    /// (<c>SourceNet.Kernels.TrainingChunks</c>), which a kind needs to know nothing about: its forward and backward
    /// code then simply see a smaller <c>batch</c>, and its parameters' gradients are added up across chunks.
    /// </summary>
    public virtual bool CouplesSamples => false;

    /// <summary>Suffixes of the fields the kind adds beyond the shared ones (<c>Argmax</c> makes <c>_poolArgmax</c>).</summary>
    public virtual IEnumerable<string> FieldSuffixes => System.Array.Empty<string>();

    /// <summary>Suffixes of the constants the kind declares (<c>Units</c> makes <c>HiddenUnits</c>).</summary>
    public virtual IEnumerable<string> ConstantSuffixes => System.Array.Empty<string>();

    /// <summary>The runtime layer object, as a C# expression (constructed zero-filled; the emitter initialises parameters).</summary>
    public abstract string Construction(LayerContext context);

    /// <summary>Members the runtime layer object's initializer sets beyond the shared ones (<c>Activation = ...</c>).</summary>
    public virtual IEnumerable<string> RuntimeInitializers(LayerContext context) => System.Array.Empty<string>();

    /// <summary>Constants and the declarations of the kind's own fields.</summary>
    public virtual void WriteDeclarations(LayerContext context)
    {
    }

    /// <summary>Allocations of the kind's own fields, in the constructor (after the parameters).</summary>
    public virtual void WriteAllocations(LayerContext context)
    {
    }

    /// <summary>The allocations of a replica (a network sharing <c>source</c>'s layers, running forward passes only
    /// for batch inference on another thread); by default those of <see cref="WriteAllocations"/>.</summary>
    public virtual void WriteReplicaAllocations(LayerContext context) => WriteAllocations(context);

    /// <summary>The number of values in one sample's output, as an expression over the kind's constants.</summary>
    public virtual string OutputElements(LayerContext context) => context.Layer.Out.Elements.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public abstract void WriteForward(LayerContext context);

    public abstract void WriteBackward(LayerContext context);

    /// <summary>The row text of summaries and graphs: <c>Dense, ReLU</c>, <c>Conv2D 5x5 same, ReLU</c>.</summary>
    public abstract string Describe(LayerSpec layer);
}
