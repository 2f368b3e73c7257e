using System;
using System.Collections.Generic;

namespace SourceNet;

/// <summary>
/// Batch normalisation per channel: trainable <see cref="Weight"/> (γ) and <see cref="Bias"/> (β), and the running
/// statistics that inference uses, which a checkpoint keeps with the parameters.
/// </summary>
public sealed class BatchNormLayer : Layer
{
    private readonly Parameter[] _parameters;

    /// <summary>Creates the layer with γ = 0, β = 0 (the network sets γ to 1), running mean 0 and running variance 1.</summary>
    public BatchNormLayer(string name, LayerShape shape, float momentum, float epsilon)
        : base(name, shape, shape)
    {
        Momentum = momentum;
        Epsilon = epsilon;
        Weight = new Parameter(name + ".Weight", 1, shape.Channels);
        Bias = new Parameter(name + ".Bias", 1, shape.Channels);
        RunningMean = new float[shape.Channels];
        RunningVariance = new float[shape.Channels];
        Array.Fill(RunningVariance, 1f);
        _parameters = new[] { Weight, Bias };
    }

    /// <summary>PyTorch's momentum of the running statistics.</summary>
    public float Momentum { get; }

    /// <summary>Added to the variance before the square root.</summary>
    public float Epsilon { get; }

    /// <summary>γ, one per channel.</summary>
    public Parameter Weight { get; }

    /// <summary>β, one per channel.</summary>
    public Parameter Bias { get; }

    /// <summary>The running mean per channel.</summary>
    public float[] RunningMean { get; }

    /// <summary>The running (unbiased) variance per channel.</summary>
    public float[] RunningVariance { get; }

    /// <summary>The number of training batches seen (PyTorch's <c>num_batches_tracked</c>).</summary>
    public long BatchesTracked { get; set; }

    /// <inheritdoc/>
    public override IReadOnlyList<Parameter> Parameters => _parameters;
}
