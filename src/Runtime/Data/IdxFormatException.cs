using System;

namespace SourceNet.Data;

/// <summary>
/// An IDX file (or an MNIST set built from IDX files) is malformed: its header, shape, length or
/// compressed stream is not what it must be. The message names the file, the byte offset, what was
/// expected there and what was found.
/// </summary>
public sealed class IdxFormatException : Exception
{
    /// <summary>Creates the exception; the message is composed from the four parts.</summary>
    /// <param name="filePath">The file (or stream name) being read.</param>
    /// <param name="offset">Byte offset of the problem in the IDX content (after decompression, for gzip files).</param>
    /// <param name="expected">What the format requires at that offset.</param>
    /// <param name="found">What the file holds there instead.</param>
    /// <param name="innerException">The underlying error, such as the decompressor's <see cref="System.IO.InvalidDataException"/>.</param>
    public IdxFormatException(string filePath, long offset, string expected, string found, Exception? innerException = null)
        : base($"{filePath}: at byte {offset}, expected {expected}, found {found}", innerException)
    {
        FilePath = filePath;
        Offset = offset;
        Expected = expected;
        Found = found;
    }

    /// <summary>The file (or stream name) being read.</summary>
    public string FilePath { get; }

    /// <summary>Byte offset of the problem in the IDX content; for a gzip file, an offset into the decompressed bytes.</summary>
    public long Offset { get; }

    /// <summary>What the format requires at <see cref="Offset"/>.</summary>
    public string Expected { get; }

    /// <summary>What the file holds at <see cref="Offset"/> instead.</summary>
    public string Found { get; }
}
