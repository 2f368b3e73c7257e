using SourceNet.Generator.Helpers;
using SourceNet.Generator.Layers;

namespace SourceNet.Generator.Model;

/// <summary>
/// One layer as plain values. Each kind (see <see cref="LayerKind"/>) derives a sealed record with its own
/// arguments; everything the pipeline does with a layer goes through <see cref="Kind"/>.
/// </summary>
/// <param name="Name">The property name, which names the layer, its fields and its parameters.</param>
/// <param name="Accessibility">The property's accessibility modifiers as written (possibly none), repeated on the implementation.</param>
internal abstract record LayerSpec(string Name, string Accessibility)
{
    /// <summary>The kind that reads, checks and emits this layer.</summary>
    public abstract LayerKind Kind { get; }

    /// <summary>The activation applied to the output, or null for kinds that have none.</summary>
    public virtual ActivationSpec? Activation => null;

    /// <summary>
    /// Whether the layer stands for a property of the class. A step the generator inserts (the flatten of
    /// <c>Flatten = true</c>) has no property, so nothing is implemented or named after it in the class.
    /// </summary>
    public bool HasProperty { get; init; } = true;

    /// <summary>
    /// The argument of the declaring attribute that this layer's problems point at when they name none; set on
    /// inserted steps (the flatten of <c>Flatten = true</c> points at that argument).
    /// </summary>
    public string? SourceArgument { get; init; }

    /// <summary>
    /// The layers this one reads, by name, as written (<c>From = nameof(Stem)</c>, or a merge's inputs); empty: the
    /// layer declared just before (the network's input for the first). <c>input</c> names the network's input.
    /// </summary>
    public EquatableArray<string> Sources { get; init; } = EquatableArray<string>.Empty;

    /// <summary>The <c>Name</c> argument as written (the layer's <c>state_dict</c> name), null when not set.</summary>
    public string? DeclaredStateDictName { get; init; }

    /// <summary>
    /// The prefix of the layer's tensors in PyTorch's <c>state_dict</c> (<c>hidden</c> in <c>hidden.weight</c>): the
    /// <c>Name</c> argument, or the property name with its first letter lower-cased.
    /// </summary>
    public string StateDictPrefix => DeclaredStateDictName ?? Emit.Names.Camel(Name);

    /// <summary>The indices of the layers this one reads, -1 for the network's input; set by the validator.</summary>
    public EquatableArray<int> InputIndices { get; init; } = EquatableArray<int>.Empty;

    /// <summary>The shapes entering the layer, one per input; set by shape inference.</summary>
    public EquatableArray<Shape> InputShapes { get; init; } = EquatableArray<Shape>.Empty;

    /// <summary>The (first) shape entering the layer; set by shape inference, null before it.</summary>
    public Shape? Input { get; init; }

    /// <summary>The shape leaving the layer; set by shape inference, null before it.</summary>
    public Shape? Output { get; init; }

    /// <summary>Input and output, once inferred (the emitter only sees inferred layers).</summary>
    public Shape In => Input!;

    public Shape Out => Output!;
}
