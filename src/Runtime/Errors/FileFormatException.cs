using System;

namespace SourceNet;

/// <summary>
/// A file SourceNet reads is malformed, corrupt or does not fit what it is loaded into. Every such error
/// names the same four things, so a user can find the problem with a hex viewer: the file, the byte
/// offset, what was expected there and what was found.
/// </summary>
public abstract class FileFormatException : Exception
{
    /// <summary>Creates the exception; the message is composed from the four parts.</summary>
    /// <param name="filePath">The file (or stream name) being read.</param>
    /// <param name="offset">Byte offset of the problem.</param>
    /// <param name="expected">What the format requires at that offset.</param>
    /// <param name="found">What the file holds there instead.</param>
    /// <param name="innerException">The underlying error, if any.</param>
    protected FileFormatException(string filePath, long offset, string expected, string found, Exception? innerException)
        : base($"{filePath}: at byte {offset}, expected {expected}, found {found}", innerException)
    {
        FilePath = filePath;
        Offset = offset;
        Expected = expected;
        Found = found;
    }

    /// <summary>The file (or stream name) being read.</summary>
    public string FilePath { get; }

    /// <summary>Byte offset of the problem.</summary>
    public long Offset { get; }

    /// <summary>What the format requires at <see cref="Offset"/>.</summary>
    public string Expected { get; }

    /// <summary>What the file holds at <see cref="Offset"/> instead.</summary>
    public string Found { get; }
}
