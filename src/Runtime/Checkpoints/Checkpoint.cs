using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using SourceNet.IO;

namespace SourceNet.Checkpoints;

/// <summary>
/// Saves a training run to a file — the network's parameters, the optimizer's state and the caller's metadata
/// (epoch, sampler and generator states) — and loads it back, bit for bit, so that a resumed run continues
/// exactly as the uninterrupted one would have.
/// </summary>
/// <remarks>
/// <para>File format, version 2. Integers and floats are little-endian; a <i>string</i> is an int32 byte
/// length then that many UTF-8 bytes. The full table is in <c>docs/interop.md</c>.</para>
/// <code>
/// offset  size  field
///      0     4  magic, the ASCII bytes "SNCK" (53 4E 43 4B)
///      4     4  uint32 format version, 2 (version 1 files, parameters only, still load)
///      8     8  int64 length of the whole file, checksum included
///     16     4  int32 parameter count P
///     20        P parameters, in INetwork.Parameters order:
///                 string name (1..1024 bytes), int32 rows, int32 columns, rows * columns float32, row-major
///               optimizer: string kind (0 bytes: no optimizer state; the rest is then absent)
///                 int64 step count
///                 int32 H, then H x (string name, float32 value): hyper-parameters
///                 int32 S, then S x string: slot names (Adam: m, v)
///                 P x (uint8 0: no state yet | 1: S x (rows * columns float32))
///               metadata: int32 E, then E x (string key, int32 length, bytes), keys in ordinal order
///  len-4     4  uint32 CRC-32 (IEEE, as in zip/gzip) of every byte before it
/// </code>
/// <para><see cref="Save"/> is atomic: it writes a temporary file in the target's directory, flushes it
/// to disk, then renames it over the target, so the target is either the old checkpoint or the new one.</para>
/// <para><see cref="Load"/> validates the whole file first — magic, version, length, checksum, names and
/// shapes against the network, the optimizer's kind, hyper-parameters and slots, finiteness of every value —
/// and only then copies values into the network and the optimizer, so a <see cref="CheckpointFormatException"/>
/// leaves both untouched.</para>
/// </remarks>
public static class Checkpoint
{
    /// <summary>The format version <see cref="Save"/> writes.</summary>
    public const uint FormatVersion = 2;

    /// <summary>The longest parameter name, in UTF-8 bytes, that a checkpoint holds.</summary>
    public const int MaxNameLength = 1024;

    private static ReadOnlySpan<byte> Magic => "SNCK"u8;

    private const int HeaderLength = 20;
    private const int ChecksumLength = 4;
    private const int LengthOffset = 8;
    private const int CountOffset = 16;

    /// <summary>
    /// Writes <paramref name="network"/>'s parameters, and <paramref name="optimizer"/>'s state and
    /// <paramref name="metadata"/> when given, to <paramref name="path"/>, atomically.
    /// </summary>
    /// <exception cref="InvalidOperationException">A value is NaN or infinite (such a checkpoint would not load),
    /// or a parameter name is empty or longer than <see cref="MaxNameLength"/> bytes. The target is left as it was.</exception>
    public static void Save(string path, INetwork network, Optimizer? optimizer = null, CheckpointMetadata? metadata = null) =>
        SaveCore(path, network, optimizer, metadata, wrap: null);

    /// <summary><see cref="Save(string, INetwork, Optimizer?, CheckpointMetadata?)"/> with a hook that wraps the
    /// file stream, so tests can make the write fail part-way.</summary>
    internal static void SaveCore(string path, INetwork network, Optimizer? optimizer, CheckpointMetadata? metadata, Func<Stream, Stream>? wrap)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(network);
        string fullPath = Path.GetFullPath(path);
        Parameter[] parameters = Snapshot(network.Parameters);
        for (int i = 0; i < parameters.Length; i++)
        {
            int nameLength = System.Text.Encoding.UTF8.GetByteCount(parameters[i].Name);
            if (nameLength is 0 or > MaxNameLength)
                throw new InvalidOperationException($"Cannot save '{fullPath}': parameter {i} has a name of {nameLength} bytes; names must be 1..{MaxNameLength} bytes.");
        }

