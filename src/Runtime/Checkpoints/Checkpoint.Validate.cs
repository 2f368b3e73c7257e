using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Globalization;
using System.IO.Hashing;

namespace SourceNet.Checkpoints;

// Load's first phase: reads and checks the whole file against the format, the network and the optimizer,
// changing nothing. Load copies only after all of this has passed.
public static partial class Checkpoint
{
    private sealed record Contents(int[] DataOffsets, long StepCount, float[][]?[]? Slots, CheckpointMetadata Metadata, byte[][] GeneratorStates, int[] BufferOffsets);

    /// <summary>Checks the whole file against the format, the network and the optimizer, and reads what is not parameters.</summary>
    private static Contents Validate(byte[] file, string path, Parameter[] parameters, Optimizer? optimizer,
        (string Name, SeededRandom Random)[] generators, StateBuffer[] buffers)
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
        byte[][] generatorStates = [];
        int[] bufferOffsets = [];
        if (version == 1)
        {
            if (optimizer is not null)
                throw new CheckpointFormatException(path, 4, $"format version 2 or later, with the state of the {optimizer.Kind} optimizer", "version 1, which holds parameters only: load it without an optimizer");
        }
        else
        {
            (stepCount, slots) = ReadOptimizer(bytes, ref reader, parameters, optimizer);
            ReadMetadata(ref reader, metadata);
            generatorStates = ReadGenerators(ref reader, generators);
        }
        if (version >= 3)
        {
            bufferOffsets = ReadBuffers(ref reader, buffers);
        }
        else if (buffers.Length > 0)
        {
            throw new CheckpointFormatException(path, 4, $"format version {FormatVersion}, with the network's {buffers.Length} buffers ('{buffers[0].Name}', ...)",
                $"version {version}, which holds no buffers: it was saved by an older SourceNet, for a network without them");
        }
        if (reader.Remaining != 0)
            throw new CheckpointFormatException(path, reader.Position, "the checksum after the last section", $"{reader.Remaining} more bytes");
        return new Contents(dataOffsets, stepCount, slots, metadata, generatorStates, bufferOffsets);
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
        if (version is not (1 or 2 or FormatVersion))
            throw new CheckpointFormatException(path, 4, $"format version 1, 2 or {FormatVersion}", $"version {version}");
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

    /// <summary>The layers' generator states: one per generator the network's layers declare, by name, in order.</summary>
    private static byte[][] ReadGenerators(ref CheckpointReader reader, (string Name, SeededRandom Random)[] generators)
    {
        int countAt = reader.Position;
        int count = reader.ReadInt32("the number of generators");
        if (count != generators.Length)
            throw new CheckpointFormatException(reader.Path, countAt, $"{generators.Length} generators, as in the network's layers", count.ToString(CultureInfo.InvariantCulture));
        var states = new byte[count][];
        for (int g = 0; g < count; g++)
        {
            reader.ExpectName(generators[g].Name, MaxNameLength, $"generator {g}");
            int stateAt = reader.Position;
            reader.Require(SeededRandom.StateSize, $"the {SeededRandom.StateSize}-byte generator state of '{generators[g].Name}'");
            states[g] = new byte[SeededRandom.StateSize];
            for (int b = 0; b < states[g].Length; b++)
            {
                states[g][b] = reader.ReadByte("a generator state byte");
            }
            try
            {
                new SeededRandom(1).RestoreState(states[g]); // validated on a scratch generator: the network's is untouched
            }
            catch (ArgumentException e)
            {
                throw new CheckpointFormatException(reader.Path, stateAt, $"a valid generator state for '{generators[g].Name}'", e.Message);
            }
        }
        return states;
    }

    /// <summary>The buffers section: one entry per buffer the network's layers declare, by name, type and size, in order; returns where each one's values begin.</summary>
    private static int[] ReadBuffers(ref CheckpointReader reader, StateBuffer[] buffers)
    {
        int countAt = reader.Position;
        int count = reader.ReadInt32("the number of buffers");
        if (count != buffers.Length)
            throw new CheckpointFormatException(reader.Path, countAt, $"{buffers.Length} buffers, as in the network's layers", count.ToString(CultureInfo.InvariantCulture));
        var offsets = new int[count];
        for (int b = 0; b < count; b++)
        {
            StateBuffer buffer = buffers[b];
            reader.ExpectName(buffer.Name, MaxNameLength, $"buffer {b}");
            int typeAt = reader.Position;
            byte type = reader.ReadByte($"the element type of '{buffer.Name}'");
            byte expectedType = buffer.ElementType == BufferElementType.Int64 ? (byte)1 : (byte)0;
            if (type != expectedType)
                throw new CheckpointFormatException(reader.Path, typeAt, $"element type {expectedType} ({buffer.ElementType}) for '{buffer.Name}'", type.ToString(CultureInfo.InvariantCulture));
            int lengthAt = reader.Position;
            int length = reader.ReadInt32($"the length of '{buffer.Name}'");
            if (length != buffer.Length)
                throw new CheckpointFormatException(reader.Path, lengthAt, $"{buffer.Length} values in '{buffer.Name}' (shape {buffer.ShapeText})", length.ToString(CultureInfo.InvariantCulture));
            if (buffer.ElementType == BufferElementType.Int64)
            {
                reader.Require(8L * length, $"the {length} int64 values of '{buffer.Name}'");
                offsets[b] = reader.Position;
                for (int k = 0; k < length; k++)
                {
                    reader.ReadInt64($"'{buffer.Name}'");
                }
            }
            else
            {
                offsets[b] = reader.SkipFiniteSingles(length, $"'{buffer.Name}'");
            }
        }
        return offsets;
    }
}
