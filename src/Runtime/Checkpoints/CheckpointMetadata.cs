using System;
using System.Buffers.Binary;
using System.Collections;
using System.Collections.Generic;
using System.Text;

namespace SourceNet.Checkpoints;

/// <summary>
/// Key/value pairs a training run stores beside its weights so that it can resume exactly: the epoch, the
/// sampler's state (<see cref="Data.BatchSampler.GetState"/>), a generator's state, anything else. Values are
/// bytes; <see cref="Set(string, string)"/> and <see cref="Set(string, long)"/> store text (UTF-8) and integers
/// (8 bytes, little-endian) for the common cases.
/// </summary>
public sealed class CheckpointMetadata : IEnumerable<KeyValuePair<string, byte[]>>
{
    /// <summary>The longest key, in UTF-8 bytes.</summary>
    public const int MaxKeyLength = 1024;

    private readonly Dictionary<string, byte[]> _entries = new(StringComparer.Ordinal);

    /// <summary>Number of entries.</summary>
    public int Count => _entries.Count;

    /// <summary>The keys, in ordinal order (the order a checkpoint stores them in).</summary>
    public IEnumerable<string> Keys => SortedKeys();

    /// <summary>Stores a copy of <paramref name="value"/> under <paramref name="key"/>, replacing any previous value.</summary>
    /// <exception cref="ArgumentException">The key is empty or longer than <see cref="MaxKeyLength"/> UTF-8 bytes.</exception>
    public void Set(string key, ReadOnlySpan<byte> value)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        int length = Encoding.UTF8.GetByteCount(key);
        if (length > MaxKeyLength)
            throw new ArgumentException($"The key '{key[..32]}...' is {length} UTF-8 bytes; a key is at most {MaxKeyLength}.", nameof(key));
        _entries[key] = value.ToArray();
    }

    /// <summary>Stores <paramref name="value"/> as UTF-8 text.</summary>
    public void Set(string key, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        Set(key, Encoding.UTF8.GetBytes(value));
    }

    /// <summary>Stores <paramref name="value"/> as 8 little-endian bytes.</summary>
    public void Set(string key, long value)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, value);
        Set(key, bytes);
    }

    /// <summary>Collection-initializer form of <see cref="Set(string, ReadOnlySpan{byte})"/>:
    /// <c>new CheckpointMetadata { { "epoch", epoch }, { "sampler", sampler.GetState() } }</c>.</summary>
    public void Add(string key, byte[] value) => Set(key, value);

    /// <summary>Collection-initializer form of <see cref="Set(string, string)"/>.</summary>
    public void Add(string key, string value) => Set(key, value);

    /// <summary>Collection-initializer form of <see cref="Set(string, long)"/>.</summary>
    public void Add(string key, long value) => Set(key, value);

    /// <summary>Whether <paramref name="key"/> is present.</summary>
    public bool ContainsKey(string key) => _entries.ContainsKey(key);

    /// <summary>The bytes stored under <paramref name="key"/>, if any.</summary>
    public bool TryGetBytes(string key, out ReadOnlySpan<byte> value)
    {
        bool found = _entries.TryGetValue(key, out byte[]? bytes);
        value = bytes;
        return found;
    }

    /// <summary>The bytes stored under <paramref name="key"/>.</summary>
    /// <exception cref="KeyNotFoundException">No such key; the message lists the keys there are.</exception>
    public ReadOnlySpan<byte> GetBytes(string key) =>
        _entries.TryGetValue(key, out byte[]? bytes)
            ? bytes
            : throw new KeyNotFoundException($"The checkpoint metadata has no key '{key}'; it has: {(Count == 0 ? "none" : string.Join(", ", SortedKeys()))}.");

    /// <summary>The text stored under <paramref name="key"/> by <see cref="Set(string, string)"/>.</summary>
    public string GetString(string key) => Encoding.UTF8.GetString(GetBytes(key));

    /// <summary>The integer stored under <paramref name="key"/> by <see cref="Set(string, long)"/>.</summary>
    /// <exception cref="FormatException">The value is not 8 bytes long.</exception>
    public long GetInt64(string key)
    {
        ReadOnlySpan<byte> bytes = GetBytes(key);
        return bytes.Length == 8
            ? BinaryPrimitives.ReadInt64LittleEndian(bytes)
            : throw new FormatException($"The checkpoint metadata '{key}' is {bytes.Length} bytes, not an 8-byte integer.");
    }

    /// <inheritdoc/>
    public IEnumerator<KeyValuePair<string, byte[]>> GetEnumerator()
    {
        foreach (string key in SortedKeys())
        {
            yield return new(key, _entries[key]);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private List<string> SortedKeys()
    {
        var keys = new List<string>(_entries.Keys);
        keys.Sort(StringComparer.Ordinal);
        return keys;
    }
}