        AtomicFile.Write(fullPath, stream =>
        {
            // The length field comes before the content, so count first: a seek back would need a seekable stream.
            var counter = new CountingStream();
            WriteBody(new CheckpointWriter(counter, fullPath), parameters, optimizer, metadata, length: 0);
            WriteBody(new CheckpointWriter(stream, fullPath), parameters, optimizer, metadata, counter.Length);
        }, wrap);
    }

    private static void WriteBody(CheckpointWriter writer, Parameter[] parameters, Optimizer? optimizer, CheckpointMetadata? metadata, long length)
    {
        writer.WriteBytes(Magic);
        writer.WriteUInt32(FormatVersion);
        writer.WriteInt64(length);
        writer.WriteInt32(parameters.Length);
        foreach (Parameter parameter in parameters)
        {
            writer.WriteString(parameter.Name);
            writer.WriteInt32(parameter.Rows);
            writer.WriteInt32(parameter.Columns);
            writer.WriteFiniteSingles(parameter.Value, $"parameter '{parameter.Name}'");
        }

        if (optimizer is null)
        {
            writer.WriteInt32(0);
        }
        else
        {
            writer.WriteString(optimizer.Kind);
            writer.WriteInt64(optimizer.StepCount);
            IReadOnlyList<KeyValuePair<string, float>> hyper = optimizer.HyperParameters;
            writer.WriteInt32(hyper.Count);
            foreach (KeyValuePair<string, float> entry in hyper)
            {
                writer.WriteString(entry.Key);
                writer.WriteSingle(entry.Value);
            }
            IReadOnlyList<string> slots = optimizer.SlotNames;
            writer.WriteInt32(slots.Count);
            foreach (string slot in slots)
            {
                writer.WriteString(slot);
            }
            foreach (Parameter parameter in parameters)
            {
                bool present = slots.Count > 0 && optimizer.TryGetSlot(parameter, 0, out _);
                writer.WriteByte(present ? (byte)1 : (byte)0);
                for (int s = 0; present && s < slots.Count; s++)
                {
                    optimizer.TryGetSlot(parameter, s, out ReadOnlySpan<float> values);
                    writer.WriteFiniteSingles(values, $"the optimizer's '{slots[s]}' for '{parameter.Name}'");
                }
            }
        }

        writer.WriteInt32(metadata?.Count ?? 0);
        if (metadata is not null)
        {
            foreach (KeyValuePair<string, byte[]> entry in metadata)
            {
                writer.WriteString(entry.Key);
                writer.WriteInt32(entry.Value.Length);
                writer.WriteBytes(entry.Value);
            }
        }
        writer.WriteChecksum();
    }

    /// <summary>
    /// Reads the checkpoint at <paramref name="path"/> into <paramref name="network"/>'s parameters and, when
    /// given, <paramref name="optimizer"/>'s state, after checking that it is intact and matches both.
    /// </summary>
    /// <returns>The metadata saved with the checkpoint (empty for one saved without, and for version 1 files).</returns>
    /// <exception cref="CheckpointFormatException">The file is malformed, corrupt, holds a NaN or infinity, or
    /// does not match the network or the optimizer (the message names the first mismatch); the network and the
    /// optimizer are unchanged.</exception>
    public static CheckpointMetadata Load(string path, INetwork network, Optimizer? optimizer = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(network);

        byte[] file = File.ReadAllBytes(path);
        Parameter[] parameters = Snapshot(network.Parameters);
        Contents contents = Validate(file, path, parameters, optimizer);

        // Nothing can fail from here on: every check is done, and the shapes are known to match.
        for (int i = 0; i < parameters.Length; i++)
        {
            ReadSingles(file.AsSpan(contents.DataOffsets[i], 4 * parameters[i].Length), parameters[i].Value);
        }
        if (optimizer is not null && contents.Slots is not null)
        {
            optimizer.RestoreState(contents.StepCount, parameters, contents.Slots);
        }
        return contents.Metadata;
    }

    private sealed record Contents(int[] DataOffsets, long StepCount, float[][]?[]? Slots, CheckpointMetadata Metadata);

    /// <summary>Checks the whole file against the format, the network and the optimizer, and reads what is not parameters.</summary>
    private static Contents Validate(byte[] file, string path, Parameter[] parameters, Optimizer? optimizer)
    {
        ReadOnlySpan<byte> bytes = file;
        uint version = ValidateEnvelope(bytes, path);
        int bodyEnd = bytes.Length - ChecksumLength;

        int count = BinaryPrimitives.ReadInt32LittleEndian(bytes[CountOffset..]);
        if (count != parameters.Length)
            throw new CheckpointFormatException(path, CountOffset, $"{parameters.Length} parameters, as in the network", count.ToString(CultureInfo.InvariantCulture));

        var reader = new CheckpointReader(bytes, path, HeaderLength, bodyEnd);
        int[] dataOffsets = new int[parameters.Length];
        for (int i = 0; i < parameters.Length; i++)
        {
            Parameter parameter = parameters[i];
            reader.ExpectName(parameter.Name, MaxNameLength, $"parameter {i}");
            int shapeAt = reader.Position;
            int rows = reader.ReadInt32($"the shape of '{parameter.Name}'");
            int columns = reader.ReadInt32($"the shape of '{parameter.Name}'");
            if (rows != parameter.Rows || columns != parameter.Columns)
                throw new CheckpointFormatException(path, shapeAt, $"shape [{parameter.Rows}, {parameter.Columns}] for '{parameter.Name}'", $"[{rows}, {columns}]");
            dataOffsets[i] = reader.SkipFiniteSingles(parameter.Length, $"'{parameter.Name}'");
        }

        long stepCount = 0;
        float[][]?[]? slots = null;
        var metadata = new CheckpointMetadata();
        if (version == 1)
        {
            if (optimizer is not null)
                throw new CheckpointFormatException(path, 4, $"format version 2, with the state of the {optimizer.Kind} optimizer", "version 1, which holds parameters only: load it without an optimizer");
        }
        else
        {
            (stepCount, slots) = ReadOptimizer(bytes, ref reader, parameters, optimizer);
            ReadMetadata(ref reader, metadata);
        }
        if (reader.Remaining != 0)
            throw new CheckpointFormatException(path, reader.Position, "the checksum after the last section", $"{reader.Remaining} more bytes");
        return new Contents(dataOffsets, stepCount, slots, metadata);
    }

    /// <summary>Magic, version, length and checksum; returns the version.</summary>
    private static uint ValidateEnvelope(ReadOnlySpan<byte> bytes, string path)
    {
        if (bytes.Length < Magic.Length || !bytes[..Magic.Length].SequenceEqual(Magic))
        {
            string found = bytes.Length < Magic.Length ? $"end of file after {bytes.Length} bytes" : Convert.ToHexString(bytes[..Magic.Length]);
            throw new CheckpointFormatException(path, 0, "the magic number 534E434B (\"SNCK\")", found);
        }
        if (bytes.Length < HeaderLength + ChecksumLength)
            throw new CheckpointFormatException(path, bytes.Length, $"a {HeaderLength}-byte header and a {ChecksumLength}-byte checksum", $"end of file after {bytes.Length} bytes (truncated)");
        uint version = BinaryPrimitives.ReadUInt32LittleEndian(bytes[4..]);
        if (version is not (1 or FormatVersion))
            throw new CheckpointFormatException(path, 4, $"format version 1 or {FormatVersion}", $"version {version}");
        long declaredLength = BinaryPrimitives.ReadInt64LittleEndian(bytes[LengthOffset..]);
        if (declaredLength < HeaderLength + ChecksumLength)
            throw new CheckpointFormatException(path, LengthOffset, $"a file length of at least {HeaderLength + ChecksumLength}", declaredLength.ToString(CultureInfo.InvariantCulture));
        if (declaredLength > bytes.Length)
            throw new CheckpointFormatException(path, bytes.Length, $"{declaredLength} bytes (the length in the header)", $"end of file after {bytes.Length} bytes (truncated)");
        if (declaredLength < bytes.Length)
            throw new CheckpointFormatException(path, declaredLength, $"end of file after {declaredLength} bytes (the length in the header)", $"{bytes.Length - declaredLength} trailing bytes");

        int bodyEnd = bytes.Length - ChecksumLength;
        uint stored = BinaryPrimitives.ReadUInt32LittleEndian(bytes[bodyEnd..]);
        uint computed = Crc32.HashToUInt32(bytes[..bodyEnd]);
        if (stored != computed)
            throw new CheckpointFormatException(path, bodyEnd, $"CRC-32 {computed:X8} of the preceding bytes", $"{stored:X8} (the file is corrupt)");
        return version;
    }

    /// <summary>The optimizer section, checked against <paramref name="optimizer"/> when one is given (its arrays are then read).</summary>
    private static (long StepCount, float[][]?[]? Slots) ReadOptimizer(ReadOnlySpan<byte> bytes, ref CheckpointReader reader, Parameter[] parameters, Optimizer? optimizer)
    {
        string path = reader.Path;
        int kindAt = reader.Position + 4;
        ReadOnlySpan<byte> kind = reader.ReadLengthPrefixed(0, MaxNameLength, "the optimizer's kind");
        if (kind.IsEmpty)
        {
            if (optimizer is not null)
                throw new CheckpointFormatException(path, kindAt - 4, $"the state of the {optimizer.Kind} optimizer", "none: the checkpoint was saved without an optimizer");
            return (0, null);
        }
        string kindText = System.Text.Encoding.UTF8.GetString(kind);
        if (optimizer is not null && kindText != optimizer.Kind)
            throw new CheckpointFormatException(path, kindAt, $"the state of a {optimizer.Kind} optimizer", $"the state of a {kindText} optimizer");

        int stepAt = reader.Position;
        long stepCount = reader.ReadInt64("the optimizer's step count");
        if (stepCount < 0)
            throw new CheckpointFormatException(path, stepAt, "a step count of 0 or more", stepCount.ToString(CultureInfo.InvariantCulture));

        IReadOnlyList<KeyValuePair<string, float>>? expectedHyper = optimizer?.HyperParameters;
        int hyperAt = reader.Position;
        int hyperCount = reader.ReadInt32("the number of hyper-parameters");
        if (hyperCount < 0 || hyperCount > 1024 || (expectedHyper is not null && hyperCount != expectedHyper.Count))
            throw new CheckpointFormatException(path, hyperAt, expectedHyper is null ? "0..1024 hyper-parameters" : $"{expectedHyper.Count} hyper-parameters", hyperCount.ToString(CultureInfo.InvariantCulture));
        for (int h = 0; h < hyperCount; h++)
        {
            if (expectedHyper is null)
            {
                reader.ReadLengthPrefixed(1, MaxNameLength, $"the name of hyper-parameter {h}");
                reader.ReadSingle($"hyper-parameter {h}");
                continue;
            }
            string name = expectedHyper[h].Key;
            reader.ExpectName(name, MaxNameLength, $"hyper-parameter {h}");
            int valueAt = reader.Position;
            float value = reader.ReadSingle($"the value of '{name}'");
            // Bit-exact resume needs the same hyper-parameters; a changed schedule belongs in a new optimizer.
            if (BitConverter.SingleToInt32Bits(value) != BitConverter.SingleToInt32Bits(expectedHyper[h].Value))
                throw new CheckpointFormatException(path, valueAt, $"{name} = {expectedHyper[h].Value.ToString("R", CultureInfo.InvariantCulture)}, as in the optimizer", value.ToString("R", CultureInfo.InvariantCulture));
        }

        IReadOnlyList<string>? expectedSlots = optimizer?.SlotNames;
        int slotsAt = reader.Position;
        int slotCount = reader.ReadInt32("the number of optimizer slots");
        if (slotCount < 0 || slotCount > 16 || (expectedSlots is not null && slotCount != expectedSlots.Count))
            throw new CheckpointFormatException(path, slotsAt, expectedSlots is null ? "0..16 optimizer slots" : $"{expectedSlots.Count} optimizer slots", slotCount.ToString(CultureInfo.InvariantCulture));
        for (int s = 0; s < slotCount; s++)
        {
            if (expectedSlots is null)
                reader.ReadLengthPrefixed(1, MaxNameLength, $"the name of optimizer slot {s}");
            else
                reader.ExpectName(expectedSlots[s], MaxNameLength, $"optimizer slot {s}");
        }

        int[] slotOffsets = new int[parameters.Length];
        for (int i = 0; i < parameters.Length; i++)
        {
            Parameter parameter = parameters[i];
            int flagAt = reader.Position;
            byte present = reader.ReadByte($"whether the optimizer has state for '{parameter.Name}'");
            if (present > 1)
                throw new CheckpointFormatException(path, flagAt, $"0 or 1 (whether the optimizer has state for '{parameter.Name}')", present.ToString(CultureInfo.InvariantCulture));
            slotOffsets[i] = present == 1 ? reader.Position : -1;
            for (int s = 0; present == 1 && s < slotCount; s++)
            {
                reader.SkipFiniteSingles(parameter.Length, $"the optimizer's slot {s} for '{parameter.Name}'");
            }
        }
        if (optimizer is null)
            return (stepCount, null);

        // Copied into fresh arrays only now that the section is known to be whole.
        var slots = new float[][]?[parameters.Length];
        for (int i = 0; i < parameters.Length; i++)
        {
            if (slotOffsets[i] < 0 || slotCount == 0)
                continue;
            var arrays = new float[slotCount][];
            for (int s = 0; s < slotCount; s++)
            {
                arrays[s] = new float[parameters[i].Length];
                ReadSingles(bytes.Slice(slotOffsets[i] + 4 * s * parameters[i].Length, 4 * parameters[i].Length), arrays[s]);
            }
            slots[i] = arrays;
        }
        return (stepCount, slots);
    }

    private static void ReadMetadata(ref CheckpointReader reader, CheckpointMetadata metadata)
    {
        int countAt = reader.Position;
        int count = reader.ReadInt32("the number of metadata entries");
        // Each entry takes at least 9 bytes, so a larger count cannot fit: reject it before looping.
        if (count < 0 || count > reader.Remaining / 9)
            throw new CheckpointFormatException(reader.Path, countAt, $"0..{reader.Remaining / 9} metadata entries (what the rest of the file can hold)", count.ToString(CultureInfo.InvariantCulture));
        for (int e = 0; e < count; e++)
        {
            int keyAt = reader.Position + 4;
            string key = System.Text.Encoding.UTF8.GetString(reader.ReadLengthPrefixed(1, CheckpointMetadata.MaxKeyLength, $"metadata key {e}"));
            if (metadata.ContainsKey(key))
                throw new CheckpointFormatException(reader.Path, keyAt, "distinct metadata keys", $"'{key}' a second time");
            ReadOnlySpan<byte> value = reader.ReadLengthPrefixed(0, int.MaxValue, $"metadata value '{key}'");
            metadata.Set(key, value);
        }
    }

    private static void ReadSingles(ReadOnlySpan<byte> source, float[] destination)
    {
        if (BitConverter.IsLittleEndian)
        {
            source.CopyTo(MemoryMarshal.AsBytes(destination.AsSpan()));
            return;
        }
        for (int k = 0; k < destination.Length; k++)
        {
            destination[k] = BinaryPrimitives.ReadSingleLittleEndian(source.Slice(4 * k, 4));
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

    /// <summary>Counts the bytes written to it and discards them: the first of the two passes of <see cref="Save(string, INetwork, Optimizer?, CheckpointMetadata?)"/>.</summary>
    private sealed class CountingStream : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => Position;
        public override long Position { get; set; }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => Position += count;
        public override void Write(ReadOnlySpan<byte> buffer) => Position += buffer.Length;
    }
}
