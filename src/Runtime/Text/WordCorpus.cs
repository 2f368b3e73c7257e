using System;
using System.Collections.Generic;

namespace SourceNet.Text;

/// <summary>
/// A corpus as word ids: the sentences one after another in <see cref="Tokens"/>, sentence <c>s</c> at
/// <c>Tokens[SentenceStarts[s]..SentenceStarts[s + 1]]</c>. Words outside the vocabulary are left out, and a
/// sentence left with no word is dropped. Context windows do not cross sentence boundaries.
/// </summary>
public sealed class WordCorpus
{
    private readonly int[] _tokens;
    private readonly int[] _sentenceStarts;

    private WordCorpus(int[] tokens, int[] sentenceStarts)
    {
        _tokens = tokens;
        _sentenceStarts = sentenceStarts;
    }

    /// <summary>Every sentence's word ids, one sentence after another.</summary>
    public ReadOnlySpan<int> Tokens => _tokens;

    /// <summary>Where each sentence starts in <see cref="Tokens"/>, and one more entry: <see cref="Tokens"/>' length.</summary>
    public ReadOnlySpan<int> SentenceStarts => _sentenceStarts;

    /// <summary>Number of sentences.</summary>
    public int SentenceCount => _sentenceStarts.Length - 1;

    /// <summary>The ids of the in-vocabulary words of <paramref name="sentences"/>.</summary>
    public static WordCorpus Create(IEnumerable<IReadOnlyList<string>> sentences, WordVocabulary vocabulary)
    {
        ArgumentNullException.ThrowIfNull(sentences);
        ArgumentNullException.ThrowIfNull(vocabulary);
        var tokens = new List<int>();
        var starts = new List<int> { 0 };
        foreach (IReadOnlyList<string> sentence in sentences)
        {
            foreach (string word in sentence)
            {
                if (vocabulary.TryGetId(word, out int id))
                {
                    tokens.Add(id);
                }
            }
            if (tokens.Count > starts[^1])
            {
                starts.Add(tokens.Count);
            }
        }
        return new WordCorpus(tokens.ToArray(), starts.ToArray());
    }
}
