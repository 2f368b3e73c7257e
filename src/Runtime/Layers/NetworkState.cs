using System;
using System.Collections.Generic;

namespace SourceNet;

/// <summary>
/// A network's persistent state beyond its parameters, gathered from its layers' declarations
/// (<see cref="Layer.Buffers"/>, <see cref="Layer.Generators"/>), for checkpoints and safetensors, which know no layer kind.
/// </summary>
internal static class NetworkState
{
    /// <summary>The layers; none for a network generated before layers were described.</summary>
    public static IReadOnlyList<Layer> Layers(INetwork network)
    {
        try
        {
            return network.Layers ?? Array.Empty<Layer>();
        }
        catch (NotSupportedException)
        {
            return Array.Empty<Layer>();
        }
    }

    /// <summary>Every layer's buffers, in layer order.</summary>
    public static StateBuffer[] Buffers(INetwork network)
    {
        var buffers = new List<StateBuffer>();
        foreach (Layer layer in Layers(network))
        {
            foreach (StateBuffer buffer in layer.Buffers)
            {
                buffers.Add(buffer ?? throw new InvalidOperationException($"Layer '{layer.Name}' lists a null buffer."));
            }
        }
        return buffers.ToArray();
    }

    /// <summary>
    /// Every layer's generators, in layer order, each named after its layer: the layer's name for its only
    /// generator, <c>Name[i]</c> when it has several.
    /// </summary>
    public static (string Name, SeededRandom Random)[] Generators(INetwork network)
    {
        var generators = new List<(string, SeededRandom)>();
        foreach (Layer layer in Layers(network))
        {
            IReadOnlyList<SeededRandom> own = layer.Generators;
            for (int i = 0; i < own.Count; i++)
            {
                SeededRandom random = own[i] ?? throw new InvalidOperationException($"Layer '{layer.Name}' lists a null generator.");
                generators.Add((own.Count == 1 ? layer.Name : $"{layer.Name}[{i}]", random));
            }
        }
        return generators.ToArray();
    }
}
