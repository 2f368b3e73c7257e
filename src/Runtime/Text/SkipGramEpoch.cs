namespace SourceNet.Text;

/// <summary>What one epoch of <see cref="SkipGramTrainer"/> did.</summary>
/// <param name="Epoch">The epoch's number, from 1.</param>
/// <param name="WordsKept">Words left after subsampling, each a centre word once.</param>
/// <param name="Pairs">(centre, context) pairs trained on.</param>
/// <param name="MeanLoss">The mean loss of a pair (its context and its negatives together), measured before each pair's step.</param>
/// <param name="LearningRate">The learning rate at the end of the epoch.</param>
/// <param name="Seconds">Wall-clock seconds the epoch took.</param>
public sealed record SkipGramEpoch(int Epoch, long WordsKept, long Pairs, double MeanLoss, float LearningRate, double Seconds);
