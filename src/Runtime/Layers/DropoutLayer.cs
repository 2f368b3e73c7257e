using System;

namespace SourceNet;

/// <summary>
/// Inverted dropout: while training, each value is zeroed with probability <see cref="Rate"/> and the others
/// are scaled by 1 / (1 - rate); at inference it is the identity. It has no parameters.
/// </summary>
public sealed class DropoutLayer : Layer
{
    /// <summary>Creates the layer.</summary>
    public DropoutLayer(string name, LayerShape shape, float rate)
        : base(name, shape, shape)
    {
        if (!(rate >= 0f && rate < 1f))
            throw new ArgumentOutOfRangeException(nameof(rate), rate, "A dropout rate is in [0, 1).");
        Rate = rate;
    }

    /// <summary>The probability that a value is dropped while training.</summary>
    public float Rate { get; }
}
