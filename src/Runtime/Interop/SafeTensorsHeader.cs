using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.Json;

namespace SourceNet.Interop;

/// <summary>One tensor as a safetensors header describes it; offsets are from the start of the data section.</summary>
internal sealed record SafeTensorEntry(string Name, string DType, long[] Shape, long Begin, long End, long HeaderOffset);

/// <summary>
/// Reads and checks a safetensors header: the 8-byte length, the JSON, and the tensors' offsets against the
/// data section. Hostile input gives a <see cref="SafeTensorsFormatException"/> with the byte offset, never a
/// crash, a hang or an allocation larger than the file.
/// </summary>
internal sealed class SafeTensorsHeader
{
    /// <summary>The largest header read, as the reference implementation allows.</summary>
    public const int MaxHeaderLength = 100_000_000;

    /// <summary>Element sizes of the dtypes the format defines; SourceNet loads only F32.</summary>
    private static readonly Dictionary<string, int> s_dtypeSizes = new(StringComparer.Ordinal)
    {
        ["BOOL"] = 1, ["U8"] = 1, ["I8"] = 1, ["F8_E5M2"] = 1, ["F8_E4M3"] = 1,
        ["I16"] = 2, ["U16"] = 2, ["F16"] = 2, ["BF16"] = 2,
        ["I32"] = 4, ["U32"] = 4, ["F32"] = 4,
        ["I64"] = 8, ["U64"] = 8, ["F64"] = 8,
    };

    private SafeTensorsHeader(long dataStart, List<SafeTensorEntry> entries, Dictionary<string, string> metadata)
    {
        DataStart = dataStart;
        Entries = entries;
        Metadata = metadata;
    }

    /// <summary>File offset of the data section: 8 + the header's length.</summary>
    public long DataStart { get; }

    /// <summary>The tensors, in the header's order.</summary>
    public List<SafeTensorEntry> Entries { get; }

    /// <summary>The <c>__metadata__</c> strings.</summary>
    public Dictionary<string, string> Metadata { get; }

    public static SafeTensorsHeader Read(Stream stream, string path)
    {
        long fileLength = stream.Length;
        if (fileLength < 8)
            throw new SafeTensorsFormatException(path, 0, "an 8-byte little-endian header length", $"end of file after {fileLength} bytes");
        Span<byte> prefix = stackalloc byte[8];
        stream.ReadExactly(prefix);
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (headerLength > MaxHeaderLength)
            throw new SafeTensorsFormatException(path, 0, $"a header length of at most {MaxHeaderLength} bytes", headerLength.ToString(CultureInfo.InvariantCulture));
        if (headerLength < 2 || 8 + (long)headerLength > fileLength)
            throw new SafeTensorsFormatException(path, 0, $"a header length of 2..{fileLength - 8} bytes (what the file holds after the length)", headerLength.ToString(CultureInfo.InvariantCulture));
        // Bounded by the checks above: never more than the file, never more than 100 MB.
        byte[] json = new byte[(int)headerLength];
        stream.ReadExactly(json);
        long dataStart = 8 + (long)headerLength;
        var header = Parse(json, path);
        header.CheckOffsets(path, fileLength - dataStart, dataStart);
        return new SafeTensorsHeader(dataStart, header.Entries, header.Metadata);
    }

