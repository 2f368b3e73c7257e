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

    /// <summary>The shape entering the layer; set by shape inference, null before it.</summary>
    public Shape? Input { get; init; }

    /// <summary>The shape leaving the layer; set by shape inference, null before it.</summary>
    public Shape? Output { get; init; }

    /// <summary>Input and output, once inferred (the emitter only sees inferred layers).</summary>
    public Shape In => Input!;

    public Shape Out => Output!;
}
