using System;
using System.Buffers.Binary;
using System.Text;

namespace SourceNet.Checkpoints;

/// <summary>
/// Reads a checkpoint's body front to back. Every read is bounds-checked against the end of the body (the
/// checksum proves only that the file is as written, not that whoever wrote it followed the format), and every
/// failure is a <see cref="CheckpointFormatException"/> naming the offset and what was being read.
/// </summary>
internal ref struct CheckpointReader(ReadOnlySpan<byte> bytes, string path, int position, int end)
{
    private readonly ReadOnlySpan<byte> _bytes = bytes;

    public int Position { get; private set; } = position;

    public readonly string Path => path;

    public readonly int Remaining => end - Position;

    public int ReadInt32(string what)
    {
        Require(4, what);
        int value = BinaryPrimitives.ReadInt32LittleEndian(_bytes[Position..]);
        Position += 4;
        return value;
    }

    public long ReadInt64(string what)
    {
        Require(8, what);
        long value = BinaryPrimitives.ReadInt64LittleEndian(_bytes[Position..]);
        Position += 8;
        return value;
    }

    public byte ReadByte(string what)
    {
        Require(1, what);
        return _bytes[Position++];
    }

    public float ReadSingle(string what)
    {
        Require(4, what);
        float value = BinaryPrimitives.ReadSingleLittleEndian(_bytes[Position..]);
        Position += 4;
        return value;
    }

    /// <summary>An int32 length in [<paramref name="min"/>, <paramref name="max"/>] then that many bytes.</summary>
    public ReadOnlySpan<byte> ReadLengthPrefixed(int min, int max, string what)
    {
        int start = Position;
        int length = ReadInt32($"the length of {what}");
        if (length < min || length > max)
            throw new CheckpointFormatException(path, start, $"a length of {min}..{max} bytes for {what}", length.ToString());
        Require(length, $"{length} bytes for {what}");
        ReadOnlySpan<byte> value = _bytes.Slice(Position, length);
        Position += length;
        return value;
    }

    /// <summary>Reads a length-prefixed UTF-8 name and checks it is <paramref name="expected"/>.</summary>
    public void ExpectName(string expected, int maxLength, string what)
    {
        int at = Position + 4;
        ReadOnlySpan<byte> name = ReadLengthPrefixed(1, maxLength, $"the name of {what}");
        if (!name.SequenceEqual(Encoding.UTF8.GetBytes(expected)))
            throw new CheckpointFormatException(path, at, $"{what} named '{expected}'", $"'{Encoding.UTF8.GetString(name)}'");
    }

    /// <summary>Skips <paramref name="count"/> floats after checking each is finite; returns where they start.</summary>
    public int SkipFiniteSingles(int count, string what)
    {
        int start = Position;
        Require(4L * count, $"{count} values for {what}");
        for (int k = 0; k < count; k++)
        {
            float value = BinaryPrimitives.ReadSingleLittleEndian(_bytes.Slice(start + 4 * k, 4));
            if (!float.IsFinite(value))
                throw new CheckpointFormatException(path, start + 4L * k, $"finite values in {what}", $"{value} at index {k}");
        }
        Position += 4 * count;
        return start;
    }

    public readonly void Require(long needed, string what)
    {
        if (Position + needed > end)
            throw new CheckpointFormatException(path, Position, what, $"only {end - Position} bytes before the checksum");
    }
}
