namespace SourceNet.Text;

/// <summary>A word and its cosine similarity to the word or vector asked about.</summary>
/// <param name="Word">The word.</param>
/// <param name="Similarity">The cosine of the angle between the two vectors, from -1 to 1 (0 if either vector is zero).</param>
public readonly record struct WordSimilarity(string Word, float Similarity);
