using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using SourceNet.IO;

namespace SourceNet.Interop;

/// <summary>
/// Reads and writes a network's state as <a href="https://github.com/huggingface/safetensors">safetensors</a>, named and
/// laid out as PyTorch's <c>state_dict</c>: every parameter (<see cref="Parameter.StateDictName"/>, transposed by
/// <see cref="Parameter.StateDictAxes"/>, shaped <see cref="Parameter.StateDictShape"/>) and every layer's buffer
/// (<see cref="Layer.Buffers"/>: running statistics as F32, counters such as <c>num_batches_tracked</c> as I64), so that
/// <c>model.load_state_dict(safetensors.torch.load_file(path))</c> loads a SourceNet network into the equivalent
/// <c>nn.Module</c>, and back.
/// </summary>
/// <remarks>
/// Format: an 8-byte little-endian header length N, N bytes of UTF-8 JSON
/// <c>{"name": {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}, "__metadata__": {..}}</c>,
/// then the tensors' little-endian bytes, row-major, offsets relative to the end of the header.
/// A tensor without a <c>state_dict</c> name is stored under its own name, unpermuted.
/// </remarks>
public static class SafeTensors
{
    /// <summary>Writes every parameter and buffer of <paramref name="network"/>, atomically.</summary>
    /// <exception cref="InvalidOperationException">Two tensors share a <c>state_dict</c> name, or a value is NaN or
    /// infinite; the target is left as it was.</exception>
    public static void Save(string path, INetwork network) => SaveCore(path, network, wrap: null);

    /// <summary><see cref="Save"/> with a hook that wraps the file stream, so tests can make the write fail part-way.</summary>
    internal static void SaveCore(string path, INetwork network, Func<Stream, Stream>? wrap)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(network);
        StateTensor[] tensors = StateTensor.Of(network);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (StateTensor tensor in tensors)
        {
            if (!names.Add(tensor.Name) || tensor.Name == "__metadata__")
                throw new InvalidOperationException($"Cannot save '{path}': two tensors are named '{tensor.Name}' in the state_dict.");
            if (tensor.DType == "F32" && tensor.FirstNonFinite() is (int index, float value))
                throw new InvalidOperationException($"Cannot save '{path}': '{tensor.Owner}' holds {value} at index {index}.");
        }

