using System;

namespace SourceNet;

/// <summary>
/// A fully connected layer: <c>y = activation(x · W + b)</c>, with <c>W</c> of shape
/// [inputs, <see cref="Units"/>] and <c>b</c> of shape [<see cref="Units"/>].
/// Put it on a <c>public partial DenseLayer Name { get; }</c> property of a <see cref="NetworkAttribute"/> class.
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
public sealed class DenseAttribute : LayerAttribute
{
    /// <summary>Creates a dense layer with <paramref name="units"/> outputs.</summary>
    /// <param name="units">Number of output units; must be positive.</param>
    /// <param name="activation">The activation applied to the layer's output.</param>
    public DenseAttribute(int units, Activation activation = Activation.None)
    {
        Units = units;
        Activation = activation;
    }

    /// <summary>Number of output units.</summary>
    public int Units { get; }

    /// <summary>The built-in activation applied to the layer's output.</summary>
    public Activation Activation { get; }

    /// <summary>
    /// Name of a user-written activation: a static method of the network class marked
    /// <c>[Differentiable]</c> taking and returning one <c>float</c>. Overrides <see cref="Activation"/>.
    /// </summary>
    public string? CustomActivation { get; set; }

    /// <summary>
    /// Flattens an image input into one vector before the layer: shorthand for a <see cref="FlattenAttribute"/>
    /// layer just before this one (the generator inserts exactly that). Samples are stored row-major, so this moves no data.
    /// </summary>
    public bool Flatten { get; set; }

    /// <summary>The default of <see cref="WeightStdDev"/> and <see cref="BiasStdDev"/>: the tutorial's 0.03.</summary>
    public const float DefaultWeightStdDev = 0.03f;

    /// <summary>The default of <see cref="BiasStdDev"/>.</summary>
    public const float DefaultBiasStdDev = 0.03f;

    /// <summary>Standard deviation of the normal distribution the weights are drawn from. Defaults to 0.03 (the tutorial's).</summary>
    public float WeightStdDev { get; set; } = DefaultWeightStdDev;

    /// <summary>Standard deviation of the normal distribution the biases are drawn from. Defaults to 0.03.</summary>
    public float BiasStdDev { get; set; } = DefaultBiasStdDev;
}
