using System;

namespace SourceNet.Data;

/// <summary>
/// Samples for regression held in memory: features and float targets, both row-major. What
/// <see cref="CsvLoader.LoadRegression"/> returns; a <c>Loss.MeanSquaredError</c> network's
/// <c>TrainStep(inputs, targets, optimizer)</c> takes slices of both.
/// </summary>
public sealed class RegressionData
{
    /// <summary>Wraps the arrays (not copied).</summary>
    /// <param name="features">count x <paramref name="featureSize"/> floats, row-major.</param>
    /// <param name="targets">count x <paramref name="targetSize"/> floats, row-major.</param>
    /// <param name="featureSize">Features per sample.</param>
    /// <param name="targetSize">Targets per sample: the network's outputs.</param>
    public RegressionData(float[] features, float[] targets, int featureSize, int targetSize)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(featureSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(targetSize);
        if (features.Length % featureSize != 0 || targets.Length % targetSize != 0
            || features.Length / featureSize != targets.Length / targetSize)
        {
            throw new ArgumentException(
                $"{features.Length} features of {featureSize} per sample and {targets.Length} targets of {targetSize} per sample are not the same whole number of samples.",
                nameof(targets));
        }
        Features = features;
        Targets = targets;
        FeatureSize = featureSize;
        TargetSize = targetSize;
    }

    /// <summary>The features, <see cref="Count"/> x <see cref="FeatureSize"/> floats, row-major.</summary>
    public float[] Features { get; }

    /// <summary>The targets, <see cref="Count"/> x <see cref="TargetSize"/> floats, row-major.</summary>
    public float[] Targets { get; }

    /// <summary>Features per sample: the network's input size.</summary>
    public int FeatureSize { get; }

    /// <summary>Targets per sample: the network's output size.</summary>
    public int TargetSize { get; }

    /// <summary>Number of samples.</summary>
    public int Count => Features.Length / FeatureSize;
}
