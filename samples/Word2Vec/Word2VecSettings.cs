using SourceNet.Text;

namespace SourceNet.Samples.Word2Vec;

/// <summary>What one run of the sample is told.</summary>
/// <param name="Corpus">The verse file to train on.</param>
/// <param name="MinCount">Words seen fewer times are left out.</param>
/// <param name="Training">The skip-gram settings.</param>
/// <param name="Words">The words whose neighbours are printed, lower-cased.</param>
/// <param name="Neighbours">Neighbours printed per word.</param>
/// <param name="Output">Where the vectors are saved; null for nowhere.</param>
public sealed record Word2VecSettings(string Corpus, int MinCount, SkipGramOptions Training, IReadOnlyList<string> Words, int Neighbours, string? Output);
