using System;
using System.Collections.Generic;
using SourceNet.Export;
using SourceNet.Quantization;

namespace SourceNet;

/// <summary>
/// One layer of a generated network, as the runtime and tools (checkpoints, safetensors, ONNX export, drawings) see
/// it: its name, the values it reads, the shapes it maps between, the state it owns (trainable parameters,
/// non-trainable buffers, random generators), its description, and its ONNX lowering. The maths lives in the
/// generated network. Every tool walks these members, so none keeps a list of layer kinds of its own.
/// </summary>
public abstract class Layer
{
    /// <summary>The name <see cref="Inputs"/> uses for the network's input.</summary>
    public const string NetworkInput = "input";

    private readonly IReadOnlyList<string> _inputs = Array.Empty<string>();
    private readonly string? _description;

    /// <summary>Creates a layer mapping <paramref name="inputShape"/> to <paramref name="outputShape"/>.</summary>
    protected Layer(string name, LayerShape inputShape, LayerShape outputShape)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
        InputShape = inputShape;
        OutputShape = outputShape;
    }

    /// <summary>The layer's name (its property name in the network class).</summary>
    public string Name { get; }

    /// <summary>
    /// The names of the layers whose outputs feed this one, in order, <see cref="NetworkInput"/> for the network's
    /// input. Empty (the default) means the layer before it in <see cref="INetwork.Layers"/>, or the network's input
    /// for the first layer. A merge (Add, Concatenate) names two or more.
    /// </summary>
    public IReadOnlyList<string> Inputs
    {
        get => _inputs;
        init
        {
            ArgumentNullException.ThrowIfNull(value);
            foreach (string input in value)
            {
                ArgumentException.ThrowIfNullOrEmpty(input, nameof(Inputs));
            }
            _inputs = value;
        }
    }

    /// <summary>
    /// The layer's row text as the network's <c>Summary()</c> prints it, such as <c>Dense, ReLU</c> or
    /// <c>Conv2D 5x5, stride 1, same, ReLU</c>. The generator sets it from the kind's own description; a layer built
    /// by hand gets the layer's default (its kind and main settings).
    /// </summary>
    public string Description
    {
        get => _description ?? DefaultDescription;
        init
        {
            ArgumentException.ThrowIfNullOrEmpty(value);
            _description = value;
        }
    }

    /// <summary>The description when none was given: the type's name without <c>Layer</c>; kinds override it with their settings.</summary>
    protected virtual string DefaultDescription
    {
        get
        {
            string type = GetType().Name;
            return type.EndsWith("Layer", StringComparison.Ordinal) && type.Length > 5 ? type[..^5] : type;
        }
    }

    /// <summary>The shape of one sample entering the layer (the first input's, for a merge).</summary>
    public LayerShape InputShape { get; }

    /// <summary>The shape of each input, in the order of <see cref="Inputs"/>; one entry, <see cref="InputShape"/>, unless the layer merges several.</summary>
    public virtual IReadOnlyList<LayerShape> InputShapes => new[] { InputShape };

    /// <summary>The shape of one sample leaving the layer.</summary>
    public LayerShape OutputShape { get; }

    /// <summary>The layer's trainable parameters, weight before bias; empty for layers without any.</summary>
    public virtual IReadOnlyList<Parameter> Parameters => Array.Empty<Parameter>();

    /// <summary>The layer's non-trainable persistent tensors (running statistics, counters); empty for most layers.</summary>
    public virtual IReadOnlyList<StateBuffer> Buffers => Array.Empty<StateBuffer>();

    /// <summary>The random generators whose state a checkpoint must save so that a resumed run draws the same numbers; empty for most layers.</summary>
    public virtual IReadOnlyList<SeededRandom> Generators => Array.Empty<SeededRandom>();

    /// <summary>Number of trainable values.</summary>
    public int ParameterCount
    {
        get
        {
            int count = 0;
            foreach (Parameter parameter in Parameters)
            {
                count += parameter.Length;
            }
            return count;
        }
    }

    /// <summary>
    /// Adds the layer's inference computation to <paramref name="graph"/> (ONNX opset 17 operators) and returns its
    /// output value. <paramref name="inputs"/> are the values of <see cref="Inputs"/>, in order, each carrying that
    /// input's shape from <see cref="InputShapes"/>.
    /// </summary>
    /// <exception cref="NotSupportedException">The layer has no lowering (the base implementation), or its settings cannot be expressed (a custom activation).</exception>
    public virtual OpValue Lower(IOpGraph graph, IReadOnlyList<OpValue> inputs) =>
        throw new NotSupportedException($"Layer '{Name}' ({Description}, a {GetType().Name}) has no ONNX lowering: its kind does not override Layer.Lower, so the network cannot be exported.");

    /// <summary>
    /// The layer's part of int8 inference (<see cref="QuantizedNetwork"/>): its weights quantised per output channel
    /// and the code that runs it on bytes. A kind overrides it to hand its settings and tensors to
    /// <c>SourceNet.Quantization</c>, where the work lives.
    /// </summary>
    /// <exception cref="NotSupportedException">The layer has no int8 form (the base implementation).</exception>
    public virtual QuantizedOperation Quantize() =>
        throw new NotSupportedException($"Layer '{Name}' ({Description}, a {GetType().Name}) has no int8 form: its kind does not override Layer.Quantize, so the network cannot be quantised.");

    /// <summary>The single input of a one-input layer; a clear error when given another number.</summary>
    protected OpValue SingleInput(IReadOnlyList<OpValue> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Count != 1)
            throw new ArgumentException($"Layer '{Name}' takes one input; it was given {inputs.Count}.", nameof(inputs));
        return inputs[0];
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Name} ({GetType().Name}) {InputShape} -> {OutputShape}";
}
