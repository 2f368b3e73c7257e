using System;
using System.Collections.Generic;

namespace SourceNet.Quantization;

/// <summary>
/// A network's layers as a chain of <see cref="QuantizedOperation"/>s over values, found by walking
/// <see cref="Layer.Inputs"/> the way the exporters do. Value 0 is the network's input, value i + 1 the output of
/// operation i. A value that an operation passes through shares its input's buffer (<see cref="BufferOf"/>).
/// </summary>
internal sealed class QuantizedGraph
{
    private QuantizedGraph(QuantizedOperation[] operations, int[] inputOf, int[] bufferOf, int[] elements, int buffers)
    {
        Operations = operations;
        InputOf = inputOf;
        BufferOf = bufferOf;
        Elements = elements;
        BufferCount = buffers;
    }

    /// <summary>The operations, in the layers' order.</summary>
    public QuantizedOperation[] Operations { get; }

    /// <summary>The value operation i reads.</summary>
    public int[] InputOf { get; }

    /// <summary>The buffer each value lives in.</summary>
    public int[] BufferOf { get; }

    /// <summary>Values per sample of each value.</summary>
    public int[] Elements { get; }

    /// <summary>Buffers in all (values that pass through share one).</summary>
    public int BufferCount { get; }

    /// <summary>The network's output: the last operation's value.</summary>
    public int OutputValue => Operations.Length;

    /// <summary>Bytes between two samples of a value: a multiple of 4, so that a product can read its input rows whole
    /// groups of four at a time.</summary>
    public static int Stride(int elements) => (elements + 3) & ~3;

    /// <summary>Asks every layer of <paramref name="network"/> for its operation and connects them.</summary>
    /// <exception cref="NotSupportedException">A layer reads several values (a merge) or cannot be quantised.</exception>
    public static QuantizedGraph From(INetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        IReadOnlyList<Layer> layers = network.Layers;
        if (layers.Count == 0)
            throw new ArgumentException("The network has no layers to quantise.", nameof(network));
        var operations = new QuantizedOperation[layers.Count];
        var inputOf = new int[layers.Count];
        var bufferOf = new int[layers.Count + 1];
        var elements = new int[layers.Count + 1];
        var valueOf = new Dictionary<string, int>(StringComparer.Ordinal) { [Layer.NetworkInput] = 0 };
        elements[0] = network.InputSize;
        int buffers = 1;
        for (int i = 0; i < layers.Count; i++)
        {
            Layer layer = layers[i];
            IReadOnlyList<string> inputs = layer.Inputs.Count > 0 ? layer.Inputs : [i == 0 ? Layer.NetworkInput : layers[i - 1].Name];
            if (inputs.Count != 1)
                throw new NotSupportedException($"Layer '{layer.Name}' ({layer.Description}) reads {inputs.Count} values; int8 inference runs layers that read one.");
            if (!valueOf.TryGetValue(inputs[0], out int input))
                throw new InvalidOperationException($"Layer '{layer.Name}' reads '{inputs[0]}', which is neither the input nor a layer before it.");
            QuantizedOperation operation = layer.Quantize();
            if (operation.InputShape.Elements != elements[input])
                throw new InvalidOperationException($"Layer '{layer.Name}' takes {operation.InputShape.Elements} values per sample but '{inputs[0]}' gives {elements[input]}.");
            operations[i] = operation;
            inputOf[i] = input;
            elements[i + 1] = operation.OutputShape.Elements;
            bufferOf[i + 1] = operation.PassesThrough ? bufferOf[input] : buffers++;
            valueOf[layer.Name] = i + 1;
        }
        if (elements[^1] != network.OutputSize)
            throw new InvalidOperationException($"The last layer gives {elements[^1]} values per sample; the network says {network.OutputSize}.");
        return new QuantizedGraph(operations, inputOf, bufferOf, elements, buffers);
    }
}
