using System;
using System.Collections.Generic;

namespace SourceNet.Text;

/// <summary>
/// The words of a corpus that occur at least a minimum number of times, each with its count. Ids run from 0 in
/// order of decreasing count, ties in ordinal order of the words, so the same corpus gives the same ids everywhere.
/// </summary>
public sealed class WordVocabulary
{
    private readonly string[] _words;
    private readonly long[] _counts;
    private readonly Dictionary<string, int> _ids;

    private WordVocabulary(string[] words, long[] counts)
    {
        _words = words;
        _counts = counts;
        _ids = new Dictionary<string, int>(words.Length, StringComparer.Ordinal);
        for (int i = 0; i < words.Length; i++)
        {
            _ids.Add(words[i], i);
            TotalCount += counts[i];
        }
    }

    /// <summary>Counts the words of <paramref name="sentences"/> and keeps those seen at least <paramref name="minCount"/> times.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="minCount"/> is below 1.</exception>
    public static WordVocabulary Build(IEnumerable<IReadOnlyList<string>> sentences, int minCount)
    {
        ArgumentNullException.ThrowIfNull(sentences);
        ArgumentOutOfRangeException.ThrowIfLessThan(minCount, 1);
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (IReadOnlyList<string> sentence in sentences)
        {
            foreach (string word in sentence)
            {
                counts[word] = counts.GetValueOrDefault(word) + 1;
            }
        }
        var kept = new List<KeyValuePair<string, long>>();
        foreach (KeyValuePair<string, long> entry in counts)
        {
            if (entry.Value >= minCount)
            {
                kept.Add(entry);
            }
        }
        kept.Sort(static (a, b) => a.Value != b.Value ? b.Value.CompareTo(a.Value) : string.CompareOrdinal(a.Key, b.Key));
        var words = new string[kept.Count];
        var wordCounts = new long[kept.Count];
        for (int i = 0; i < kept.Count; i++)
        {
            (words[i], wordCounts[i]) = (kept[i].Key, kept[i].Value);
        }
        return new WordVocabulary(words, wordCounts);
    }

    /// <summary>Number of words.</summary>
    public int Count => _words.Length;

    /// <summary>The words, by id.</summary>
    public IReadOnlyList<string> Words => _words;

    /// <summary>The sum of the counts of the words kept: the corpus's length in in-vocabulary words.</summary>
    public long TotalCount { get; }

    /// <summary>The word with id <paramref name="id"/>.</summary>
    public string this[int id] => _words[id];

    /// <summary>How often the word with id <paramref name="id"/> occurs in the corpus.</summary>
    public long CountOf(int id) => _counts[id];

    /// <summary>The id of <paramref name="word"/>, if it is in the vocabulary.</summary>
    public bool TryGetId(string word, out int id) => _ids.TryGetValue(word, out id);
}
