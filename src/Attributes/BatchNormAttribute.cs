using System;

namespace SourceNet;

/// <summary>
/// Batch normalisation (PyTorch's <c>BatchNorm2d</c> on images, per channel; <c>BatchNorm1d</c> on vectors, per
/// feature): <c>y = γ · (x − μ) / √(σ² + ε) + β</c>, then the optional activation. In <c>TrainStep</c> and
/// <c>ComputeGradients</c> μ and σ² are the batch's statistics and the running statistics move towards them; in
/// <c>Forward</c>, <c>Predict</c>, <c>Evaluate</c> and <c>ComputeLoss</c> the running statistics are used. γ starts
/// at 1 and β at 0. Put it on a <c>public partial BatchNormLayer Name { get; }</c> property.
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
public sealed class BatchNormAttribute : LayerAttribute
{
    /// <summary>PyTorch's default momentum, 0.1.</summary>
    public const float DefaultMomentum = 0.1f;

    /// <summary>PyTorch's default epsilon, 1e-5.</summary>
    public const float DefaultEpsilon = 1e-5f;

    /// <summary>
    /// How far the running statistics move towards each batch's, in PyTorch's sense:
    /// <c>running = (1 − momentum) · running + momentum · batch</c> (the running variance takes the batch's unbiased
    /// variance). Defaults to PyTorch's 0.1. Keras's <c>momentum</c> is the other weight: Keras's default 0.99 is
    /// <c>Momentum = 0.01f</c> here.
    /// </summary>
    public float Momentum { get; set; } = DefaultMomentum;

    /// <summary>Added to the variance before the square root. Defaults to PyTorch's 1e-5 (Keras's default is 1e-3).</summary>
    public float Epsilon { get; set; } = DefaultEpsilon;

    /// <summary>The built-in activation applied after the normalisation (conv–BN–ReLU). Defaults to none.</summary>
    public Activation Activation { get; set; }
}
