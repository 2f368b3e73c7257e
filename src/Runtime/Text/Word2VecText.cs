using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;

namespace SourceNet.Text;

/// <summary>
/// The word2vec text format, which gensim (<c>KeyedVectors.load_word2vec_format(path, binary=False)</c>), fastText
/// and most embedding tools read: UTF-8, a first line <c>count dimensions</c>, then one line per word,
/// <c>word v1 v2 ... vd</c>, fields separated by single spaces, numbers in the invariant culture.
/// </summary>
/// <remarks>
/// The writer ends every line with <c>\n</c> and writes each float in its shortest form that reads back to the same
/// float, so a save and a load give the vectors bit for bit. The reader is strict about what it cannot guess
/// (the field counts, the numbers, the number of lines, duplicate words) and lenient only where writers
/// differ harmlessly: a space before the end of a line (the original C tool writes one) and <c>\r\n</c> line ends.
/// It holds the whole file in memory while reading.
/// </remarks>
public static class Word2VecText
{
    private static readonly UTF8Encoding s_utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Writes <paramref name="vectors"/> to <paramref name="path"/>, replacing it only once the whole file is written.</summary>
    public static void Save(WordVectors vectors, string path)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        ArgumentNullException.ThrowIfNull(path);
        IO.AtomicFile.Write(path, stream => Write(vectors, stream));
    }

    /// <summary>Writes <paramref name="vectors"/> to <paramref name="stream"/>.</summary>
    public static void Write(WordVectors vectors, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        ArgumentNullException.ThrowIfNull(stream);
        using var writer = new StreamWriter(stream, s_utf8, bufferSize: 1 << 16, leaveOpen: true) { NewLine = "\n" };
        writer.Write(vectors.Count.ToString(CultureInfo.InvariantCulture));
        writer.Write(' ');
        writer.WriteLine(vectors.Dimensions.ToString(CultureInfo.InvariantCulture));
        Span<char> number = stackalloc char[32];
        for (int i = 0; i < vectors.Count; i++)
        {
            writer.Write(vectors.Words[i]);
            foreach (float value in vectors[i])
            {
                value.TryFormat(number, out int written, "R", CultureInfo.InvariantCulture);
                writer.Write(' ');
                writer.Write(number[..written]);
            }
            writer.WriteLine();
        }
    }

    /// <summary>Reads the file at <paramref name="path"/>.</summary>
    /// <exception cref="WordVectorsFormatException">The file is not in the format (see <see cref="Read"/>).</exception>
    public static WordVectors Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Parse(File.ReadAllBytes(path), path);
    }

    /// <summary>Reads <paramref name="stream"/> to its end; <paramref name="sourceName"/> names it in errors.</summary>
    /// <exception cref="WordVectorsFormatException">The header is not two positive integers; a line does not hold a word and
    /// exactly the header's number of finite numbers; a word appears twice; there are fewer or more lines than the header
    /// says; or the text is not UTF-8. The error names the byte offset and the line.</exception>
    public static WordVectors Read(Stream stream, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return Parse(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), sourceName);
    }

    private static WordVectors Parse(ReadOnlySpan<byte> content, string source)
    {
        var lines = new LineReader(content, source);
        if (!lines.Next(out ReadOnlySpan<char> header))
            throw lines.Error(0, "a header 'count dimensions'", "an empty file");
        string[] sizes = header.ToString().Split(' ');
        if (sizes.Length != 2 || !TryParseCount(sizes[0], out int count) || !TryParseCount(sizes[1], out int dimensions))
            throw lines.Error(0, "a header of two positive integers 'count dimensions'", $"'{Shorten(header)}'");
        if ((long)count * dimensions > Array.MaxLength)
            throw lines.Error(0, $"at most {Array.MaxLength:N0} values in all", $"{count:N0} words x {dimensions:N0} dimensions");

        var words = new string[count];
        var values = new float[count * dimensions];
        var seen = new Dictionary<string, int>(count, StringComparer.Ordinal);
        for (int w = 0; w < count; w++)
        {
            if (!lines.Next(out ReadOnlySpan<char> line))
                throw lines.Error(0, $"{count:N0} word lines, as the header says", $"the end of the file after {w:N0}");
            int space = line.IndexOf(' ');
            if (space <= 0)
                throw lines.Error(0, $"a word, then {dimensions} numbers separated by single spaces", $"'{Shorten(line)}'");
            string word = line[..space].ToString();
            if (!seen.TryAdd(word, lines.Number))
                throw lines.Error(0, "each word once", $"'{word}' again (first on line {seen[word]})");
            words[w] = word;
            ReadOnlySpan<char> rest = line[(space + 1)..];
            Span<float> vector = values.AsSpan(w * dimensions, dimensions);
            int column = space + 1;
            for (int d = 0; d < dimensions; d++)
            {
                int end = rest.IndexOf(' ');
                ReadOnlySpan<char> field = end < 0 ? rest : rest[..end];
                if (field.IsEmpty)
                    throw lines.Error(column, $"{dimensions} numbers after the word, separated by single spaces", d == 0 && rest.IsEmpty ? "no number" : $"{d} number(s) and then {(end < 0 ? "the end of the line" : "an empty field")}");
                if (!float.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out float value) || !float.IsFinite(value))
                    throw lines.Error(column, $"a finite number (value {d + 1} of '{word}')", $"'{Shorten(field)}'");
                vector[d] = value;
                if (end < 0)
                {
                    if (d != dimensions - 1)
                        throw lines.Error(column + field.Length, $"{dimensions} numbers after '{word}'", $"{d + 1}");
                    rest = default;
                    break;
                }
                rest = rest[(end + 1)..];
                column += end + 1;
            }
            if (!rest.IsEmpty)
                throw lines.Error(column, $"{dimensions} numbers after '{word}' and the end of the line", $"more: '{Shorten(rest)}'");
        }
        while (lines.Next(out ReadOnlySpan<char> extra))
        {
            if (!extra.IsWhiteSpace())
                throw lines.Error(0, $"the end of the file after the {count:N0} words the header announces", $"'{Shorten(extra)}'");
        }
        return new WordVectors(words, values, dimensions);
    }

    private static bool TryParseCount(string text, out int value) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value > 0;

    private static string Shorten(ReadOnlySpan<char> text) => text.Length > 40 ? string.Concat(text[..40], "...") : text.ToString();

    /// <summary>Lines of UTF-8 bytes, each without its line end (and without a space just before it), with byte offsets.</summary>
    private ref struct LineReader(ReadOnlySpan<byte> content, string source)
    {
        private readonly ReadOnlySpan<byte> _content = content;
        private int _next;
        private int _start;
        private string _text = "";

        /// <summary>The current line's number, from 1.</summary>
        public int Number { get; private set; }

        public bool Next(out ReadOnlySpan<char> line)
        {
            line = default;
            if (_next >= _content.Length)
                return false;
            _start = _next;
            int length = _content[_start..].IndexOf((byte)'\n');
            int end = length < 0 ? _content.Length : _start + length;
            _next = length < 0 ? _content.Length : end + 1;
            Number++;
            ReadOnlySpan<byte> bytes = _content[_start..end];
            if (bytes.EndsWith((byte)'\r'))
                bytes = bytes[..^1];
            if (bytes.EndsWith((byte)' '))
                bytes = bytes[..^1];
            try
            {
                _text = s_utf8.GetString(bytes);
            }
            catch (DecoderFallbackException e)
            {
                throw new WordVectorsFormatException(source, _start + (e.Index >= 0 ? e.Index : 0), Number, "UTF-8 text", "bytes that are not UTF-8", e);
            }
            line = _text;
            return true;
        }

        /// <summary>An error at <paramref name="column"/> characters into the current line (a byte offset for ASCII text).</summary>
        public readonly WordVectorsFormatException Error(int column, string expected, string found) =>
            new(source, _start + (long)s_utf8.GetByteCount(_text.AsSpan(0, Math.Min(column, _text.Length))), Math.Max(Number, 1), expected, found);
    }
}
