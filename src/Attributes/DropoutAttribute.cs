using System;

namespace SourceNet;

/// <summary>
/// Inverted dropout: while training (<c>TrainStep</c>, <c>ComputeGradients</c>) each value is zeroed with
/// probability <c>rate</c> and the others are scaled by 1 / (1 - rate); in <c>Forward</c>, <c>Predict</c>,
/// <c>Evaluate</c> and <c>ComputeLoss</c> it is the identity. The masks come from the network's seed, so the
/// same seed gives the same masks, bit for bit. Put it on a <c>public partial DropoutLayer Name { get; }</c> property.
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
public sealed class DropoutAttribute : LayerAttribute
{
    /// <summary>Drops each value with probability <paramref name="rate"/>, in [0, 1).</summary>
    public DropoutAttribute(float rate) => Rate = rate;

    /// <summary>The probability that a value is dropped while training.</summary>
    public float Rate { get; }
}
