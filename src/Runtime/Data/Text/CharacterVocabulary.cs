using System;
using System.Collections.Generic;

namespace SourceNet.Data.Text;

/// <summary>
/// The characters of a text as token ids: the distinct characters sorted by code point (ordinal), a character's id
/// its index in that list. The same text gives the same ids on every machine and culture.
/// </summary>
public sealed class CharacterVocabulary
{
    private readonly char[] _characters;
    private readonly Dictionary<char, int> _ids;

    /// <summary>The vocabulary of <paramref name="text"/>: each distinct character once, in ordinal order.</summary>
    /// <exception cref="ArgumentException">The text is empty.</exception>
    public CharacterVocabulary(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
            throw new ArgumentException("A vocabulary needs at least one character; the text is empty.", nameof(text));
        var distinct = new SortedSet<char>(Comparer<char>.Create((a, b) => a.CompareTo(b)));
        foreach (char c in text)
            distinct.Add(c);
        _characters = new char[distinct.Count];
        distinct.CopyTo(_characters);
        _ids = new Dictionary<char, int>(_characters.Length);
        for (int i = 0; i < _characters.Length; i++)
            _ids[_characters[i]] = i;
    }

    /// <summary>Number of distinct characters: ids run from 0 to <c>Count - 1</c>.</summary>
    public int Count => _characters.Length;

    /// <summary>The characters in id order.</summary>
    public IReadOnlyList<char> Characters => _characters;

    /// <summary>Whether <paramref name="c"/> has an id.</summary>
    public bool Contains(char c) => _ids.ContainsKey(c);

    /// <summary>The id of <paramref name="c"/>.</summary>
    /// <exception cref="ArgumentException">The character is not in the vocabulary.</exception>
    public int IdOf(char c) => _ids.TryGetValue(c, out int id) ? id
        : throw new ArgumentException($"The character '{Printable(c)}' (U+{(int)c:X4}) is not in the vocabulary of {Count} characters.", nameof(c));

    /// <summary>The character of <paramref name="id"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The id is outside [0, <see cref="Count"/>).</exception>
    public char CharacterOf(int id) => (uint)id < (uint)_characters.Length ? _characters[id]
        : throw new ArgumentOutOfRangeException(nameof(id), id, $"Character ids are 0 to {Count - 1}.");

    /// <summary>The ids of <paramref name="text"/>, one per character.</summary>
    /// <exception cref="ArgumentException">A character is not in the vocabulary; the message gives its position.</exception>
    public int[] Encode(ReadOnlySpan<char> text)
    {
        var ids = new int[text.Length];
        for (int i = 0; i < text.Length; i++)
        {
            if (!_ids.TryGetValue(text[i], out ids[i]))
                throw new ArgumentException($"Character {i} of the text, '{Printable(text[i])}' (U+{(int)text[i]:X4}), is not in the vocabulary of {Count} characters.", nameof(text));
        }
        return ids;
    }

    /// <summary>The text of <paramref name="ids"/>.</summary>
    public string Decode(ReadOnlySpan<int> ids)
    {
        var text = new char[ids.Length];
        for (int i = 0; i < ids.Length; i++)
            text[i] = CharacterOf(ids[i]);
        return new string(text);
    }

    private static string Printable(char c) => c switch
    {
        '\n' => "\\n",
        '\r' => "\\r",
        '\t' => "\\t",
        _ => char.IsControl(c) ? "?" : c.ToString(),
    };
}