    private static SafeTensorsHeader Parse(byte[] json, string path)
    {
        try
        {
            new UTF8Encoding(false, throwOnInvalidBytes: true).GetCharCount(json);
        }
        catch (DecoderFallbackException e)
        {
            throw new SafeTensorsFormatException(path, 8 + Math.Max(e.Index, 0), "a UTF-8 JSON header", $"the byte 0x{json[Math.Max(e.Index, 0)]:X2}, which is not UTF-8");
        }

        var entries = new List<SafeTensorEntry>();
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        var names = new HashSet<string>(StringComparer.Ordinal);
        // Depth 3 is all the format needs ({name: {shape: [..]}}); a deeper document is not a header.
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 4, CommentHandling = JsonCommentHandling.Disallow });
        try
        {
            Expect(ref reader, JsonTokenType.StartObject, path, "a JSON object");
            while (Next(ref reader, path) != JsonTokenType.EndObject)
            {
                long at = 8 + reader.TokenStartIndex;
                string name = reader.GetString()!;
                if (!names.Add(name))
                    throw new SafeTensorsFormatException(path, at, "distinct tensor names", $"'{name}' a second time");
                Expect(ref reader, JsonTokenType.StartObject, path, $"an object for '{name}'");
                if (name == "__metadata__")
                    ReadMetadata(ref reader, path, metadata);
                else
                    entries.Add(ReadEntry(ref reader, path, name, at));
            }
            if (reader.Read())
                throw new SafeTensorsFormatException(path, 8 + reader.TokenStartIndex, "the end of the header after its object", reader.TokenType.ToString());
        }
        catch (JsonException e)
        {
            throw new SafeTensorsFormatException(path, 8 + reader.BytesConsumed, "a well-formed JSON header", $"malformed JSON ({e.Message})");
        }
        return new SafeTensorsHeader(0, entries, metadata);
    }

    private static SafeTensorEntry ReadEntry(ref Utf8JsonReader reader, string path, string name, long at)
    {
        string? dtype = null;
        long[]? shape = null;
        long[]? offsets = null;
        while (Next(ref reader, path) != JsonTokenType.EndObject)
        {
            string field = reader.GetString()!;
            long fieldAt = 8 + reader.TokenStartIndex;
            switch (field)
            {
                case "dtype":
                    Expect(ref reader, JsonTokenType.String, path, $"a string dtype for '{name}'");
                    dtype = reader.GetString()!;
                    if (!s_dtypeSizes.ContainsKey(dtype))
                        throw new SafeTensorsFormatException(path, 8 + reader.TokenStartIndex, $"a safetensors dtype for '{name}' (F32, F16, BF16, F64, I64, ...)", $"unknown dtype '{dtype}'");
                    break;
                case "shape":
                    shape = ReadIntegers(ref reader, path, $"the shape of '{name}'", -1);
                    break;
                case "data_offsets":
                    offsets = ReadIntegers(ref reader, path, $"the data_offsets of '{name}'", 2);
                    if (offsets[0] > offsets[1])
                        throw new SafeTensorsFormatException(path, fieldAt, $"data_offsets [begin, end] with begin <= end for '{name}'", $"[{offsets[0]}, {offsets[1]}]");
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }
        if (dtype is null || shape is null || offsets is null)
        {
            string missing = dtype is null ? "dtype" : shape is null ? "shape" : "data_offsets";
            throw new SafeTensorsFormatException(path, at, $"dtype, shape and data_offsets for '{name}'", $"no {missing}");
        }
        // The shape's byte size, checked against the offsets without overflow: a hostile shape can be huge.
        long bytes = s_dtypeSizes[dtype];
        foreach (long dimension in shape)
        {
            if (dimension != 0 && bytes > long.MaxValue / dimension)
            {
                bytes = -1;
                break;
            }
            bytes *= dimension;
        }
        if (bytes != offsets[1] - offsets[0])
            throw new SafeTensorsFormatException(path, at, $"{(bytes < 0 ? "a shape whose size fits" : bytes + " bytes")} for '{name}' ({dtype} {StateDictLayout.ShapeText(shape)})", $"data_offsets [{offsets[0]}, {offsets[1]}], {offsets[1] - offsets[0]} bytes");
        return new SafeTensorEntry(name, dtype, shape, offsets[0], offsets[1], at);
    }

    private static long[] ReadIntegers(ref Utf8JsonReader reader, string path, string what, int count)
    {
        Expect(ref reader, JsonTokenType.StartArray, path, $"an array for {what}");
        var values = new List<long>();
        while (Next(ref reader, path) != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out long value) || value < 0)
                throw new SafeTensorsFormatException(path, 8 + reader.TokenStartIndex, $"non-negative integers in {what}", Token(ref reader));
            // A shape has a handful of axes; a long array is an attack on memory, not a tensor.
            if (values.Count == 64)
                throw new SafeTensorsFormatException(path, 8 + reader.TokenStartIndex, $"at most 64 values in {what}", "more");
            values.Add(value);
        }
        if (count >= 0 && values.Count != count)
            throw new SafeTensorsFormatException(path, 8 + reader.TokenStartIndex, $"{count} values in {what}", values.Count.ToString(CultureInfo.InvariantCulture));
        return values.ToArray();
    }

    private static void ReadMetadata(ref Utf8JsonReader reader, string path, Dictionary<string, string> metadata)
    {
        while (Next(ref reader, path) != JsonTokenType.EndObject)
        {
            string key = reader.GetString()!;
            Expect(ref reader, JsonTokenType.String, path, $"a string value for __metadata__ '{key}'");
            metadata[key] = reader.GetString()!;
        }
    }

    /// <summary>
    /// The tensors must tile the data section exactly: sorted by begin, the first at 0, each starting where the
    /// previous ends, the last ending at the end of the file. No gaps (hidden data) and no overlaps (aliasing).
    /// </summary>
    private void CheckOffsets(string path, long dataLength, long dataStart)
    {
        var sorted = new List<SafeTensorEntry>(Entries);
        sorted.Sort((a, b) => a.Begin != b.Begin ? a.Begin.CompareTo(b.Begin) : a.End.CompareTo(b.End));
        long expected = 0;
        string previous = "the start of the data";
        foreach (SafeTensorEntry entry in sorted)
        {
            if (entry.End > dataLength)
                throw new SafeTensorsFormatException(path, entry.HeaderOffset, $"data_offsets within the {dataLength}-byte data section for '{entry.Name}'", $"[{entry.Begin}, {entry.End}]");
            if (entry.Begin < expected)
                throw new SafeTensorsFormatException(path, entry.HeaderOffset, $"'{entry.Name}' to begin at {expected}, after {previous}", $"{entry.Begin}: the tensors overlap");
            if (entry.Begin > expected)
                throw new SafeTensorsFormatException(path, entry.HeaderOffset, $"'{entry.Name}' to begin at {expected}, right after {previous}", $"{entry.Begin}: a gap of {entry.Begin - expected} bytes");
            expected = entry.End;
            previous = $"'{entry.Name}'";
        }
        if (expected != dataLength)
            throw new SafeTensorsFormatException(path, dataStart + expected, $"the end of the file after {previous}", $"{dataLength - expected} more bytes that no tensor covers");
    }

    private static JsonTokenType Next(ref Utf8JsonReader reader, string path)
    {
        if (!reader.Read())
            throw new SafeTensorsFormatException(path, 8 + reader.BytesConsumed, "more JSON", "the end of the header");
        return reader.TokenType;
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type, string path, string what)
    {
        if (Next(ref reader, path) != type)
            throw new SafeTensorsFormatException(path, 8 + reader.TokenStartIndex, what, Token(ref reader));
    }

    private static string Token(ref Utf8JsonReader reader)
    {
        // The whole header is one span, so a token is never split across segments.
        ReadOnlySpan<byte> raw = reader.ValueSpan;
        string text = Encoding.UTF8.GetString(raw.Length > 40 ? raw[..40] : raw);
        return $"{reader.TokenType} {text}".TrimEnd();
    }
}
