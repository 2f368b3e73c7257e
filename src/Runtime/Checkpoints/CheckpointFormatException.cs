using System;

namespace SourceNet.Checkpoints;

/// <summary>
/// A checkpoint file is malformed, corrupt, or does not fit the network it is loaded into. The message
/// names the file, the byte offset, what was expected there and what was found. When it is thrown,
/// the network has not been modified.
/// </summary>
public sealed class CheckpointFormatException : Exception
{
    /// <summary>Creates the exception; the message is composed from the four parts.</summary>
    /// <param name="filePath">The checkpoint file.</param>
    /// <param name="offset">Byte offset of the problem in the file.</param>
    /// <param name="expected">What the format (or the network) requires there.</param>
    /// <param name="found">What the file holds there instead.</param>
    public CheckpointFormatException(string filePath, long offset, string expected, string found)
        : base($"{filePath}: at byte {offset}, expected {expected}, found {found}")
    {
        FilePath = filePath;
        Offset = offset;
        Expected = expected;
        Found = found;
    }

    /// <summary>The checkpoint file.</summary>
    public string FilePath { get; }

    /// <summary>Byte offset of the problem in the file.</summary>
    public long Offset { get; }

    /// <summary>What the format (or the network) requires at <see cref="Offset"/>.</summary>
    public string Expected { get; }

    /// <summary>What the file holds at <see cref="Offset"/> instead.</summary>
    public string Found { get; }
}
