using System;

namespace SourceNet;

/// <summary>
/// A 2-D convolution over a channels-last image (H, W, C): <c>filters</c> kernels of
/// kernelHeight x kernelWidth x C, plus a bias per filter, then the activation (fused into the product's
/// epilogue). Put it on a <c>public partial Conv2DLayer Name { get; }</c> property.
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
public sealed class Conv2DAttribute : LayerAttribute
{
    /// <summary>The default of <see cref="Stride"/>.</summary>
    public const int DefaultStride = 1;

    /// <summary>The default of <see cref="WeightStdDev"/>.</summary>
    public const float DefaultWeightStdDev = 0.03f;

    /// <summary>The default of <see cref="BiasStdDev"/>.</summary>
    public const float DefaultBiasStdDev = 0.03f;

    /// <summary>A convolution with square kernels.</summary>
    /// <param name="filters">Number of output channels; must be positive.</param>
    /// <param name="kernelSize">Height and width of each kernel.</param>
    /// <param name="activation">The activation applied to the output.</param>
    public Conv2DAttribute(int filters, int kernelSize, Activation activation = Activation.None)
        : this(filters, kernelSize, kernelSize, activation)
    {
    }

    /// <summary>A convolution with kernelHeight x kernelWidth kernels.</summary>
    /// <param name="filters">Number of output channels; must be positive.</param>
    /// <param name="kernelHeight">Rows of each kernel.</param>
    /// <param name="kernelWidth">Columns of each kernel.</param>
    /// <param name="activation">The activation applied to the output.</param>
    public Conv2DAttribute(int filters, int kernelHeight, int kernelWidth, Activation activation = Activation.None)
    {
        Filters = filters;
        KernelHeight = kernelHeight;
        KernelWidth = kernelWidth;
        Activation = activation;
    }

    /// <summary>Number of output channels.</summary>
    public int Filters { get; }

    /// <summary>Rows of each kernel.</summary>
    public int KernelHeight { get; }

    /// <summary>Columns of each kernel.</summary>
    public int KernelWidth { get; }

    /// <summary>The built-in activation applied to the output.</summary>
    public Activation Activation { get; }

    /// <summary>Name of a user-written <c>[Differentiable]</c> activation (see <see cref="DenseAttribute.CustomActivation"/>).</summary>
    public string? CustomActivation { get; set; }

    /// <summary>Step between two windows, along both axes. Defaults to 1.</summary>
    public int Stride { get; set; } = DefaultStride;

    /// <summary>The step between two output rows; 0 (the default) uses <see cref="Stride"/>.</summary>
    public int StrideY { get; set; }

    /// <summary>The step between two output columns; 0 (the default) uses <see cref="Stride"/>.</summary>
    public int StrideX { get; set; }

    /// <summary><see cref="SourceNet.Padding.Valid"/> (the default) or <see cref="SourceNet.Padding.Same"/>.</summary>
    public Padding Padding { get; set; }

    /// <summary>Standard deviation of the normal distribution the kernels are drawn from. Defaults to 0.03.</summary>
    public float WeightStdDev { get; set; } = DefaultWeightStdDev;

    /// <summary>Standard deviation of the normal distribution the biases are drawn from. Defaults to 0.03.</summary>
    public float BiasStdDev { get; set; } = DefaultBiasStdDev;
}
