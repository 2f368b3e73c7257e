using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;
using System.Text.Json;
using SourceNet.IO;

namespace SourceNet.Interop;

/// <summary>
/// Reads and writes a network's parameters as <a href="https://github.com/huggingface/safetensors">safetensors</a>,
/// named and laid out as PyTorch's <c>state_dict</c> (<see cref="Parameter.StateDictName"/>, transposed by
/// <see cref="Parameter.StateDictAxes"/>), so that <c>model.load_state_dict(safetensors.torch.load_file(path))</c>
/// loads a SourceNet network into the equivalent <c>nn.Module</c>, and back.
/// </summary>
/// <remarks>
/// Format: an 8-byte little-endian header length N, N bytes of UTF-8 JSON
/// <c>{"name": {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}, "__metadata__": {..}}</c>,
/// then the tensors' little-endian bytes, row-major, offsets relative to the end of the header.
/// A parameter without a <c>state_dict</c> name is stored under its own name, unpermuted.
/// </remarks>
public static class SafeTensors
{
    /// <summary>Writes every parameter of <paramref name="network"/> as float32, atomically.</summary>
    /// <exception cref="InvalidOperationException">Two parameters share a <c>state_dict</c> name, or a value is NaN or
    /// infinite; the target is left as it was.</exception>
    public static void Save(string path, INetwork network) => SaveCore(path, network, wrap: null);

    /// <summary><see cref="Save"/> with a hook that wraps the file stream, so tests can make the write fail part-way.</summary>
    internal static void SaveCore(string path, INetwork network, Func<Stream, Stream>? wrap)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(network);
        IReadOnlyList<Parameter> parameters = network.Parameters;
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (Parameter parameter in parameters)
        {
            string name = StateDictLayout.NameOf(parameter);
            if (!names.Add(name) || name == "__metadata__")
                throw new InvalidOperationException($"Cannot save '{path}': two parameters are named '{name}' in the state_dict.");
            for (int k = 0; k < parameter.Length; k++)
            {
                if (!float.IsFinite(parameter.Value[k]))
                    throw new InvalidOperationException($"Cannot save '{path}': parameter '{parameter.Name}' holds {parameter.Value[k]} at index {k}.");
            }
        }

