using System;

namespace SourceNet;

/// <summary>
/// A lookup table from token ids to vectors: each of a sample's T ids selects a row of the weight
/// [<see cref="Vocabulary"/>, <see cref="Dimension"/>], so token ids <c>(T) int</c> become a sequence
/// (T, <see cref="Dimension"/>). PyTorch's <c>nn.Embedding</c>: the same weight (<c>name.weight</c>), drawn from N(0, 1).
/// It reads the network's token input (<see cref="NetworkAttribute.InputTokens"/>) and must be the layer that does.
/// Put it on a <c>public partial EmbeddingLayer Name { get; }</c> property.
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
public sealed class EmbeddingAttribute : LayerAttribute
{
    /// <summary>An embedding of <paramref name="vocabulary"/> token ids, each a vector of <paramref name="dimension"/> floats.</summary>
    /// <param name="vocabulary">Number of distinct ids (ids are 0 to vocabulary - 1); must be positive.</param>
    /// <param name="dimension">Floats per token; must be positive.</param>
    public EmbeddingAttribute(int vocabulary, int dimension)
    {
        Vocabulary = vocabulary;
        Dimension = dimension;
    }

    /// <summary>Number of distinct token ids: ids run from 0 to <c>Vocabulary - 1</c>.</summary>
    public int Vocabulary { get; }

    /// <summary>Floats in each token's vector.</summary>
    public int Dimension { get; }

    /// <summary>The default of <see cref="WeightStdDev"/>: 1, PyTorch's <c>nn.Embedding</c> initialisation N(0, 1).</summary>
    public const float DefaultWeightStdDev = 1f;

    /// <summary>Standard deviation of the normal distribution the vectors are drawn from. Defaults to 1 (PyTorch's).</summary>
    public float WeightStdDev { get; set; } = DefaultWeightStdDev;
}
