using System;

namespace SourceNet.Text;

/// <summary>
/// A word2vec text file is malformed: its header, a line's fields, a number or the count of lines is not what the
/// format requires. The message names the file, the byte offset and the line, what was expected and what was found.
/// </summary>
public sealed class WordVectorsFormatException : FileFormatException
{
    /// <summary>Creates the exception; the message is composed from the parts.</summary>
    /// <param name="filePath">The file (or stream name) being read.</param>
    /// <param name="offset">Byte offset of the problem.</param>
    /// <param name="line">Line of the problem, from 1.</param>
    /// <param name="expected">What the format requires there.</param>
    /// <param name="found">What the file holds there instead.</param>
    /// <param name="innerException">The underlying error, if any.</param>
    public WordVectorsFormatException(string filePath, long offset, int line, string expected, string found, Exception? innerException = null)
        : base(filePath, offset, $"(line {line}) {expected}", found, innerException)
    {
        Line = line;
    }

    /// <summary>Line of the problem, from 1.</summary>
    public int Line { get; }
}
