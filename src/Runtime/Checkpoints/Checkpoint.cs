using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;

namespace SourceNet.Checkpoints;

/// <summary>
/// Saves a network's parameter values to a file and loads them back, bit for bit.
/// </summary>
/// <remarks>
/// <para>File format, version 1. Integers and floats are little-endian; offsets in bytes.</para>
/// <code>
/// offset  size  field
///      0     4  magic, the ASCII bytes "SNCK" (53 4E 43 4B)
///      4     4  uint32 format version, 1
///      8     8  int64 length of the whole file, checksum included
///     16     4  int32 parameter count
///     20        per parameter, in <see cref="INetwork.Parameters"/> order:
///                 int32 name length in bytes (1..1024), then the name in UTF-8
///                 int32 rows, int32 columns
///                 rows * columns float32 values, row-major
///  len-4     4  uint32 CRC-32 (IEEE, as in zip/gzip) of every byte before it
/// </code>
/// <para><see cref="Save"/> is atomic: it writes a temporary file in the target's directory, flushes it
/// to disk, then renames it over the target, so the target is either the old checkpoint or the new one.</para>
/// <para><see cref="Load"/> validates the whole file first — magic, version, length, checksum, parameter
/// count, names and shapes against the network, finiteness of every value — and only then copies values
/// into the network, so a <see cref="CheckpointFormatException"/> leaves the network untouched.
/// Optimizer state is not saved.</para>
/// </remarks>
public static class Checkpoint
{
    /// <summary>The current format version.</summary>
    public const uint FormatVersion = 1;

    /// <summary>The longest parameter name, in UTF-8 bytes, that a checkpoint holds.</summary>
    public const int MaxNameLength = 1024;

    private static ReadOnlySpan<byte> Magic => "SNCK"u8;

    private const int HeaderLength = 20;
    private const int ChecksumLength = 4;
    private const int LengthOffset = 8;
    private const int CountOffset = 16;

    /// <summary>Writes the values of <paramref name="network"/>'s parameters to <paramref name="path"/>, atomically.</summary>
    /// <exception cref="InvalidOperationException">A value is NaN or infinite (such a checkpoint would not load),
    /// or a parameter name is empty or longer than <see cref="MaxNameLength"/> bytes. The target is left as it was.</exception>
    public static void Save(string path, INetwork network)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(network);

        string fullPath = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(fullPath)!;
        Parameter[] parameters = Snapshot(network.Parameters);
        byte[][] names = new byte[parameters.Length][];
        long length = HeaderLength + ChecksumLength;
        for (int i = 0; i < parameters.Length; i++)
        {
            names[i] = Encoding.UTF8.GetBytes(parameters[i].Name);
            if (names[i].Length is 0 or > MaxNameLength)
            {
                throw new InvalidOperationException($"Cannot save '{fullPath}': parameter {i} has a name of {names[i].Length} bytes; names must be 1..{MaxNameLength} bytes.");
            }
            length += 4 + names[i].Length + 8 + 4L * parameters[i].Length;
        }

