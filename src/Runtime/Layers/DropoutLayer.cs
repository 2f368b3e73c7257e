using System;

namespace SourceNet;

/// <summary>
/// Inverted dropout: while training, each value is zeroed with probability <see cref="Rate"/> and the others
/// are scaled by 1 / (1 - rate); at inference it is the identity. It has no parameters.
/// </summary>
public sealed class DropoutLayer : Layer
{
    /// <summary>Creates the layer.</summary>
    /// <param name="name">The layer's name.</param>
    /// <param name="shape">The shape of one sample, in and out.</param>
    /// <param name="rate">The probability that a value is dropped while training.</param>
    /// <param name="random">The generator the network draws this layer's masks from, so that a checkpoint can save
    /// and restore it (a resumed run then draws the same masks); null when the network does not expose it.</param>
    public DropoutLayer(string name, LayerShape shape, float rate, SeededRandom? random = null)
        : base(name, shape, shape)
    {
        if (!(rate >= 0f && rate < 1f))
            throw new ArgumentOutOfRangeException(nameof(rate), rate, "A dropout rate is in [0, 1).");
        Rate = rate;
        Random = random;
    }

    /// <summary>The generator the masks are drawn from, when the network exposes it; checkpoints save its state.</summary>
    public SeededRandom? Random { get; }

    /// <summary>The probability that a value is dropped while training.</summary>
    public float Rate { get; }
}
