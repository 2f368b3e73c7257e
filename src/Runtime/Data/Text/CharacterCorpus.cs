using System;
using System.IO;
using System.IO.Compression;
using System.Text;

namespace SourceNet.Data.Text;

/// <summary>
/// A text as character ids for a character-level language model, split in two: the first
/// <c>floor(0.9 · length)</c> characters (by default) train, the rest validate. The split is by position, so the
/// validation text is a part of the corpus the model never reads while training (for the King James Bible: the end of
/// the New Testament).
/// </summary>
public sealed class CharacterCorpus
{
    /// <summary>The fraction of the characters that trains by default.</summary>
    public const double DefaultTrainFraction = 0.9;

    private readonly int[] _ids;

    /// <summary>The corpus of <paramref name="text"/>, its vocabulary its distinct characters.</summary>
    /// <param name="text">The preprocessed text.</param>
    /// <param name="trainFraction">The fraction of the characters, from the start, that trains; in (0, 1).</param>
    /// <exception cref="ArgumentException">The text is empty, or the fraction leaves a split empty.</exception>
    public CharacterCorpus(string text, double trainFraction = DefaultTrainFraction)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!(trainFraction > 0 && trainFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(trainFraction), trainFraction, "The train fraction is between 0 and 1, both excluded.");
        Vocabulary = new CharacterVocabulary(text);
        Text = text;
        _ids = Vocabulary.Encode(text);
        TrainLength = (int)Math.Floor(trainFraction * text.Length);
        if (TrainLength < 1 || TrainLength >= text.Length)
            throw new ArgumentException($"A text of {text.Length} characters split at {trainFraction} leaves a split empty.", nameof(text));
    }

    /// <summary>The preprocessed text.</summary>
    public string Text { get; }

    /// <summary>Its distinct characters, in ordinal order.</summary>
    public CharacterVocabulary Vocabulary { get; }

    /// <summary>Every character's id, in text order.</summary>
    public ReadOnlyMemory<int> Ids => _ids;

    /// <summary>Characters in the training split: the first <c>floor(trainFraction · length)</c>.</summary>
    public int TrainLength { get; }

    /// <summary>The training split's ids.</summary>
    public ReadOnlyMemory<int> Train => _ids.AsMemory(0, TrainLength);

    /// <summary>The validation split's ids: the characters after the training split.</summary>
    public ReadOnlyMemory<int> Validation => _ids.AsMemory(TrainLength);

    /// <summary>
    /// Reads a file of verses, one a line, each starting with its reference (<c>Ge1:1 In the beginning ...</c>), gzipped
    /// (by its first two bytes) or plain, UTF-8; keeps each line after its first space, with its newline.
    /// </summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="TextCorpusFormatException">The file is not UTF-8 text, or a line has no space after its
    /// reference; the message names the file, the byte offset and the line.</exception>
    public static CharacterCorpus LoadVerses(string path, double trainFraction = DefaultTrainFraction) =>
        new(ReadVerses(path), trainFraction);

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
