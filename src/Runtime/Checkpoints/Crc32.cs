using System;

namespace SourceNet.Checkpoints;

/// <summary>
/// CRC-32 as in zip, gzip and PNG (IEEE 802.3, reflected polynomial 0xEDB88320, initial and final
/// XOR 0xFFFFFFFF); check value 0xCBF43926 for the ASCII bytes "123456789". Table-driven, a byte at a time:
/// checkpoints are small, and this keeps the runtime free of a System.IO.Hashing dependency.
/// </summary>
internal static class Crc32
{
    private static readonly uint[] Table = CreateTable();

    /// <summary>The CRC-32 of <paramref name="data"/>.</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => Append(0, data);

    /// <summary>
    /// The CRC-32 of the bytes that gave <paramref name="crc"/> followed by <paramref name="data"/>
    /// (zlib's <c>crc32(crc, buf, len)</c> convention: start from 0).
    /// </summary>
    public static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        uint[] table = Table;
        uint state = ~crc;
        foreach (byte b in data)
        {
            state = table[(byte)(state ^ b)] ^ (state >> 8);
        }
        return ~state;
    }

    private static uint[] CreateTable()
    {
        uint[] table = new uint[256];
        for (uint n = 0; n < table.Length; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }
            table[n] = c;
        }
        return table;
    }
}
