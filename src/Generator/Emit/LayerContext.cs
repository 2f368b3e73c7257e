using SourceNet.Generator.Helpers;
using SourceNet.Generator.Model;

namespace SourceNet.Generator.Emit;

/// <summary>
/// What a layer kind emits against: the writer, the layer, and the names of the buffers around it. The
/// emitter owns the buffers (one activation and one gradient buffer per layer that moves data) and resolves
/// them here, so a kind never knows its neighbours: it reads <see cref="Input"/>, writes <see cref="Output"/>,
/// and in the backward pass turns <see cref="OutputGradient"/> into <see cref="InputGradient"/>.
/// </summary>
internal sealed class LayerContext
{
    private readonly bool _forwardPass;

    public LayerContext(SourceWriter writer, NetworkSpec network, int index, bool forwardPass)
    {
        W = writer;
        Network = network;
        Index = index;
        _forwardPass = forwardPass;
    }

    public SourceWriter W { get; }

    public NetworkSpec Network { get; }

    public int Index { get; }

    public LayerSpec Layer => Network.Layers[Index];

    public bool IsFirst => Index == 0;

    public bool IsLast => Index == Network.Layers.Count - 1;

    /// <summary>The field holding the runtime layer object (<c>_hidden</c>).</summary>
    public string Field => Names.Field(Layer.Name);

    /// <summary>A field of this layer's own (<c>_hiddenPreActivations</c>).</summary>
    public string Member(string suffix) => Field + suffix;

    /// <summary>A constant of this layer's own (<c>HiddenUnits</c>).</summary>
    public string Constant(string suffix) => Layer.Name + suffix;

    /// <summary>The input activations: the network's <c>inputs</c> for the first layer.</summary>
    public string Input => Buffers.Activations(Network, Index - 1);

    /// <summary>Where the output goes: the caller's <c>output</c> span for the last layer of the forward pass.</summary>
    public string Output => _forwardPass && IsLast ? "output" : Buffers.Activations(Network, Index);

    /// <summary>dLoss/dOutput of this layer (with its activation's derivative applied, once the kind runs).</summary>
    public string OutputGradient => Buffers.Gradient(Network, Index)!;

    /// <summary>Where dLoss/dInput goes; null when no layer below has parameters, so nobody needs it.</summary>
    public string? InputGradient => Buffers.NeedsInputGradient(Network, Index) ? Buffers.Gradient(Network, Index - 1) : null;

    /// <summary>Where the fused product writes: pre-activations when the activation runs after it (see <see cref="ActivationEmitter"/>), else the output.</summary>
    public string ProductTarget => ActivationEmitter.NeedsPreActivations(this) ? Member(ActivationEmitter.PreActivationsSuffix) : Output;

    /// <summary>The first <paramref name="count"/> values of the input, as a span.</summary>
    public string InputSpan(string count) => Input == "inputs" ? $"inputs.Slice(0, {count})" : $"new global::System.ReadOnlySpan<float>({Input}, 0, {count})";

    /// <summary>The first <paramref name="count"/> values of a buffer (or of the caller's <c>output</c> span).</summary>
    public static string SpanOf(string buffer, string count) => buffer == "output" ? $"output.Slice(0, {count})" : $"new global::System.Span<float>({buffer}, 0, {count})";

    /// <summary>The expression counting this batch's output values.</summary>
    public string BatchOutputs => $"batch * {Layer.Kind.OutputElements(this)}";
}
