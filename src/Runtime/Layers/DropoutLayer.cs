using System;
using System.Collections.Generic;
using System.Globalization;
using SourceNet.Export;
using SourceNet.Quantization;

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

    /// <summary>The mask generator, when the network exposes it: a checkpoint saves its state.</summary>
    public override IReadOnlyList<SeededRandom> Generators => Random is null ? Array.Empty<SeededRandom>() : new[] { Random };

    /// <inheritdoc/>
    protected override string DefaultDescription => "Dropout " + Rate.ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>Nothing: inverted dropout is the identity at inference.</summary>
    public override OpValue Lower(IOpGraph graph, IReadOnlyList<OpValue> inputs) => SingleInput(inputs);

    /// <summary>Nothing to run: dropout is the identity at inference.</summary>
    public override QuantizedOperation Quantize() => QuantizedOperation.PassThrough(Name, InputShape, OutputShape);
}
