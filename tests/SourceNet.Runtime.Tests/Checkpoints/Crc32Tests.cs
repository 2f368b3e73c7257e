using System.Buffers.Binary;
using System.Text;
using SourceNet.Checkpoints;
using SourceNet.Runtime.Tests.Data;

namespace SourceNet.Runtime.Tests.Checkpoints;

public sealed class Crc32Tests
{
    [Fact]
    public void Matches_the_standard_check_values()
    {
        Assert.Equal(0xCBF43926u, Crc32.Compute("123456789"u8));
        Assert.Equal(0u, Crc32.Compute([]));
        Assert.Equal(0x414FA339u, Crc32.Compute(Encoding.ASCII.GetBytes("The quick brown fox jumps over the lazy dog")));
    }

    [Fact]
    public void Matches_the_crc_in_a_gzip_trailer()
    {
        // zlib computes the same CRC-32 for the gzip trailer: an independent implementation to check against.
        byte[] data = TestFiles.Pattern(100_003);
        byte[] compressed = TestFiles.Gzip(data);

        Assert.Equal(BinaryPrimitives.ReadUInt32LittleEndian(compressed.AsSpan(compressed.Length - 8)), Crc32.Compute(data));
    }

    [Fact]
    public void Appending_in_pieces_equals_computing_at_once()
    {
        byte[] data = TestFiles.Pattern(1000);

        uint pieces = Crc32.Append(Crc32.Append(Crc32.Compute(data.AsSpan(0, 1)), data.AsSpan(1, 600)), data.AsSpan(601));

        Assert.Equal(Crc32.Compute(data), pieces);
    }
}
