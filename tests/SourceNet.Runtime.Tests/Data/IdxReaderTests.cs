using System.Buffers.Binary;
using System.IO;
using System.IO.Compression;
using SourceNet.Data;

namespace SourceNet.Runtime.Tests.Data;

public sealed class IdxReaderTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private string WriteFile(string name, byte[] bytes)
    {
        string path = _temp.File(name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private IdxFormatException ReadFails(byte[] bytes, bool gzip = false)
    {
        string path = WriteFile(gzip ? "bad.gz" : "bad", gzip ? TestFiles.Gzip(bytes) : bytes);
        var error = Assert.Throws<IdxFormatException>(() => IdxReader.Read(path));
        Assert.Equal(path, error.FilePath);
        Assert.Contains(path, error.Message);
        Assert.Contains($"at byte {error.Offset}", error.Message);
        Assert.Contains(error.Expected, error.Message);
        Assert.Contains(error.Found, error.Message);
        return error;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Reads_shape_and_data(bool gzip)
    {
        byte[] data = TestFiles.Pattern(3 * 4 * 5);
        byte[] raw = TestFiles.Idx([3, 4, 5], data);
        string path = WriteFile("file", gzip ? TestFiles.Gzip(raw) : raw);

        IdxFile file = IdxReader.Read(path);

        Assert.Equal(path, file.Path);
        Assert.Equal([3, 4, 5], file.Dimensions);
        Assert.Equal(data, file.Data);
        Assert.Equal(16, file.HeaderLength);
    }

    [Fact]
    public void Detects_gzip_by_content_not_by_extension()
    {
        byte[] raw = TestFiles.Idx([7], [1, 2, 3, 4, 5, 6, 7]);
        string gzipWithoutExtension = WriteFile("compressed.idx", TestFiles.Gzip(raw));
        string rawWithGzExtension = WriteFile("plain.gz", raw);

        Assert.Equal(raw[8..], IdxReader.Read(gzipWithoutExtension).Data);
        Assert.Equal(raw[8..], IdxReader.Read(rawWithGzExtension).Data);
    }

    [Fact]
    public void Reads_from_non_seekable_streams_raw_and_gzip()
    {
        byte[] raw = TestFiles.Idx([2, 3], [10, 20, 30, 40, 50, 60]);
        // A decompressing GZipStream cannot seek: the reader must sniff the gzip magic without rewinding.
        using (var rawStream = new GZipStream(new MemoryStream(TestFiles.Gzip(raw)), CompressionMode.Decompress))
        {
            Assert.False(rawStream.CanSeek);
            IdxFile file = IdxReader.Read(rawStream, "raw-stream");
            Assert.Equal("raw-stream", file.Path);
            Assert.Equal(raw[12..], file.Data);
        }
        using (var gzipStream = new GZipStream(new MemoryStream(TestFiles.Gzip(TestFiles.Gzip(raw))), CompressionMode.Decompress))
        {
            Assert.Equal(raw[12..], IdxReader.Read(gzipStream, "gzip-stream").Data);
        }
    }

    [Fact]
    public void Checks_an_expected_shape_before_the_data()
    {
        string path = WriteFile("images", TestFiles.Images(2, 28, 27));

        Assert.Equal([2, 28, 27], IdxReader.Read(path, [IdxReader.AnySize, 28, 27]).Dimensions);
        var wrongSize = Assert.Throws<IdxFormatException>(() => IdxReader.Read(path, [IdxReader.AnySize, 28, 28]));
        Assert.Equal(12, wrongSize.Offset);
        Assert.Equal("dimension 2 to be 28", wrongSize.Expected);
        Assert.Equal("27", wrongSize.Found);

        var wrongRank = Assert.Throws<IdxFormatException>(() => IdxReader.Read(path, [IdxReader.AnySize]));
        Assert.Equal(3, wrongRank.Offset);
        Assert.Equal("dimension count 1", wrongRank.Expected);
        Assert.Equal("3", wrongRank.Found);
    }

    [Theory]
    [InlineData(0x01, 0x00)]
    [InlineData(0x00, 0x01)]
    [InlineData(0x50, 0x4B)] // a zip file
    public void Rejects_a_wrong_magic(byte first, byte second)
    {
        byte[] bytes = TestFiles.Idx([2], [1, 2]);
        bytes[0] = first;
        bytes[1] = second;

        var error = ReadFails(bytes);

        Assert.Equal(0, error.Offset);
        Assert.Contains("00 00", error.Expected);
        Assert.Contains($"{first:X2} {second:X2}", error.Found);
    }

    [Theory]
    [InlineData(0x0D, "float32, not supported")]
    [InlineData(0x09, "signed byte, not supported")]
    [InlineData(0x0C, "int32, not supported")]
    [InlineData(0x03, "not an IDX type code")]
    public void Rejects_other_element_types_clearly(byte type, string description)
    {
        var error = ReadFails(TestFiles.Idx([2], [1, 2], type));

        Assert.Equal(2, error.Offset);
        Assert.Equal("type code 0x08 (unsigned byte)", error.Expected);
        Assert.Equal($"0x{type:X2} ({description})", error.Found);
    }

    [Fact]
    public void Rejects_zero_dimensions()
    {
        var error = ReadFails([0, 0, 8, 0]);

        Assert.Equal(3, error.Offset);
        Assert.Equal("0", error.Found);
    }

    [Theory]
    [InlineData(0, 4)]
    [InlineData(1, 8)]
    [InlineData(2, 12)]
    public void Rejects_a_zero_dimension_size(int zeroAt, long offset)
    {
        int[] dimensions = [3, 28, 28];
        dimensions[zeroAt] = 0;

        var error = ReadFails(TestFiles.Idx(dimensions, []));

        Assert.Equal(offset, error.Offset);
        Assert.Equal($"dimension {zeroAt} to be positive", error.Expected);
        Assert.Equal("0", error.Found);
    }

    [Fact]
    public void Rejects_a_negative_dimension_size()
    {
        var error = ReadFails(TestFiles.Idx([4, int.MinValue], []));

        Assert.Equal(8, error.Offset);
        Assert.Equal(int.MinValue.ToString(), error.Found);
    }

    [Fact]
    public void Rejects_sizes_whose_product_overflows_before_allocating()
    {
        var error = ReadFails(TestFiles.Idx([65536, 65536, 65536], []));

        Assert.Equal(8, error.Offset);
        Assert.Contains($"at most {Array.MaxLength} elements", error.Expected);
    }

    [Theory]
    [InlineData(0, 0L, "end of data")]
    [InlineData(3, 3L, "end of data after 3 bytes")]
    public void Rejects_a_truncated_magic(int length, long offset, string found)
    {
        var error = ReadFails(new byte[] { 0, 0, 8, 3 }[..length]);

        Assert.Equal(offset, error.Offset);
        Assert.Equal(found, error.Found);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Rejects_a_truncated_header(bool gzip)
    {
        // Three dimensions declared, only one and a half sizes present.
        byte[] bytes = TestFiles.Idx([10, 28, 28], [])[..10];

        var error = ReadFails(bytes, gzip);

        Assert.Equal(10, error.Offset);
        Assert.Equal("3 dimension sizes (12 bytes) after the magic number", error.Expected);
        Assert.Equal("end of data after 6 bytes", error.Found);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Rejects_truncated_data_naming_offset_and_byte_counts(bool gzip)
    {
        byte[] bytes = TestFiles.Images(10)[..(16 + 7000)];

        var error = ReadFails(bytes, gzip);

        Assert.Equal(16 + 7000, error.Offset);
        Assert.Equal("7840 data bytes for shape 10 x 28 x 28 (file length 7856)", error.Expected);
        Assert.Equal("only 7000 data bytes (file truncated)", error.Found);
    }

    [Theory]
    [InlineData(false, 1)]
    [InlineData(false, 5000)]
    [InlineData(true, 5)]
    public void Rejects_trailing_bytes(bool gzip, int extra)
    {
        byte[] valid = TestFiles.Images(10);
        byte[] bytes = [.. valid, .. new byte[extra]];

        var error = ReadFails(bytes, gzip);

        Assert.Equal(valid.Length, error.Offset);
        Assert.Equal("end of data after 7840 data bytes", error.Expected);
        Assert.Equal($"{extra} trailing bytes", error.Found);
    }

    [Fact]
    public void Wraps_a_gzip_checksum_failure()
    {
        byte[] raw = TestFiles.Images(3);
        byte[] compressed = TestFiles.Gzip(raw);
        // The gzip trailer is CRC-32 then length: the data decompresses fine, only the final check fails.
        compressed[^8] ^= 0xFF;
        string path = WriteFile("crc.gz", compressed);

        var error = Assert.Throws<IdxFormatException>(() => IdxReader.Read(path));

        Assert.IsType<InvalidDataException>(error.InnerException);
        Assert.Equal("a valid gzip stream", error.Expected);
        Assert.StartsWith("corrupt compressed data", error.Found);
        // The decompressor may verify the trailer while filling the data array, before the reader counts those bytes.
        Assert.InRange(error.Offset, 16, raw.Length);
    }

    [Fact]
    public void Wraps_garbage_after_the_gzip_magic()
    {
        byte[] bytes = new byte[200];
        for (int i = 0; i < bytes.Length; i++)
        {
            bytes[i] = (byte)(i * 131 + 17);
        }
        bytes[0] = 0x1F;
        bytes[1] = 0x8B;
        bytes[2] = 0x63; // not the deflate method (8)
        string path = WriteFile("garbage", bytes);

        var error = Assert.Throws<IdxFormatException>(() => IdxReader.Read(path));

        Assert.IsType<InvalidDataException>(error.InnerException);
        Assert.Equal(0, error.Offset);
    }

    [Fact]
    public void A_cut_gzip_stream_is_an_error()
    {
        byte[] compressed = TestFiles.Gzip(TestFiles.Images(20));
        string path = WriteFile("cut.gz", compressed[..(compressed.Length / 2)]);

        // Depending on where the cut falls the decompressor reports it or the data comes up short: either way, an IdxFormatException.
        Assert.Throws<IdxFormatException>(() => IdxReader.Read(path));
    }

    [Fact]
    public void Reads_the_genuine_training_labels()
    {
        IdxFile labels = IdxReader.Read(Path.Combine(TestFiles.MnistFolder, "train-labels-idx1-ubyte.gz"));

        Assert.Equal([60000], labels.Dimensions);
        Assert.Equal([5, 0, 4, 1, 9, 2, 1, 3, 1, 4], labels.Data[..10]);
        Assert.Equal(0x00000801, BinaryPrimitives.ReadInt32BigEndian(TestFiles.Gunzip(File.ReadAllBytes(labels.Path))));
    }
}
