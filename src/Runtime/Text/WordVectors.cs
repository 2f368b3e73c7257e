using System;
using System.Collections.Generic;
using System.Numerics.Tensors;

namespace SourceNet.Text;

/// <summary>
/// One vector of <see cref="Dimensions"/> floats per word, looked up by word, with the nearest words by cosine
/// similarity. <see cref="Word2VecText"/> saves and loads them in the word2vec text format.
/// </summary>
public sealed class WordVectors
{
    private readonly string[] _words;
    private readonly float[] _values;
    private readonly Dictionary<string, int> _ids;
    private float[]? _norms;

    /// <summary>Copies <paramref name="words"/> and their vectors, <paramref name="values"/> row-major (word <c>i</c> at <c>[i * dimensions, (i + 1) * dimensions)</c>).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="dimensions"/> is below 1.</exception>
    /// <exception cref="ArgumentException">The lengths disagree; a word is empty, holds white space (which the text format
    /// cannot carry) or appears twice; or a value is not finite.</exception>
    public WordVectors(IReadOnlyList<string> words, ReadOnlySpan<float> values, int dimensions)
    {
        ArgumentNullException.ThrowIfNull(words);
        ArgumentOutOfRangeException.ThrowIfLessThan(dimensions, 1);
        if (values.Length != (long)words.Count * dimensions)
            throw new ArgumentException($"{words.Count} words of {dimensions} dimensions need {(long)words.Count * dimensions} values; got {values.Length}.", nameof(values));
        if (!TensorPrimitives.IsFiniteAll(values))
            throw new ArgumentException($"The vector of '{words[TensorPrimitives.IndexOfMaxMagnitude(values) / dimensions]}' holds a value that is not finite.", nameof(values));
        _words = new string[words.Count];
        _ids = new Dictionary<string, int>(words.Count, StringComparer.Ordinal);
        for (int i = 0; i < words.Count; i++)
        {
            string word = words[i] ?? throw new ArgumentException($"Word {i} is null.", nameof(words));
            if (word.Length == 0 || HasWhiteSpace(word))
                throw new ArgumentException($"Word {i} ('{word}') is empty or holds white space; the word2vec text format separates fields with spaces.", nameof(words));
            if (!_ids.TryAdd(word, i))
                throw new ArgumentException($"Word {i} ('{word}') appears twice (first as word {_ids[word]}).", nameof(words));
            _words[i] = word;
        }
        _values = values.ToArray();
        Dimensions = dimensions;
    }

    private static bool HasWhiteSpace(string word)
    {
        foreach (char c in word)
        {
            if (char.IsWhiteSpace(c))
                return true;
        }
        return false;
    }

    /// <summary>Number of words.</summary>
    public int Count => _words.Length;

    /// <summary>Length of each vector.</summary>
    public int Dimensions { get; }

    /// <summary>The words, in the order of their vectors.</summary>
    public IReadOnlyList<string> Words => _words;

    /// <summary>Whether <paramref name="word"/> has a vector.</summary>
    public bool Contains(string word) => _ids.ContainsKey(word);

    /// <summary>The index of <paramref name="word"/>, if it has a vector.</summary>
    public bool TryGetIndex(string word, out int index) => _ids.TryGetValue(word, out index);

    /// <summary>The vector of the word at <paramref name="index"/>.</summary>
    public ReadOnlySpan<float> this[int index] => _values.AsSpan(checked(index * Dimensions), Dimensions);

    /// <summary>The vector of <paramref name="word"/>.</summary>
    /// <exception cref="KeyNotFoundException">The word has no vector.</exception>
    public ReadOnlySpan<float> this[string word] => this[IndexOf(word)];

    /// <summary>The cosine similarity of two words' vectors.</summary>
    /// <exception cref="KeyNotFoundException">A word has no vector.</exception>
    public float Similarity(string first, string second)
    {
        int a = IndexOf(first), b = IndexOf(second);
        float[] norms = Norms();
        return Cosine(TensorPrimitives.Dot(this[a], this[b]), norms[a], norms[b]);
    }

    /// <summary>The <paramref name="count"/> words nearest to <paramref name="word"/> by cosine similarity, nearest first, the word itself left out.</summary>
    /// <exception cref="KeyNotFoundException">The word has no vector.</exception>
    public IReadOnlyList<WordSimilarity> Nearest(string word, int count)
    {
        int index = IndexOf(word);
        return Nearest(this[index], count, index);
    }

    /// <summary>The <paramref name="count"/> words nearest to <paramref name="vector"/> by cosine similarity, nearest first (ties: the earlier word first).</summary>
    /// <exception cref="ArgumentException">The vector's length is not <see cref="Dimensions"/>.</exception>
    public IReadOnlyList<WordSimilarity> Nearest(ReadOnlySpan<float> vector, int count) => Nearest(vector, count, -1);

    private IReadOnlyList<WordSimilarity> Nearest(ReadOnlySpan<float> vector, int count, int excluded)
    {
        if (vector.Length != Dimensions)
            throw new ArgumentException($"The vector has {vector.Length} values; these word vectors have {Dimensions}.", nameof(vector));
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        float[] norms = Norms();
        float norm = TensorPrimitives.Norm(vector);
        // The best so far, kept sorted, nearest first: an insertion per better word, no sort of the whole vocabulary.
        var best = new List<WordSimilarity>(count + 1);
        for (int i = 0; i < _words.Length && count > 0; i++)
        {
            if (i == excluded)
                continue;
            float similarity = Cosine(TensorPrimitives.Dot(vector, this[i]), norm, norms[i]);
            if (best.Count == count && similarity <= best[^1].Similarity)
                continue;
            int at = best.Count;
            while (at > 0 && best[at - 1].Similarity < similarity)
                at--;
            best.Insert(at, new WordSimilarity(_words[i], similarity));
            if (best.Count > count)
            {
                best.RemoveAt(count);
            }
        }
        return best;
    }

    private int IndexOf(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        return _ids.TryGetValue(word, out int index)
            ? index
            : throw new KeyNotFoundException($"'{word}' has no vector (it is not among the {_words.Length:N0} words).");
    }

    private float[] Norms()
    {
        if (_norms is null)
        {
            var norms = new float[_words.Length];
            for (int i = 0; i < norms.Length; i++)
            {
                norms[i] = TensorPrimitives.Norm(this[i]);
            }
            _norms = norms;
        }
        return _norms;
    }

    private static float Cosine(float dot, float normA, float normB) => normA == 0 || normB == 0 ? 0 : dot / (normA * normB);
}
