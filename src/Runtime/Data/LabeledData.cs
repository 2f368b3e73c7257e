using System;
using System.Collections.Generic;

namespace SourceNet.Data;

/// <summary>
/// Samples for classification held in memory: features as floats, row-major, <see cref="FeatureSize"/> per
/// sample, and one class index per sample. What <see cref="CsvLoader.LoadClassification"/> and the image-folder
/// loader of the SourceNet.Images package return, and what a <see cref="BatchSampler"/> and
/// <see cref="Training.Trainer"/> take.
/// </summary>
public sealed class LabeledData
{
    /// <summary>Wraps <paramref name="features"/> and <paramref name="labels"/> (not copied).</summary>
    /// <param name="features">labels.Length x (product of <paramref name="sampleShape"/>) floats, row-major.</param>
    /// <param name="labels">One class index, 0 or more, per sample.</param>
    /// <param name="sampleShape">One sample's shape: [features] for a vector, [height, width, channels] for a channels-last image.</param>
    /// <param name="classNames">The name of each class index, or null when the classes have no names.</param>
    /// <exception cref="ArgumentException">The sizes do not agree, a label is negative or names no class of <paramref name="classNames"/>.</exception>
    public LabeledData(float[] features, int[] labels, IReadOnlyList<int> sampleShape, IReadOnlyList<string>? classNames = null)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(sampleShape);
        if (sampleShape.Count == 0)
        {
            throw new ArgumentException("A sample shape has at least one dimension.", nameof(sampleShape));
        }
        long size = 1;
        foreach (int dimension in sampleShape)
        {
            if (dimension <= 0)
            {
                throw new ArgumentException($"The sample shape [{string.Join(", ", sampleShape)}] has a dimension of {dimension}; each must be at least 1.", nameof(sampleShape));
            }
            size *= dimension;
        }
        if (size * labels.Length != features.Length)
        {
            throw new ArgumentException(
                $"{labels.Length} samples of shape [{string.Join(", ", sampleShape)}] need {size * labels.Length} floats; the features hold {features.Length}.",
                nameof(features));
        }
        for (int i = 0; i < labels.Length; i++)
        {
            if (labels[i] < 0 || (classNames is not null && labels[i] >= classNames.Count))
            {
                string range = classNames is null ? "0 or more" : $"0..{classNames.Count - 1}";
                throw new ArgumentException($"Label {i} is {labels[i]}; labels are class indices, {range}.", nameof(labels));
            }
        }
        Features = features;
        Labels = labels;
        SampleShape = [.. sampleShape];
        FeatureSize = (int)size;
        ClassNames = classNames is null ? [] : [.. classNames];
    }

    /// <summary>The features, <see cref="Count"/> x <see cref="FeatureSize"/> floats, row-major.</summary>
    public float[] Features { get; }

    /// <summary>One class index per sample.</summary>
    public int[] Labels { get; }

    /// <summary>One sample's shape: [features], or [height, width, channels] for images.</summary>
    public IReadOnlyList<int> SampleShape { get; }

    /// <summary>Floats per sample: the product of <see cref="SampleShape"/>; the network's input size.</summary>
    public int FeatureSize { get; }

    /// <summary>Number of samples.</summary>
    public int Count => Labels.Length;

    /// <summary>The name of each class index (an image folder's subfolder names); empty when the classes have no names.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>A sampler over these samples: <c>new BatchSampler(Features, Labels, FeatureSize, random)</c>.</summary>
    public BatchSampler CreateSampler(SeededRandom random) => new(Features, Labels, FeatureSize, random);

    /// <summary>
    /// Holds out a seeded random <paramref name="validationFraction"/> of the samples: the same seed gives the
    /// same split. Both parts keep the samples' original order, and are copies.
    /// </summary>
    /// <param name="validationFraction">The fraction held out, in (0, 1); the count is rounded to the nearest sample.</param>
    /// <param name="seed">Seeds the choice of samples.</param>
    /// <exception cref="ArgumentOutOfRangeException">The fraction is not in (0, 1), or leaves either part empty.</exception>
    public (LabeledData Train, LabeledData Validation) Split(double validationFraction, long seed)
    {
        if (!(validationFraction > 0 && validationFraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(validationFraction), validationFraction, "The validation fraction must be between 0 and 1, both excluded.");
        }
        int held = (int)Math.Round(Count * validationFraction, MidpointRounding.AwayFromZero);
        if (held == 0 || held == Count)
        {
            throw new ArgumentOutOfRangeException(nameof(validationFraction), validationFraction,
                $"A validation fraction of {validationFraction} of {Count} samples holds out {held}: each part needs at least one sample.");
        }

        var order = new int[Count];
        for (int i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }
        new SeededRandom(seed).Shuffle(order);
        var isValidation = new bool[Count];
        for (int i = 0; i < held; i++)
        {
            isValidation[order[i]] = true;
        }
        return (Select(isValidation, false, Count - held), Select(isValidation, true, held));
    }

    private LabeledData Select(bool[] isValidation, bool validation, int count)
    {
        var features = new float[(long)count * FeatureSize];
        var labels = new int[count];
        int next = 0;
        for (int i = 0; i < Count; i++)
        {
            if (isValidation[i] == validation)
            {
                Features.AsSpan(i * FeatureSize, FeatureSize).CopyTo(features.AsSpan(next * FeatureSize));
                labels[next++] = Labels[i];
            }
        }
        return new LabeledData(features, labels, SampleShape, ClassNames.Count == 0 ? null : ClassNames);
    }
}
