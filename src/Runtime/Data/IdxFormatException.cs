using System;

namespace SourceNet.Data;

/// <summary>
/// An IDX file (or an MNIST set built from IDX files) is malformed: its header, shape, length or
/// compressed stream is not what it must be. For a gzip file, <see cref="FileFormatException.Offset"/>
/// counts decompressed bytes.
/// </summary>
public sealed class IdxFormatException : FileFormatException
{
    /// <summary>Creates the exception; the message is composed from the four parts.</summary>
    /// <param name="filePath">The file (or stream name) being read.</param>
    /// <param name="offset">Byte offset of the problem in the IDX content (after decompression, for gzip files).</param>
    /// <param name="expected">What the format requires at that offset.</param>
    /// <param name="found">What the file holds there instead.</param>
    /// <param name="innerException">The underlying error, such as the decompressor's <see cref="System.IO.InvalidDataException"/>.</param>
    public IdxFormatException(string filePath, long offset, string expected, string found, Exception? innerException = null)
        : base(filePath, offset, expected, found, innerException)
    {
    }
}