        byte[] header = Header(parameters, StateDictLayout.DenseWeights(network));
        AtomicFile.Write(path, stream =>
        {
            Span<byte> length = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
            stream.Write(length);
            stream.Write(header);
            foreach (Parameter parameter in parameters)
            {
                var values = new float[parameter.Length];
                StateDictLayout.ToStateDict(parameter, values);
                WriteLittleEndian(stream, values);
            }
        }, wrap);
    }

    /// <summary>The JSON header, padded with spaces to a multiple of 8 bytes so the data is aligned (as PyTorch's writer does).</summary>
    private static byte[] Header(IReadOnlyList<Parameter> parameters, HashSet<Parameter> denseWeights)
    {
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartObject("__metadata__");
            json.WriteString("format", "pt");
            json.WriteEndObject();
            long offset = 0;
            foreach (Parameter parameter in parameters)
            {
                json.WriteStartObject(StateDictLayout.NameOf(parameter));
                json.WriteString("dtype", "F32");
                json.WriteStartArray("shape");
                foreach (int dimension in StateDictLayout.FileShape(parameter, denseWeights.Contains(parameter)))
                {
                    json.WriteNumberValue(dimension);
                }
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                offset += 4L * parameter.Length;
                json.WriteNumberValue(offset);
                json.WriteEndArray();
                json.WriteEndObject();
            }
            json.WriteEndObject();
        }
        while (buffer.Length % 8 != 0)
        {
            buffer.WriteByte((byte)' ');
        }
        return buffer.ToArray();
    }

    /// <summary>
    /// Loads every parameter of <paramref name="network"/> from <paramref name="path"/>: the file must hold exactly
    /// the network's tensors (by <c>state_dict</c> name, with the <c>state_dict</c> shapes), as F32 finite values.
    /// Everything is checked before any parameter changes.
    /// </summary>
    /// <exception cref="SafeTensorsFormatException">The file is malformed, or does not match the network (a tensor
    /// missing, an extra tensor, another shape or dtype); the network is unchanged.</exception>
    public static void Load(string path, INetwork network)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(network);
        IReadOnlyList<Parameter> parameters = network.Parameters;
        HashSet<Parameter> denseWeights = StateDictLayout.DenseWeights(network);

        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        SafeTensorsHeader header = SafeTensorsHeader.Read(file, path);
        var byName = new Dictionary<string, SafeTensorEntry>(StringComparer.Ordinal);
        foreach (SafeTensorEntry entry in header.Entries)
        {
            byName[entry.Name] = entry;
        }

        var matched = new SafeTensorEntry[parameters.Count];
        var expectedNames = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < parameters.Count; i++)
        {
            Parameter parameter = parameters[i];
            string name = StateDictLayout.NameOf(parameter);
            expectedNames.Add(name);
            if (!byName.TryGetValue(name, out SafeTensorEntry? entry))
                throw new SafeTensorsFormatException(path, 8, $"a tensor named '{name}' (for {parameter.Name})", $"none: the file holds {Names(header.Entries)}");
            if (entry.DType != "F32")
                throw new SafeTensorsFormatException(path, entry.HeaderOffset, $"dtype F32 for '{name}' (SourceNet loads float32 only; convert with tensor.float())", entry.DType);
            int[] shape = StateDictLayout.FileShape(parameter, denseWeights.Contains(parameter));
            if (!SameShape(shape, entry.Shape))
                throw new SafeTensorsFormatException(path, entry.HeaderOffset, $"shape {StateDictLayout.ShapeText(shape)} for '{name}'", StateDictLayout.ShapeText(entry.Shape));
            matched[i] = entry;
        }
        foreach (SafeTensorEntry entry in header.Entries)
        {
            if (!expectedNames.Contains(entry.Name))
                throw new SafeTensorsFormatException(path, entry.HeaderOffset, $"only the network's tensors ({Names(parameters)})", $"an extra tensor '{entry.Name}'");
        }

        // Staged in the storage layout, every value checked; the sizes are the network's own, so a hostile file
        // cannot make this allocate more than the network already holds.
        var staged = new float[parameters.Count][];
        for (int i = 0; i < parameters.Count; i++)
        {
            Parameter parameter = parameters[i];
            SafeTensorEntry entry = matched[i];
            var raw = new float[parameter.Length];
            file.Position = header.DataStart + entry.Begin;
            file.ReadExactly(MemoryMarshal.AsBytes(raw.AsSpan()));
            if (!BitConverter.IsLittleEndian)
            {
                for (int k = 0; k < raw.Length; k++)
                {
                    raw[k] = BitConverter.Int32BitsToSingle(BinaryPrimitives.ReverseEndianness(BitConverter.SingleToInt32Bits(raw[k])));
                }
            }
            for (int k = 0; k < raw.Length; k++)
            {
                if (!float.IsFinite(raw[k]))
                    throw new SafeTensorsFormatException(path, header.DataStart + entry.Begin + 4L * k, $"finite values in '{entry.Name}'", $"{raw[k]} at index {k}");
            }
            staged[i] = new float[parameter.Length];
            StateDictLayout.FromStateDict(parameter, raw, staged[i]);
        }

        // Nothing can fail from here on.
        for (int i = 0; i < parameters.Count; i++)
        {
            staged[i].CopyTo(parameters[i].Value, 0);
        }
    }

    private static void WriteLittleEndian(Stream stream, float[] values)
    {
        if (!BitConverter.IsLittleEndian)
        {
            for (int k = 0; k < values.Length; k++)
            {
                values[k] = BitConverter.Int32BitsToSingle(BinaryPrimitives.ReverseEndianness(BitConverter.SingleToInt32Bits(values[k])));
            }
        }
        stream.Write(MemoryMarshal.AsBytes(values.AsSpan()));
    }

    private static bool SameShape(int[] expected, long[] found)
    {
        if (expected.Length != found.Length)
            return false;
        for (int i = 0; i < expected.Length; i++)
        {
            if (expected[i] != found[i])
                return false;
        }
        return true;
    }

    private static string Names(List<SafeTensorEntry> entries)
    {
        var names = new List<string>();
        foreach (SafeTensorEntry entry in entries)
        {
            names.Add($"'{entry.Name}'");
        }
        return names.Count == 0 ? "no tensors" : string.Join(", ", names);
    }

    private static string Names(IReadOnlyList<Parameter> parameters)
    {
        var names = new List<string>();
        foreach (Parameter parameter in parameters)
        {
            names.Add($"'{StateDictLayout.NameOf(parameter)}'");
        }
        return string.Join(", ", names);
    }
}
