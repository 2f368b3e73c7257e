using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;
using SourceNet.IO;

namespace SourceNet.Checkpoints;

/// <summary>
/// Saves a training run to a file — the network's parameters and its layers' buffers and generators, the optimizer's
/// state and the caller's metadata (epoch, sampler state) — and loads it back, bit for bit, so that a resumed run continues
/// exactly as the uninterrupted one would have.
/// </summary>
/// <remarks>
/// <para>File format, version 3. Integers and floats are little-endian; a <i>string</i> is an int32 byte
/// length then that many UTF-8 bytes. The full table is in <c>docs/interop.md</c>.</para>
/// <code>
/// offset  size  field
///      0     4  magic, the ASCII bytes "SNCK" (53 4E 43 4B)
///      4     4  uint32 format version, 3 (versions 1 and 2 still load into a network without buffers)
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
///               generators: int32 G, then G x (string name, 37-byte SeededRandom state), from Layer.Generators
///                 in layer order, named after the layer (Name, or Name[i] when a layer has several)
///               buffers (version 3): int32 B, then B x (string name, uint8 element type 0: float32 | 1: int64,
///                 int32 element count, the values), from Layer.Buffers in layer order
///  len-4     4  uint32 CRC-32 (IEEE, as in zip/gzip) of every byte before it
/// </code>
/// <para><see cref="Save"/> is atomic: it writes a temporary file in the target's directory, flushes it
/// to disk, then renames it over the target, so the target is either the old checkpoint or the new one.</para>
/// <para><see cref="Load"/> validates the whole file first — magic, version, length, checksum, names and
/// shapes against the network, the optimizer's kind, hyper-parameters and slots, finiteness of every value —
/// and only then copies values into the network and the optimizer, so a <see cref="CheckpointFormatException"/>
/// leaves both untouched.</para>
/// </remarks>
public static partial class Checkpoint
{
    /// <summary>The format version <see cref="Save"/> writes.</summary>
    public const uint FormatVersion = 3;

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
        (string Name, SeededRandom Random)[] generators = NetworkState.Generators(network);
        StateBuffer[] buffers = NetworkState.Buffers(network);
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
            WriteBody(new CheckpointWriter(counter, fullPath), parameters, optimizer, metadata, generators, buffers, length: 0);
            WriteBody(new CheckpointWriter(stream, fullPath), parameters, optimizer, metadata, generators, buffers, counter.Length);
        }, wrap);
    }

    private static void WriteBody(CheckpointWriter writer, Parameter[] parameters, Optimizer? optimizer, CheckpointMetadata? metadata,
        (string Name, SeededRandom Random)[] generators, StateBuffer[] buffers, long length)
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

        writer.WriteInt32(generators.Length);
        foreach ((string name, SeededRandom random) in generators)
        {
            writer.WriteString(name);
            writer.WriteBytes(random.GetState());
        }

        writer.WriteInt32(buffers.Length);
        foreach (StateBuffer buffer in buffers)
        {
            writer.WriteString(buffer.Name);
            writer.WriteByte(buffer.ElementType == BufferElementType.Int64 ? (byte)1 : (byte)0);
            writer.WriteInt32(buffer.Length);
            if (buffer.ElementType == BufferElementType.Int64)
            {
                foreach (long value in buffer.Int64s)
                {
                    writer.WriteInt64(value);
                }
            }
            else
            {
                writer.WriteFiniteSingles(buffer.Singles, $"buffer '{buffer.Name}'");
            }
        }
        writer.WriteChecksum();
    }

    /// <summary>
    /// Reads the checkpoint at <paramref name="path"/> into <paramref name="network"/>'s parameters and, when
    /// given, <paramref name="optimizer"/>'s state (and the layers' buffers and generators), after checking that it is intact and matches both.
    /// </summary>
    /// <returns>The metadata saved with the checkpoint (empty for one saved without, and for version 1 files).</returns>
    /// <exception cref="CheckpointFormatException">The file is malformed, corrupt, holds a NaN or infinity, or
    /// does not match the network or the optimizer (the message names the first mismatch); the network and the
    /// optimizer are unchanged.</exception>
    public static CheckpointMetadata Load(string path, INetwork network, Optimizer? optimizer = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(network);

        byte[] file = ReadHeaderFirst(path);
        Parameter[] parameters = Snapshot(network.Parameters);
        (string Name, SeededRandom Random)[] generators = NetworkState.Generators(network);
        StateBuffer[] buffers = NetworkState.Buffers(network);
        Contents contents = Validate(file, path, parameters, optimizer, generators, buffers);

        // Nothing can fail from here on: every check is done, and the shapes are known to match.
        for (int i = 0; i < parameters.Length; i++)
        {
            ReadSingles(file.AsSpan(contents.DataOffsets[i], 4 * parameters[i].Length), parameters[i].Value);
        }
        if (optimizer is not null && contents.Slots is not null)
        {
            optimizer.RestoreState(contents.StepCount, parameters, contents.Slots);
        }
        for (int g = 0; g < contents.GeneratorStates.Length; g++)
        {
            generators[g].Random.RestoreState(contents.GeneratorStates[g]);
        }
        for (int b = 0; b < buffers.Length; b++)
        {
            ReadBuffer(file.AsSpan(contents.BufferOffsets[b]), buffers[b]);
        }
        return contents.Metadata;
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

    private static void ReadBuffer(ReadOnlySpan<byte> source, StateBuffer buffer)
    {
        if (buffer.ElementType == BufferElementType.Int64)
        {
            for (int k = 0; k < buffer.Length; k++)
            {
                buffer.Int64s[k] = BinaryPrimitives.ReadInt64LittleEndian(source.Slice(8 * k, 8));
            }
            return;
        }
        ReadSingles(source[..(4 * buffer.Length)], buffer.Singles);
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
