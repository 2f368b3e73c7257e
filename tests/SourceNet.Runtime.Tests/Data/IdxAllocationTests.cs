using System.IO;
using SourceNet.Data;

namespace SourceNet.Runtime.Tests.Data;

/// <summary>
/// The IDX reader never allocates what the header claims before the file backs it (issue 19: a 32-byte
/// file claiming 2.7 million images allocated 2 GB). Raw files are checked against their length, gzip
/// streams as they are read.
/// </summary>
public sealed class IdxAllocationTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_tiny_file_claiming_millions_of_images_fails_without_allocating_them(bool gzip)
    {
        // 2,700,000 x 28 x 28 = 2.1 GB claimed; 16 header bytes and 16 data bytes present.
        byte[] header = TestFiles.Idx([2_700_000, 28, 28], []);
        byte[] raw = [.. header, .. new byte[16]];
        Assert.Equal(32, raw.Length);
        string path = _temp.File(gzip ? "claims.gz" : "claims");
        File.WriteAllBytes(path, gzip ? TestFiles.Gzip(raw) : raw);

        long allocated = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<IdxFormatException>(() => IdxReader.Read(path));
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;

        Assert.True(allocated < 4 << 20, $"Refusing a 32-byte file allocated {allocated:N0} bytes.");
        Assert.Equal("only 16 data bytes (file truncated)", error.Found);
        Assert.Equal(32, error.Offset);
    }

    [Fact]
    public void A_gzip_stream_larger_than_the_first_buffer_is_read_whole()
    {
        // 3 MiB + 5 bytes: the buffer doubles from 1 MiB twice and lands on the exact size.
        byte[] data = TestFiles.Pattern((3 << 20) + 5);
        string path = _temp.File("big.gz");
        File.WriteAllBytes(path, TestFiles.Gzip(TestFiles.Idx([data.Length], data)));
        Assert.Equal(data, IdxReader.Read(path).Data);
    }
}
