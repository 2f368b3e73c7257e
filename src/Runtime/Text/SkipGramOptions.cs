using System;

namespace SourceNet.Text;

/// <summary>
/// The settings of skip-gram training with negative sampling (<see cref="SkipGramTrainer"/>). The defaults suit a
/// corpus of about a million words, such as the King James Bible.
/// </summary>
public sealed record SkipGramOptions
{
    /// <summary>Length of each word vector. Default 100.</summary>
    public int Dimensions { get; init; } = 100;

    /// <summary>
    /// The widest context: for each centre word a width <c>b</c> is drawn uniformly from 1 to <see cref="Window"/>,
    /// and the <c>b</c> words either side (within the sentence) are its contexts, so near words count more. Default 5.
    /// </summary>
    public int Window { get; init; } = 5;

    /// <summary>Negative words drawn for each (centre, context) pair from the unigram distribution raised to 0.75. Default 5.</summary>
    public int Negatives { get; init; } = 5;

    /// <summary>Passes over the corpus. The learning rate falls linearly over all of them together. Default 5.</summary>
    public int Epochs { get; init; } = 5;

    /// <summary>The learning rate at the start; it falls linearly to <see cref="LearningRate"/> x 1e-4 at the end of the last epoch. Default 0.025.</summary>
    public float LearningRate { get; init; } = 0.025f;

    /// <summary>
    /// Subsampling of frequent words: each occurrence of a word with frequency <c>f</c> above this threshold <c>t</c>
    /// is kept with probability <c>sqrt(t / f)</c>, redrawn every epoch. 0 keeps every word. Default 1e-3.
    /// </summary>
    public double SubsampleThreshold { get; init; } = 1e-3;

    /// <summary>Seed of the initial vectors, the window widths, the subsampling and the negative draws. Default 1.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Throws if a setting is out of range, naming it.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A count below 1, a learning rate that is not a positive finite number,
    /// or a threshold that is negative or not finite.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Dimensions, 1, nameof(Dimensions));
        ArgumentOutOfRangeException.ThrowIfLessThan(Window, 1, nameof(Window));
        ArgumentOutOfRangeException.ThrowIfLessThan(Negatives, 1, nameof(Negatives));
        ArgumentOutOfRangeException.ThrowIfLessThan(Epochs, 1, nameof(Epochs));
        if (!(LearningRate > 0) || !float.IsFinite(LearningRate))
            throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "The learning rate must be a positive finite number.");
        if (!(SubsampleThreshold >= 0) || !double.IsFinite(SubsampleThreshold))
            throw new ArgumentOutOfRangeException(nameof(SubsampleThreshold), SubsampleThreshold, "The subsampling threshold must be 0 or a positive finite number.");
    }
}
