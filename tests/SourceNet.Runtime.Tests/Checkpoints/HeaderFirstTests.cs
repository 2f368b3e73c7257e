using System.Buffers.Binary;
using System.IO;
using SourceNet.Checkpoints;
using SourceNet.Runtime.Tests.Data;

namespace SourceNet.Runtime.Tests.Checkpoints;

/// <summary>
/// Checkpoint.Load reads the 20-byte header before the file (issue 19): a gigabyte of junk, a header that
/// claims another length, or a file too large for an array is refused without reading it, and the network
/// is unchanged. The large files are sparse, so they cost no disk.
/// </summary>
public sealed class HeaderFirstTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private string SparseFile(string name, long length, ReadOnlySpan<byte> start)
    {
        string path = _temp.File(name);
        using var stream = new FileStream(path, FileMode.CreateNew);
        stream.Write(start);
        stream.SetLength(length);
        return path;
    }

    private static byte[] Header(long declaredLength, uint version = Checkpoint.FormatVersion)
    {
        byte[] header = new byte[20];
        "SNCK"u8.CopyTo(header);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(4), version);
        BinaryPrimitives.WriteInt64LittleEndian(header.AsSpan(8), declaredLength);
        return header;
    }

    /// <summary>Loads and asserts the refusal allocated far less than the file (before: the whole file was read first).</summary>
    private static CheckpointFormatException RefusedWithoutReading(string path)
    {
        TestNetwork network = TestNetwork.Small().Randomize(5);
        int[][] before = network.Bits();
        long allocated = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<CheckpointFormatException>(() => Checkpoint.Load(path, network));
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
        Assert.True(allocated < 1 << 20, $"Refusing {path} allocated {allocated:N0} bytes.");
        Assert.Equal(before, network.Bits());
        return error;
    }

    [Fact]
    public void A_gigabyte_of_junk_is_refused_at_the_magic_number_without_reading_it()
    {
        string path = SparseFile("junk.sncp", 1L << 30, "JUNK"u8);
        CheckpointFormatException error = RefusedWithoutReading(path);
        Assert.Equal(0, error.Offset);
        Assert.Contains("magic number", error.Expected, StringComparison.Ordinal);
    }

    [Fact]
    public void A_header_claiming_another_length_is_refused_before_the_file_is_read()
    {
        string path = SparseFile("short.sncp", 1L << 28, Header(declaredLength: 1000));
        CheckpointFormatException error = RefusedWithoutReading(path);
        Assert.Equal(1000, error.Offset);
        Assert.Contains("trailing bytes", error.Found, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_over_2_GB_is_refused_with_the_limit_not_an_IOException()
    {
        long length = 3L << 30;
        string path = SparseFile("huge.sncp", length, Header(declaredLength: length));
        CheckpointFormatException error = RefusedWithoutReading(path);
        Assert.Contains($"at most {Array.MaxLength:N0} bytes", error.Expected, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_version_is_refused_from_the_header()
    {
        string path = SparseFile("v9.sncp", 1L << 20, Header(declaredLength: 1L << 20, version: 9));
        Assert.Equal("version 9", RefusedWithoutReading(path).Found);
    }

    [Fact]
    public void Valid_checkpoints_still_load_after_the_header_check()
    {
        string path = _temp.File("ok.sncp");
        TestNetwork saved = TestNetwork.Small().Randomize(3);
        Checkpoint.Save(path, saved);
        TestNetwork loaded = TestNetwork.Small().Randomize(4);
        Checkpoint.Load(path, loaded);
        Assert.Equal(saved.Bits(), loaded.Bits());
    }
}
