using System;
using System.Collections.Generic;

namespace SourceNet.Text;

/// <summary>
/// Splits text into lower-case words: a word is a maximal run of letters and apostrophes, with the apostrophes at
/// either end removed (in English prose those are quotation marks or the plural possessive, <c>fathers'</c>, which
/// then counts as <c>fathers</c>); a run of apostrophes alone is no word. Everything else (spaces, digits,
/// punctuation, hyphens) separates words. Letters are lower-cased with the invariant culture, so the result is the
/// same on every machine.
/// </summary>
public static class WordTokenizer
{
    /// <summary>The words of <paramref name="text"/>, in order.</summary>
    public static List<string> Tokenize(ReadOnlySpan<char> text)
    {
        var words = new List<string>();
        Tokenize(text, words);
        return words;
    }

    /// <summary>Appends the words of <paramref name="text"/> to <paramref name="words"/>, in order.</summary>
    public static void Tokenize(ReadOnlySpan<char> text, List<string> words)
    {
        ArgumentNullException.ThrowIfNull(words);
        int i = 0;
        while (i < text.Length)
        {
            if (!IsWordCharacter(text[i]))
            {
                i++;
                continue;
            }
            int start = i;
            while (i < text.Length && IsWordCharacter(text[i]))
            {
                i++;
            }
            ReadOnlySpan<char> run = text[start..i].Trim('\'');
            if (!run.IsEmpty)
            {
                words.Add(ToLower(run));
            }
        }
    }

    /// <summary>Whether <paramref name="c"/> belongs to a word: a letter or an apostrophe.</summary>
    public static bool IsWordCharacter(char c) => char.IsLetter(c) || c == '\'';

    private static string ToLower(ReadOnlySpan<char> word) =>
        string.Create(word.Length, word, static (destination, source) => source.ToLowerInvariant(destination));
}
