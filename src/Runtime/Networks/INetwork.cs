using System.Collections.Generic;

namespace SourceNet;

/// <summary>What every generated network exposes to the runtime (optimizers, checkpoints, tools).</summary>
public interface INetwork
{
    /// <summary>Number of input features of one sample.</summary>
    int InputSize { get; }

    /// <summary>Number of outputs of one sample.</summary>
    int OutputSize { get; }

    /// <summary>The largest batch the network's buffers hold.</summary>
    int MaxBatchSize { get; }

    /// <summary>Every trainable parameter, in layer order (weight before bias).</summary>
    IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>The layers in order, input side first, each with its shapes and parameters.</summary>
    IReadOnlyList<Layer> Layers { get; }
}
