using SourceNet.Generator.Helpers;
using SourceNet.Generator.Model;

namespace SourceNet.Generator.Emit;

/// <summary>
/// What a layer kind emits against: the writer, the layer, and the names of the buffers around it. The
/// emitter plans the buffers (<see cref="ValuePlan"/>) and resolves them here, so a kind never knows its
/// neighbours: it reads <see cref="InputOf"/>(k), writes <see cref="Output"/>, and in the backward pass turns
/// <see cref="OutputGradient"/> into <see cref="InputGradientOf"/>(k).
/// </summary>
internal sealed class LayerContext
{
    private readonly bool _forwardPass;

    public LayerContext(SourceWriter writer, NetworkSpec network, ValuePlan plan, int index, bool forwardPass)
    {
        W = writer;
        Network = network;
        Plan = plan;
        Index = index;
        _forwardPass = forwardPass;
    }

    public SourceWriter W { get; }

    public NetworkSpec Network { get; }

    public ValuePlan Plan { get; }

    public int Index { get; }

    public LayerSpec Layer => Network.Layers[Index];

    public bool IsLast => Index == Network.Layers.Count - 1;

    /// <summary>In the backward pass, the name of RunBackward's flag that, when true, leaves this layer's weight gradient
    /// to the caller (a sample chunk of a split training step: see NetworkEmitter.SampleChunks.cs); null when the
    /// layer always computes it.</summary>
    public string? WeightGradientDeferredBy { get; init; }

    /// <summary>The number of inputs (two or more for a merge).</summary>
    public int InputCount => Layer.InputIndices.Count;

    /// <summary>The field holding the runtime layer object (<c>_hidden</c>).</summary>
    public string Field => Names.Field(Layer.Name);

    /// <summary>A field of this layer's own (<c>_hiddenPreActivations</c>).</summary>
    public string Member(string suffix) => Field + suffix;

    /// <summary>A constant of this layer's own (<c>HiddenUnits</c>).</summary>
    public string Constant(string suffix) => Layer.Name + suffix;

    /// <summary>The (first) input's activations: the network's <c>inputs</c> when it reads them.</summary>
    public string Input => InputOf(0);

    /// <summary>The activations of input <paramref name="k"/>.</summary>
    public string InputOf(int k) => Plan.Activations(Layer.InputIndices[k]);

    /// <summary>Where the output goes: the caller's <c>output</c> span for the last layer of the forward pass.</summary>
    public string Output => _forwardPass && IsLast ? "output" : Plan.Activations(Index);

    /// <summary>dLoss/dOutput of this layer (with its activation's derivative applied, once the kind runs).</summary>
    public string OutputGradient => Plan.Gradient(Index);

    /// <summary>Where dLoss/dInput of the (first) input goes; null when no layer below has parameters, so nobody needs it.</summary>
    public string? InputGradient => InputGradientOf(0);

    /// <summary>Where dLoss/dInput of input <paramref name="k"/> goes (assigned); null when nobody needs it.</summary>
    public string? InputGradientOf(int k) => Plan.InputGradient(Index, k)?.Target;

    /// <summary>Where the fused product writes: pre-activations when the activation runs after it (see <see cref="ActivationEmitter"/>), else the output.</summary>
    public string ProductTarget => ActivationEmitter.NeedsPreActivations(this) ? Member(ActivationEmitter.PreActivationsSuffix) : Output;

    /// <summary>The first <paramref name="count"/> values of the (first) input, as a span.</summary>
    public string InputSpan(string count) => InputSpanOf(0, count);

    /// <summary>The first <paramref name="count"/> values of input <paramref name="k"/>, as a span.</summary>
    public string InputSpanOf(int k, string count)
    {
        string input = InputOf(k);
        return input == "inputs" ? $"inputs.Slice(0, {count})" : $"new global::System.ReadOnlySpan<float>({input}, 0, {count})";
    }

    /// <summary>The first <paramref name="count"/> values of a buffer (or of the caller's <c>output</c> span).</summary>
    public static string SpanOf(string buffer, string count) => buffer == "output" ? $"output.Slice(0, {count})" : $"new global::System.Span<float>({buffer}, 0, {count})";

    /// <summary>The expression counting this batch's output values.</summary>
    public string BatchOutputs => $"batch * {Layer.Kind.OutputElements(this)}";
}