        byte[] header = Header(tensors);
        AtomicFile.Write(path, stream =>
        {
            Span<byte> length = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
            stream.Write(length);
            stream.Write(header);
            foreach (StateTensor tensor in tensors)
            {
                tensor.Write(stream);
            }
        }, wrap);
    }

    /// <summary>The JSON header, padded with spaces to a multiple of 8 bytes so the data is aligned (as PyTorch's writer does).</summary>
    private static byte[] Header(StateTensor[] tensors)
    {
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartObject("__metadata__");
            json.WriteString("format", "pt");
            json.WriteEndObject();
            long offset = 0;
            foreach (StateTensor tensor in tensors)
            {
                json.WriteStartObject(tensor.Name);
                json.WriteString("dtype", tensor.DType);
                json.WriteStartArray("shape");
                foreach (int dimension in tensor.Shape)
                {
                    json.WriteNumberValue(dimension);
                }
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                offset += tensor.ByteLength;
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
    /// Loads every parameter and buffer of <paramref name="network"/> from <paramref name="path"/>: the file must hold
    /// exactly the network's tensors (by <c>state_dict</c> name, with the <c>state_dict</c> shapes and dtypes), floats
    /// finite. Everything is checked before any value changes. <see cref="Load(string, INetwork, SafeTensorsLoadOptions)"/>
    /// loads a file that holds more, or less, as <c>load_state_dict(strict=False)</c> does.
    /// </summary>
    /// <exception cref="SafeTensorsFormatException">The file is malformed, or does not match the network (a tensor
    /// missing, an extra tensor, another shape or dtype); the network is unchanged.</exception>
    public static void Load(string path, INetwork network) => Load(path, network, new SafeTensorsLoadOptions());

    /// <summary>
    /// Loads the tensors of <paramref name="path"/> that the network has, as <see cref="Load(string, INetwork)"/> does,
    /// with the checks <paramref name="options"/> relaxes: a tensor the network lacks can be skipped, and one the file
    /// lacks can be left as it is. A tensor both have must still match in shape and dtype, and every value read must be
    /// finite. Returns the names skipped and left, so nothing goes unnoticed.
    /// </summary>
    /// <exception cref="SafeTensorsFormatException">The file is malformed, or does not match the network in a way the
    /// options do not allow; the network is unchanged.</exception>
    public static SafeTensorsLoadReport Load(string path, INetwork network, SafeTensorsLoadOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(options);
        StateTensor[] tensors = StateTensor.Of(network);

        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        SafeTensorsHeader header = SafeTensorsHeader.Read(file, path);
        var byName = new Dictionary<string, SafeTensorEntry>(StringComparer.Ordinal);
        foreach (SafeTensorEntry entry in header.Entries)
        {
            byName[entry.Name] = entry;
        }

        var matched = new SafeTensorEntry?[tensors.Length];
        var expectedNames = new HashSet<string>(StringComparer.Ordinal);
        var missing = new List<string>();
        for (int i = 0; i < tensors.Length; i++)
        {
            StateTensor tensor = tensors[i];
            expectedNames.Add(tensor.Name);
            if (!byName.TryGetValue(tensor.Name, out SafeTensorEntry? entry))
            {
                if (options.AllowMissing)
                {
                    missing.Add(tensor.Name);
                    continue;
                }
                throw new SafeTensorsFormatException(path, 8, $"a tensor named '{tensor.Name}' (for {tensor.Owner})", $"none: the file holds {Names(header.Entries)}");
            }
            if (entry.DType != tensor.DType)
            {
                string hint = tensor.DType == "F32" ? "SourceNet loads float32 only; convert with tensor.float()" : "a counter; convert with tensor.long()";
                throw new SafeTensorsFormatException(path, entry.HeaderOffset, $"dtype {tensor.DType} for '{tensor.Name}' ({hint})", entry.DType);
            }
            if (!SameShape(tensor.Shape, entry.Shape))
                throw new SafeTensorsFormatException(path, entry.HeaderOffset, $"shape {StateDictLayout.ShapeText(tensor.Shape)} for '{tensor.Name}'", StateDictLayout.ShapeText(entry.Shape));
            matched[i] = entry;
        }
        var skipped = new List<string>();
        foreach (SafeTensorEntry entry in header.Entries)
        {
            if (expectedNames.Contains(entry.Name))
                continue;
            if (!options.SkipUnexpected)
                throw new SafeTensorsFormatException(path, entry.HeaderOffset, $"only the network's tensors ({Names(tensors)}), or SafeTensorsLoadOptions.SkipUnexpected to skip others", $"an extra tensor '{entry.Name}'");
            skipped.Add(entry.Name);
        }

        // Staged in SourceNet's layout, every value checked; the sizes are the network's own, so a hostile file
        // cannot make this allocate more than the network already holds.
        var staged = new Array?[tensors.Length];
        for (int i = 0; i < tensors.Length; i++)
        {
            if (matched[i] is not { } entry)
                continue;
            var raw = new byte[tensors[i].ByteLength];
            file.Position = header.DataStart + entry.Begin;
            file.ReadExactly(raw);
            staged[i] = tensors[i].Stage(raw, path, header.DataStart + entry.Begin);
        }

        // Nothing can fail from here on.
        for (int i = 0; i < tensors.Length; i++)
        {
            if (staged[i] is { } values)
                tensors[i].Commit(values);
        }
        return new SafeTensorsLoadReport(skipped, missing);
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

    private static string Names(StateTensor[] tensors)
    {
        var names = new List<string>();
        foreach (StateTensor tensor in tensors)
        {
            names.Add($"'{tensor.Name}'");
        }
        return string.Join(", ", names);
    }
}
