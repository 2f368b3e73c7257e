using System;
using System.Buffers.Binary;
using System.Globalization;
using System.IO;

namespace SourceNet.Checkpoints;

// Load's first read: the 20-byte header, checked against the file's length before the rest is read, so a
// large file that is not a checkpoint (or claims another length, or is too large to load) is refused at once
// instead of after reading all of it.
public static partial class Checkpoint
{
    /// <summary>The file's bytes, read only after its header has passed <see cref="CheckHeader"/>.</summary>
    private static byte[] ReadHeaderFirst(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        long length = stream.Length;
        if (length >= HeaderLength)
        {
            Span<byte> header = stackalloc byte[HeaderLength];
            stream.ReadExactly(header);
            CheckHeader(header, length, path);
            stream.Position = 0;
        }
        // Shorter files are a few bytes: Validate reports what is missing.
        byte[] file = GC.AllocateUninitializedArray<byte>((int)length);
        stream.ReadExactly(file);
        return file;
    }

    /// <summary>Magic, version and the declared length against the file's, with Validate's words for each; and a length an array can hold.</summary>
    private static void CheckHeader(ReadOnlySpan<byte> header, long fileLength, string path)
    {
        if (!header[..Magic.Length].SequenceEqual(Magic))
            throw new CheckpointFormatException(path, 0, "the magic number 534E434B (\"SNCK\")", Convert.ToHexString(header[..Magic.Length]));
        uint version = BinaryPrimitives.ReadUInt32LittleEndian(header[4..]);
        if (version is not (1 or 2 or FormatVersion))
            throw new CheckpointFormatException(path, 4, $"format version 1, 2 or {FormatVersion}", $"version {version}");
        long declaredLength = BinaryPrimitives.ReadInt64LittleEndian(header[LengthOffset..]);
        if (declaredLength < HeaderLength + ChecksumLength)
            throw new CheckpointFormatException(path, LengthOffset, $"a file length of at least {HeaderLength + ChecksumLength}", declaredLength.ToString(CultureInfo.InvariantCulture));
        if (declaredLength > fileLength)
            throw new CheckpointFormatException(path, fileLength, $"{declaredLength} bytes (the length in the header)", $"end of file after {fileLength} bytes (truncated)");
        if (declaredLength < fileLength)
            throw new CheckpointFormatException(path, declaredLength, $"end of file after {declaredLength} bytes (the length in the header)", $"{fileLength - declaredLength} trailing bytes");
        if (fileLength > Array.MaxLength)
            throw new CheckpointFormatException(path, LengthOffset, $"a checkpoint of at most {Array.MaxLength:N0} bytes (what one array can hold)", $"{fileLength:N0} bytes");
    }
}
