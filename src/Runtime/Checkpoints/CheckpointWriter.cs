using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Hashing;
using System.Text;

namespace SourceNet.Checkpoints;

/// <summary>Buffers little-endian writes to a stream and keeps the CRC-32 of everything written.</summary>
internal sealed class CheckpointWriter(Stream stream, string path)
{
    private readonly byte[] _buffer = new byte[1 << 16];
    private readonly Crc32 _crc = new();
    private int _count;

    public void WriteByte(byte value) => Reserve(1)[0] = value;

    public void WriteUInt32(uint value) => BinaryPrimitives.WriteUInt32LittleEndian(Reserve(4), value);

    public void WriteInt32(int value) => BinaryPrimitives.WriteInt32LittleEndian(Reserve(4), value);

    public void WriteInt64(long value) => BinaryPrimitives.WriteInt64LittleEndian(Reserve(8), value);

    public void WriteSingle(float value) => BinaryPrimitives.WriteSingleLittleEndian(Reserve(4), value);

    /// <summary>int32 byte length, then the UTF-8 bytes.</summary>
    public void WriteString(string value)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(value);
        WriteInt32(bytes.Length);
        WriteBytes(bytes);
    }

    public void WriteBytes(ReadOnlySpan<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            if (_count == _buffer.Length)
                FlushBuffer();
            int taken = Math.Min(bytes.Length, _buffer.Length - _count);
            bytes[..taken].CopyTo(_buffer.AsSpan(_count));
            _count += taken;
            bytes = bytes[taken..];
        }
    }

    /// <summary>Writes the values, refusing NaN and infinities part-way: the caller then discards the temporary file.</summary>
    public void WriteFiniteSingles(ReadOnlySpan<float> values, string what)
    {
        for (int k = 0; k < values.Length; k++)
        {
            if (!float.IsFinite(values[k]))
                throw new InvalidOperationException($"Cannot save '{path}': {what} holds {values[k]} at index {k}; a checkpoint holds finite values only.");
            BinaryPrimitives.WriteSingleLittleEndian(Reserve(4), values[k]);
        }
    }

    /// <summary>Appends the CRC-32 of everything written so far and flushes it all to the stream.</summary>
    public void WriteChecksum()
    {
        FlushBuffer();
        Span<byte> checksum = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(checksum, _crc.GetCurrentHashAsUInt32());
        stream.Write(checksum);
    }

    private Span<byte> Reserve(int size)
    {
        if (_buffer.Length - _count < size)
            FlushBuffer();
        Span<byte> slot = _buffer.AsSpan(_count, size);
        _count += size;
        return slot;
    }

    private void FlushBuffer()
    {
        _crc.Append(_buffer.AsSpan(0, _count));
        stream.Write(_buffer, 0, _count);
        _count = 0;
    }
}
