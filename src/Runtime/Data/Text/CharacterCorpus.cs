using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Text;

namespace SourceNet.Data.Text;

/// <summary>
/// A text as character ids for a character-level language model, split by line (by verse, for a file of verses):
/// every tenth line (lines 10, 20, 30, ...; by default) validates and the others train, each split its lines joined
/// in order. Splitting by line keeps the validation text from the same books, chapters and style as the training text
/// (a split at a position would validate the King James Bible on the last epistles and Revelation alone), while no
/// validation line is ever trained on.
/// </summary>
public sealed class CharacterCorpus
{
    /// <summary>Every how many lines one validates, by default: lines 10, 20, 30, ...</summary>
    public const int DefaultValidationEvery = 10;

    private readonly int[] _ids;
    private readonly int[] _train;
    private readonly int[] _validation;

    /// <summary>The corpus of <paramref name="text"/>, its vocabulary its distinct characters.</summary>
    /// <param name="text">The preprocessed text, one unit of the split a line (each keeps its newline).</param>
    /// <param name="validationEvery">Lines whose 1-based number is a multiple of this validate; at least 2.</param>
    /// <exception cref="ArgumentException">The text is empty, or the split leaves a part empty (fewer lines than <paramref name="validationEvery"/>).</exception>
    public CharacterCorpus(string text, int validationEvery = DefaultValidationEvery)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (validationEvery < 2)
            throw new ArgumentOutOfRangeException(nameof(validationEvery), validationEvery, "Every how many lines one validates: at least 2, so that some lines train.");
        Vocabulary = new CharacterVocabulary(text);
        Text = text;
        _ids = Vocabulary.Encode(text);
        var train = new List<int>(text.Length);
        var validation = new List<int>(text.Length / validationEvery + 1);
        int line = 1, start = 0;
        while (start < text.Length)
        {
            int end = text.IndexOf('\n', start);
            int next = end < 0 ? text.Length : end + 1;
            (line % validationEvery == 0 ? validation : train).AddRange(new ArraySegment<int>(_ids, start, next - start));
            start = next;
            line++;
        }
        if (train.Count == 0 || validation.Count == 0)
            throw new ArgumentException($"A text of {line - 1} lines leaves a split empty when every {validationEvery}th line validates.", nameof(text));
        _train = train.ToArray();
        _validation = validation.ToArray();
    }

    /// <summary>The preprocessed text.</summary>
    public string Text { get; }

    /// <summary>Its distinct characters, in ordinal order.</summary>
    public CharacterVocabulary Vocabulary { get; }

    /// <summary>Every character's id, in text order.</summary>
    public ReadOnlyMemory<int> Ids => _ids;

    /// <summary>Characters in the training split.</summary>
    public int TrainLength => _train.Length;

    /// <summary>The training split's ids: the lines that do not validate, joined in order.</summary>
    public ReadOnlyMemory<int> Train => _train;

    /// <summary>The validation split's ids: every <c>validationEvery</c>-th line, joined in order.</summary>
    public ReadOnlyMemory<int> Validation => _validation;

    /// <summary>
    /// Reads a file of verses, one a line, each starting with its reference (<c>Ge1:1 In the beginning ...</c>), gzipped
    /// (by its first two bytes) or plain, UTF-8; keeps each line after its first space, with its newline.
    /// </summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="TextCorpusFormatException">The file is not UTF-8 text, or a line has no space after its
    /// reference; the message names the file, the byte offset and the line.</exception>
    public static CharacterCorpus LoadVerses(string path, int validationEvery = DefaultValidationEvery) =>
        new(ReadVerses(path), validationEvery);

    /// <summary>The text of a verse file with each line's reference removed (see <see cref="LoadVerses"/>).</summary>
    public static string ReadVerses(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        byte[] bytes = ReadAllBytes(path);
        if (bytes.Length == 0)
            throw new TextCorpusFormatException(path, 0, "at least one verse line", "an empty text");
        string raw;
        try
        {
            raw = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            throw new TextCorpusFormatException(path, e.Index, "UTF-8 text", $"an invalid byte 0x{(e.BytesUnknown is { Length: > 0 } b ? b[0] : 0):X2}", e);
        }
        var text = new StringBuilder(raw.Length);
        int line = 1, start = 0;
        while (start < raw.Length)
        {
            int end = raw.IndexOf('\n', start);
            int next = end < 0 ? raw.Length : end + 1;
            int space = raw.IndexOf(' ', start, next - start);
            if (space < 0)
            {
                long offset = Encoding.UTF8.GetByteCount(raw.AsSpan(0, start));
                string found = raw.Substring(start, Math.Min(40, next - start)).TrimEnd('\n', '\r');
                throw new TextCorpusFormatException(path, offset, $"line {line} to be a verse reference, a space and the verse", $"'{found}' with no space");
            }
            text.Append(raw, space + 1, next - space - 1);
            start = next;
            line++;
        }
        return text.ToString();
    }

    private static byte[] ReadAllBytes(string path)
    {
        byte[] file = File.ReadAllBytes(path);
        if (file.Length < 2 || file[0] != 0x1f || file[1] != 0x8b)
            return file;
        try
        {
            using var gzip = new GZipStream(new MemoryStream(file), CompressionMode.Decompress);
            using var text = new MemoryStream();
            gzip.CopyTo(text);
            return text.ToArray();
        }
        catch (InvalidDataException e)
        {
            throw new TextCorpusFormatException(path, 0, "a complete gzip stream", "a corrupt or truncated one: " + e.Message, e);
        }
    }
}

/// <summary>A text corpus file is not what its reader expects (see <see cref="CharacterCorpus.LoadVerses"/>).</summary>
public sealed class TextCorpusFormatException : FileFormatException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="filePath">The file.</param>
    /// <param name="offset">Byte offset of the problem (in the decompressed text for a gzipped file).</param>
    /// <param name="expected">What was expected.</param>
    /// <param name="found">What was found.</param>
    /// <param name="innerException">The underlying error, if any.</param>
    public TextCorpusFormatException(string filePath, long offset, string expected, string found, Exception? innerException = null)
        : base(filePath, offset, expected, found, innerException)
    {
    }
}
