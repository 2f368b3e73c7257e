using System.Buffers.Binary;
using System.Text.Json;

namespace SourceNet.Integration.Tests.Graphs;

/// <summary>
/// The tensors of a small safetensors fixture (F32 and I64), read by the format itself, independently of the runtime's
/// reader that the tests check: an 8-byte little-endian header length, a JSON header, then the raw data.
/// </summary>
internal sealed class FixtureTensors
{
    private readonly Dictionary<string, (string DType, int[] Shape, byte[] Data)> _tensors = new();

    private FixtureTensors(string path)
    {
        byte[] file = File.ReadAllBytes(path);
        long length = BinaryPrimitives.ReadInt64LittleEndian(file);
        using JsonDocument header = JsonDocument.Parse(file.AsMemory(8, (int)length));
        foreach (JsonProperty entry in header.RootElement.EnumerateObject())
        {
            if (entry.Name == "__metadata__") continue;
            int[] shape = entry.Value.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()).ToArray();
            long[] offsets = entry.Value.GetProperty("data_offsets").EnumerateArray().Select(o => o.GetInt64()).ToArray();
            byte[] data = file.AsSpan((int)(8 + length + offsets[0]), (int)(offsets[1] - offsets[0])).ToArray();
            _tensors[entry.Name] = (entry.Value.GetProperty("dtype").GetString()!, shape, data);
        }
    }

    /// <summary>A fixture written by interop/ scripts, from tests/SourceNet.Interop.Tests/Fixtures.</summary>
    public static FixtureTensors Load(string name) =>
        new(Path.Combine(Network.RepoPaths.Root, "tests", "SourceNet.Interop.Tests", "Fixtures", name));

    public int[] Shape(string name) => Entry(name, null).Shape;

    /// <summary>Every tensor's name, in no particular order.</summary>
    public IReadOnlyCollection<string> Names => _tensors.Keys;

    public string DType(string name) => Entry(name, null).DType;

    /// <summary>A safetensors file anywhere (one a test has just written).</summary>
    public static FixtureTensors LoadFile(string path) => new(path);

    public float[] Floats(string name)
    {
        byte[] data = Entry(name, "F32").Data;
        var values = new float[data.Length / 4];
        for (int i = 0; i < values.Length; i++) values[i] = BinaryPrimitives.ReadSingleLittleEndian(data.AsSpan(4 * i));
        return values;
    }

    public long[] Longs(string name)
    {
        byte[] data = Entry(name, "I64").Data;
        var values = new long[data.Length / 8];
        for (int i = 0; i < values.Length; i++) values[i] = BinaryPrimitives.ReadInt64LittleEndian(data.AsSpan(8 * i));
        return values;
    }

    private (string DType, int[] Shape, byte[] Data) Entry(string name, string? dtype)
    {
        if (!_tensors.TryGetValue(name, out var entry))
            throw new KeyNotFoundException($"The fixture has no tensor '{name}'; it has {string.Join(", ", _tensors.Keys)}.");
        if (dtype is not null && entry.DType != dtype)
            throw new InvalidDataException($"Tensor '{name}' is {entry.DType}, expected {dtype}.");
        return entry;
    }
}
