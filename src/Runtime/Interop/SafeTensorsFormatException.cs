namespace SourceNet.Interop;

/// <summary>
/// A safetensors file is malformed or does not fit the network it is loaded into. When it is thrown, the
/// network has not been modified.
/// </summary>
public sealed class SafeTensorsFormatException : FileFormatException
{
    /// <summary>Creates the exception; the message is composed from the four parts.</summary>
    /// <param name="filePath">The safetensors file.</param>
    /// <param name="offset">Byte offset of the problem in the file.</param>
    /// <param name="expected">What the format (or the network) requires there.</param>
    /// <param name="found">What the file holds there instead.</param>
    public SafeTensorsFormatException(string filePath, long offset, string expected, string found)
        : base(filePath, offset, expected, found, null)
    {
    }
}