        // Same directory as the target, so the final rename never crosses file systems.
        string temporary = Path.Combine(directory, $".{Path.GetFileName(fullPath)}.{Path.GetRandomFileName()}.tmp");
        try
        {
            using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1))
            {
                var writer = new ChecksumWriter(file);
                writer.WriteBytes(Magic);
                writer.WriteUInt32(FormatVersion);
                writer.WriteInt64(length);
                writer.WriteInt32(parameters.Length);
                for (int i = 0; i < parameters.Length; i++)
                {
                    Parameter parameter = parameters[i];
                    writer.WriteInt32(names[i].Length);
                    writer.WriteBytes(names[i]);
                    writer.WriteInt32(parameter.Rows);
                    writer.WriteInt32(parameter.Columns);
                    writer.WriteFiniteSingles(parameter.Value, fullPath, parameter.Name);
                }
                writer.WriteChecksum();
                file.Flush(flushToDisk: true);
            }
            File.Move(temporary, fullPath, overwrite: true);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    /// <summary>
    /// Reads the checkpoint at <paramref name="path"/> into <paramref name="network"/>'s parameters, after
    /// checking that it is intact and matches the network parameter for parameter (names and shapes).
    /// </summary>
    /// <exception cref="CheckpointFormatException">The file is malformed, corrupt, holds a NaN or infinity,
    /// or does not match the network; the network is unchanged.</exception>
    public static void Load(string path, INetwork network)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(network);

        byte[] file = File.ReadAllBytes(path);
        Parameter[] parameters = Snapshot(network.Parameters);
        int[] dataOffsets = Validate(file, path, parameters);

        // Nothing can fail from here on: every check is done, and the shapes are known to match.
        for (int i = 0; i < parameters.Length; i++)
        {
            ReadOnlySpan<byte> source = file.AsSpan(dataOffsets[i], 4 * parameters[i].Length);
            float[] destination = parameters[i].Value;
            if (BitConverter.IsLittleEndian)
            {
                source.CopyTo(MemoryMarshal.AsBytes(destination.AsSpan()));
            }
            else
            {
                for (int k = 0; k < destination.Length; k++)
                {
                    destination[k] = BinaryPrimitives.ReadSingleLittleEndian(source.Slice(4 * k, 4));
                }
            }
        }
    }

    /// <summary>Checks the whole file against the format and the network; returns where each parameter's values start.</summary>
    private static int[] Validate(byte[] file, string path, Parameter[] parameters)
    {
        ReadOnlySpan<byte> bytes = file;
        if (bytes.Length < Magic.Length || !bytes[..Magic.Length].SequenceEqual(Magic))
        {
            string found = bytes.Length < Magic.Length ? $"end of file after {bytes.Length} bytes" : Convert.ToHexString(bytes[..Magic.Length]);
            throw new CheckpointFormatException(path, 0, $"the magic number 534E434B (\"SNCK\")", found);
        }
        if (bytes.Length < HeaderLength + ChecksumLength)
        {
            throw new CheckpointFormatException(path, bytes.Length, $"a {HeaderLength}-byte header and a {ChecksumLength}-byte checksum", $"end of file after {bytes.Length} bytes (truncated)");
        }
        uint version = BinaryPrimitives.ReadUInt32LittleEndian(bytes[4..]);
        if (version != FormatVersion)
        {
            throw new CheckpointFormatException(path, 4, $"format version {FormatVersion}", $"version {version}");
        }
        long declaredLength = BinaryPrimitives.ReadInt64LittleEndian(bytes[LengthOffset..]);
        if (declaredLength < HeaderLength + ChecksumLength)
        {
            throw new CheckpointFormatException(path, LengthOffset, $"a file length of at least {HeaderLength + ChecksumLength}", declaredLength.ToString());
        }
        if (declaredLength > bytes.Length)
        {
            throw new CheckpointFormatException(path, bytes.Length, $"{declaredLength} bytes (the length in the header)", $"end of file after {bytes.Length} bytes (truncated)");
        }
        if (declaredLength < bytes.Length)
        {
            throw new CheckpointFormatException(path, declaredLength, $"end of file after {declaredLength} bytes (the length in the header)", $"{bytes.Length - declaredLength} trailing bytes");
        }

        int bodyEnd = bytes.Length - ChecksumLength;
        uint stored = BinaryPrimitives.ReadUInt32LittleEndian(bytes[bodyEnd..]);
        uint computed = Crc32.Compute(bytes[..bodyEnd]);
        if (stored != computed)
        {
            throw new CheckpointFormatException(path, bodyEnd, $"CRC-32 {computed:X8} of the preceding bytes", $"{stored:X8} (the file is corrupt)");
        }

        int count = BinaryPrimitives.ReadInt32LittleEndian(bytes[CountOffset..]);
        if (count != parameters.Length)
        {
            throw new CheckpointFormatException(path, CountOffset, $"{parameters.Length} parameters, as in the network", count.ToString());
        }

        // The checksum only proves the file is as written; a file written by something else can still be
        // malformed, so every length below is bounds-checked against the end of the parameter section.
        int[] dataOffsets = new int[parameters.Length];
        int position = HeaderLength;
        for (int i = 0; i < parameters.Length; i++)
        {
            Parameter parameter = parameters[i];
            RequireBytes(path, position, 4, bodyEnd, $"the name length of parameter {i}");
            int nameLength = BinaryPrimitives.ReadInt32LittleEndian(bytes[position..]);
            if (nameLength is <= 0 or > MaxNameLength)
            {
                throw new CheckpointFormatException(path, position, $"a name length of 1..{MaxNameLength} bytes for parameter {i}", nameLength.ToString());
            }
            position += 4;
            RequireBytes(path, position, nameLength, bodyEnd, $"the {nameLength}-byte name of parameter {i}");
            ReadOnlySpan<byte> name = bytes.Slice(position, nameLength);
            if (!name.SequenceEqual(Encoding.UTF8.GetBytes(parameter.Name)))
            {
                throw new CheckpointFormatException(path, position, $"parameter {i} named '{parameter.Name}'", $"'{Encoding.UTF8.GetString(name)}'");
            }
            position += nameLength;

            RequireBytes(path, position, 8, bodyEnd, $"the shape of '{parameter.Name}'");
            int rows = BinaryPrimitives.ReadInt32LittleEndian(bytes[position..]);
            int columns = BinaryPrimitives.ReadInt32LittleEndian(bytes[(position + 4)..]);
            if (rows != parameter.Rows || columns != parameter.Columns)
            {
                throw new CheckpointFormatException(path, position, $"shape [{parameter.Rows}, {parameter.Columns}] for '{parameter.Name}'", $"[{rows}, {columns}]");
            }
            position += 8;

            RequireBytes(path, position, 4L * parameter.Length, bodyEnd, $"{parameter.Length} values for '{parameter.Name}'");
            for (int k = 0; k < parameter.Length; k++)
            {
                float value = BinaryPrimitives.ReadSingleLittleEndian(bytes.Slice(position + 4 * k, 4));
                if (!float.IsFinite(value))
                {
                    throw new CheckpointFormatException(path, position + 4L * k, $"finite values in '{parameter.Name}'", $"{value} at index {k}");
                }
            }
            dataOffsets[i] = position;
            position += 4 * parameter.Length;
        }
        if (position != bodyEnd)
        {
            throw new CheckpointFormatException(path, position, "the checksum after the last parameter", $"{bodyEnd - position} more bytes");
        }
        return dataOffsets;
    }

    private static void RequireBytes(string path, int position, long needed, int bodyEnd, string what)
    {
        if (position + needed > bodyEnd)
        {
            throw new CheckpointFormatException(path, position, what, $"only {bodyEnd - position} bytes before the checksum");
        }
    }

    private static Parameter[] Snapshot(IReadOnlyList<Parameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var snapshot = new Parameter[parameters.Count];
        for (int i = 0; i < snapshot.Length; i++)
        {
            snapshot[i] = parameters[i] ?? throw new ArgumentException($"The network's parameter {i} is null.", nameof(parameters));
        }
        return snapshot;
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // The original error matters more than a leftover temporary file.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>Buffers little-endian writes to a stream and keeps the CRC-32 of everything written.</summary>
    private sealed class ChecksumWriter(Stream stream)
    {
        private readonly byte[] _buffer = new byte[1 << 16];
        private int _count;
        private uint _crc;

        public void WriteUInt32(uint value) => BinaryPrimitives.WriteUInt32LittleEndian(Reserve(4), value);

        public void WriteInt32(int value) => BinaryPrimitives.WriteInt32LittleEndian(Reserve(4), value);

        public void WriteInt64(long value) => BinaryPrimitives.WriteInt64LittleEndian(Reserve(8), value);

        public void WriteBytes(ReadOnlySpan<byte> bytes)
        {
            while (!bytes.IsEmpty)
            {
                if (_count == _buffer.Length)
                {
                    FlushBuffer();
                }
                int taken = Math.Min(bytes.Length, _buffer.Length - _count);
                bytes[..taken].CopyTo(_buffer.AsSpan(_count));
                _count += taken;
                bytes = bytes[taken..];
            }
        }

        /// <summary>Writes the values, refusing NaN and infinities part-way: the caller then discards the temporary file.</summary>
        public void WriteFiniteSingles(ReadOnlySpan<float> values, string path, string name)
        {
            for (int k = 0; k < values.Length; k++)
            {
                if (!float.IsFinite(values[k]))
                {
                    throw new InvalidOperationException($"Cannot save '{path}': parameter '{name}' holds {values[k]} at index {k}; a checkpoint holds finite values only.");
                }
                BinaryPrimitives.WriteSingleLittleEndian(Reserve(4), values[k]);
            }
        }

        /// <summary>Appends the CRC-32 of everything written so far and flushes it all to the stream.</summary>
        public void WriteChecksum()
        {
            FlushBuffer();
            Span<byte> checksum = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32LittleEndian(checksum, _crc);
            stream.Write(checksum);
        }

        private Span<byte> Reserve(int size)
        {
            if (_buffer.Length - _count < size)
            {
                FlushBuffer();
            }
            Span<byte> slot = _buffer.AsSpan(_count, size);
            _count += size;
            return slot;
        }

        private void FlushBuffer()
        {
            _crc = Crc32.Append(_crc, _buffer.AsSpan(0, _count));
            stream.Write(_buffer, 0, _count);
            _count = 0;
        }
    }
}
