using System;
using System.Collections.Generic;

namespace SourceNet;

/// <summary>
/// One layer of a generated network, as the runtime and tools (checkpoints, safetensors, ONNX export) see it:
/// its name, the shapes it maps between, and the parameters it owns. The maths lives in the generated network.
/// </summary>
public abstract class Layer
{
    /// <summary>Creates a layer mapping <paramref name="inputShape"/> to <paramref name="outputShape"/>.</summary>
    protected Layer(string name, LayerShape inputShape, LayerShape outputShape)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
        InputShape = inputShape;
        OutputShape = outputShape;
    }

    /// <summary>The name <see cref="InputNames"/> uses for the network's input.</summary>
    public const string NetworkInput = "input";

    /// <summary>
    /// The names of the layers whose outputs feed this one (<see cref="NetworkInput"/> for the network's input); empty
    /// means the layer before it in the network's list (the network's input for the first).
    /// </summary>
    public IReadOnlyList<string> InputNames { get; init; } = Array.Empty<string>();

    /// <summary>The layer's row text as the network's summary prints it (<c>Dense, ReLU</c>); the kind's name if not set.</summary>
    public string Description
    {
        get => _description ?? GetType().Name.Replace("Layer", "", StringComparison.Ordinal);
        init => _description = value;
    }

    private readonly string? _description;

    /// <summary>The layer's name (its property name in the network class).</summary>
    public string Name { get; }

    /// <summary>The shape of one sample entering the layer.</summary>
    public LayerShape InputShape { get; }

    /// <summary>The shape of one sample leaving the layer.</summary>
    public LayerShape OutputShape { get; }

    /// <summary>The layer's trainable parameters, weight before bias; empty for layers without any.</summary>
    public virtual IReadOnlyList<Parameter> Parameters => Array.Empty<Parameter>();

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

    /// <inheritdoc/>
    public override string ToString() => $"{Name} ({GetType().Name}) {InputShape} -> {OutputShape}";
}
