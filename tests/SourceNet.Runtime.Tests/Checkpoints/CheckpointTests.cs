using System.Buffers.Binary;
using System.IO;
using System.Text;
using SourceNet.Checkpoints;
using SourceNet.Runtime.Tests.Data;

namespace SourceNet.Runtime.Tests.Checkpoints;

public sealed class CheckpointTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly string _path;

    public CheckpointTests() => _path = _temp.File("model.sncp");

    public void Dispose() => _temp.Dispose();

    /// <summary>The bytes of a valid checkpoint of <see cref="TestNetwork.Small"/>.</summary>
    private byte[] SavedSmall(long seed = 1)
    {
        Checkpoint.Save(_path, TestNetwork.Small().Randomize(seed));
        return File.ReadAllBytes(_path);
    }

    /// <summary>Loads <paramref name="bytes"/> into a randomized network, asserts it fails and that the network is unchanged.</summary>
    private CheckpointFormatException LoadFails(byte[] bytes, TestNetwork? network = null)
    {
        File.WriteAllBytes(_path, bytes);
        network ??= TestNetwork.Small().Randomize(99);
        int[][] before = network.Bits();

        var error = Assert.Throws<CheckpointFormatException>(() => Checkpoint.Load(_path, network));

        Assert.Equal(before, network.Bits());
        Assert.Equal(_path, error.FilePath);
        Assert.Equal($"{_path}: at byte {error.Offset}, expected {error.Expected}, found {error.Found}", error.Message);
        return error;
    }

    private static byte[] WithChecksum(byte[] bytes)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(bytes.Length - 4), System.IO.Hashing.Crc32.HashToUInt32(bytes.AsSpan(0, bytes.Length - 4)));
        return bytes;
    }

    /// <summary>Where the values of the parameter named <paramref name="name"/> start: after its name, rows and columns.</summary>
    private static int DataOffset(byte[] bytes, string name)
    {
        byte[] encoded = Encoding.UTF8.GetBytes(name);
        int at = bytes.AsSpan().IndexOf([.. BitConverter.GetBytes(encoded.Length), .. encoded]);
        Assert.True(at > 0);
        return at + 4 + encoded.Length + 8;
    }

    [Fact]
    public void A_round_trip_is_bit_exact()
    {
        TestNetwork saved = TestNetwork.Small().Randomize(7);
        float[] special = saved.Parameters[0].Value;
        special[0] = -0f;
        special[1] = float.Epsilon;
        special[2] = 1e-40f; // subnormal
        special[3] = float.MaxValue;
        special[4] = float.MinValue;
        TestNetwork loaded = TestNetwork.Small();

        Checkpoint.Save(_path, saved);
        Checkpoint.Load(_path, loaded);

        Assert.Equal(saved.Bits(), loaded.Bits());
        Assert.NotEqual(TestNetwork.Small().Bits(), loaded.Bits());
    }

    [Fact]
    public void The_file_layout_is_as_documented()
    {
        TestNetwork network = TestNetwork.Small().Randomize(3);
        Checkpoint.Save(_path, network);
        byte[] bytes = File.ReadAllBytes(_path);
        ReadOnlySpan<byte> span = bytes;

        Assert.Equal("SNCK"u8.ToArray(), bytes[..4]);
        Assert.Equal(3u, BinaryPrimitives.ReadUInt32LittleEndian(span[4..]));
        Assert.Equal(bytes.Length, BinaryPrimitives.ReadInt64LittleEndian(span[8..]));
        Assert.Equal(4, BinaryPrimitives.ReadInt32LittleEndian(span[16..]));
        Assert.Equal(13, BinaryPrimitives.ReadInt32LittleEndian(span[20..]));
        Assert.Equal("Hidden.Weight", Encoding.UTF8.GetString(span.Slice(24, 13)));
        Assert.Equal(4, BinaryPrimitives.ReadInt32LittleEndian(span[37..]));
        Assert.Equal(3, BinaryPrimitives.ReadInt32LittleEndian(span[41..]));
        Assert.Equal(network.Parameters[0].Value[0], BinaryPrimitives.ReadSingleLittleEndian(span[45..]));
        // No optimizer (an empty kind), no metadata, no generators, no buffers (0 entries each): four int32 zeros before the checksum.
        Assert.Equal(0, BinaryPrimitives.ReadInt32LittleEndian(span[^20..]));
        Assert.Equal(0, BinaryPrimitives.ReadInt32LittleEndian(span[^16..]));
        Assert.Equal(0, BinaryPrimitives.ReadInt32LittleEndian(span[^12..]));
        Assert.Equal(0, BinaryPrimitives.ReadInt32LittleEndian(span[^8..]));
        Assert.Equal(network.Parameters[3].Value[1], BinaryPrimitives.ReadSingleLittleEndian(span[^24..]));
        // Header 20, names 13+11+13+11 with 4-byte lengths, shapes 4 x 8, values (12+3+6+2) x 4, optimizer, metadata, generators and buffers 16, checksum 4.
        Assert.Equal(20 + 48 + 16 + 32 + 92 + 16 + 4, bytes.Length);
        // The checksum is the standard CRC-32 (zip, gzip): checked against a known vector elsewhere, here against the library.
        Assert.Equal(System.IO.Hashing.Crc32.HashToUInt32(span[..^4]), BinaryPrimitives.ReadUInt32LittleEndian(span[^4..]));
    }

    [Fact]
    public void Saving_again_replaces_the_file_and_leaves_no_temporary_files()
    {
        Checkpoint.Save(_path, TestNetwork.Small().Randomize(1));
        TestNetwork second = TestNetwork.Small().Randomize(2);
        Checkpoint.Save(_path, second);
        TestNetwork loaded = TestNetwork.Small();

        Checkpoint.Load(_path, loaded);

        Assert.Equal(second.Bits(), loaded.Bits());
        Assert.Equal([_path], Directory.GetFiles(_temp.Path));
    }

    [Theory]
    [InlineData(float.NaN, "NaN")]
    [InlineData(float.PositiveInfinity, "Infinity")]
    public void A_save_failing_part_way_leaves_the_previous_checkpoint_untouched(float bad, string text)
    {
        byte[] previous = SavedSmall();
        // The first parameter outgrows the 64 KiB write buffer, so bytes reach the temporary file before the failure.
        var network = new TestNetwork(("Big.Weight", 300, 100), ("Big.Bias", 1, 100)).Randomize(5);
        network.Parameters[1].Value[42] = bad;

        var error = Assert.Throws<InvalidOperationException>(() => Checkpoint.Save(_path, network));

        Assert.Contains("'Big.Bias'", error.Message);
        Assert.Contains($"{text} at index 42", error.Message);
        Assert.Equal(previous, File.ReadAllBytes(_path));
        Assert.Equal([_path], Directory.GetFiles(_temp.Path));
    }

    [Fact]
    public void A_failed_save_creates_no_file()
    {
        TestNetwork network = TestNetwork.Small();
        network.Parameters[3].Value[1] = float.NegativeInfinity;

        Assert.Throws<InvalidOperationException>(() => Checkpoint.Save(_path, network));

        Assert.Empty(Directory.GetFiles(_temp.Path));
    }

    [Fact]
    public void A_network_failing_to_give_its_parameters_leaves_the_previous_checkpoint_untouched()
    {
        byte[] previous = SavedSmall();
        TestNetwork network = TestNetwork.Small().Randomize(8);
        network.ThrowAtIndex = 2;

        var error = Assert.Throws<InvalidOperationException>(() => Checkpoint.Save(_path, network));

        Assert.Equal("parameter read failed", error.Message);
        Assert.Equal(previous, File.ReadAllBytes(_path));
        Assert.Equal([_path], Directory.GetFiles(_temp.Path));
    }

    [Fact]
    public void A_network_failing_to_give_its_parameters_on_load_is_left_unchanged()
    {
        SavedSmall();
        TestNetwork network = TestNetwork.Small().Randomize(8);
        int[][] before = network.Bits();
        network.ThrowAtIndex = 3;

        Assert.Throws<InvalidOperationException>(() => Checkpoint.Load(_path, network));

        Assert.Equal(before, network.Bits());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    public void A_bad_magic_is_rejected(int index)
    {
        byte[] bytes = SavedSmall();
        bytes[index] ^= 0x20;

        var error = LoadFails(bytes);

        Assert.Equal(0, error.Offset);
        Assert.Equal("the magic number 534E434B (\"SNCK\")", error.Expected);
        Assert.Equal(Convert.ToHexString(bytes[..4]), error.Found);
    }

    [Fact]
    public void Another_version_is_rejected()
    {
        byte[] bytes = SavedSmall();
        bytes[4] = 4;

        var error = LoadFails(WithChecksum(bytes));

        Assert.Equal(4, error.Offset);
        Assert.Equal("format version 1, 2 or 3", error.Expected);
        Assert.Equal("version 4", error.Found);
    }

    [Fact]
    public void Every_truncation_is_rejected()
    {
        byte[] bytes = SavedSmall();

        for (int length = 0; length < bytes.Length; length++)
        {
            CheckpointFormatException error = LoadFails(bytes[..length]);
            if (length >= 24)
            {
                Assert.Equal(length, error.Offset);
                Assert.Equal($"{bytes.Length} bytes (the length in the header)", error.Expected);
                Assert.Equal($"end of file after {length} bytes (truncated)", error.Found);
            }
        }
    }

    [Fact]
    public void Trailing_bytes_are_rejected()
    {
        byte[] bytes = SavedSmall();

        var error = LoadFails([.. bytes, 0, 0, 0]);

        Assert.Equal(bytes.Length, error.Offset);
        Assert.Equal("3 trailing bytes", error.Found);
    }

    [Fact]
    public void Any_flipped_bit_from_the_parameter_count_on_fails_the_checksum()
    {
        byte[] bytes = SavedSmall();

        // Every byte from the parameter count to the checksum itself, one bit at a time in turn.
        for (int index = 16; index < bytes.Length; index++)
        {
            byte[] corrupt = (byte[])bytes.Clone();
            corrupt[index] ^= (byte)(1 << (index % 8));

            CheckpointFormatException error = LoadFails(corrupt);

            Assert.Equal(bytes.Length - 4, error.Offset);
            Assert.StartsWith("CRC-32", error.Expected);
            Assert.EndsWith("(the file is corrupt)", error.Found);
        }
    }

    [Fact]
    public void A_different_parameter_count_is_rejected()
    {
        SavedSmall();
        var network = new TestNetwork(("Hidden.Weight", 4, 3), ("Hidden.Bias", 1, 3), ("Output.Weight", 3, 2)).Randomize(4);

        var error = LoadFails(File.ReadAllBytes(_path), network);

        Assert.Equal(16, error.Offset);
        Assert.Equal("3 parameters, as in the network", error.Expected);
        Assert.Equal("4", error.Found);
    }

    [Fact]
    public void A_different_name_is_rejected()
    {
        byte[] bytes = SavedSmall();
        var network = new TestNetwork(("Hidden.Weight", 4, 3), ("Hidden.Bias", 1, 3), ("Out.Weight", 3, 2), ("Output.Bias", 1, 2)).Randomize(4);

        var error = LoadFails(bytes, network);

        Assert.Equal(DataOffset(bytes, "Output.Weight") - 8 - 13, error.Offset);
        Assert.Equal("parameter 2 named 'Out.Weight'", error.Expected);
        Assert.Equal("'Output.Weight'", error.Found);
    }

    [Fact]
    public void A_different_shape_is_rejected()
    {
        byte[] bytes = SavedSmall();
        var network = new TestNetwork(("Hidden.Weight", 3, 4), ("Hidden.Bias", 1, 3), ("Output.Weight", 3, 2), ("Output.Bias", 1, 2)).Randomize(4);

        var error = LoadFails(bytes, network);

        Assert.Equal(37, error.Offset);
        Assert.Equal("shape [3, 4] for 'Hidden.Weight'", error.Expected);
        Assert.Equal("[4, 3]", error.Found);
    }

    [Theory]
    [InlineData("Hidden.Weight", 7, float.NaN, "NaN")]
    [InlineData("Output.Bias", 1, float.PositiveInfinity, "Infinity")]
    [InlineData("Hidden.Bias", 0, float.NegativeInfinity, "-Infinity")]
    public void Non_finite_values_are_rejected_with_name_and_index(string name, int index, float value, string text)
    {
        byte[] bytes = SavedSmall();
        int offset = DataOffset(bytes, name) + 4 * index;
        BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(offset), value);

        var error = LoadFails(WithChecksum(bytes));

        Assert.Equal(offset, error.Offset);
        Assert.Equal($"finite values in '{name}'", error.Expected);
        Assert.Equal($"{text} at index {index}", error.Found);
    }

    [Theory]
    [InlineData(1_000_000, "a length of 1..1024 bytes for the name of parameter 0")]
    [InlineData(-5, "a length of 1..1024 bytes for the name of parameter 0")]
    [InlineData(300, "300 bytes for the name of parameter 0")]
    public void A_malformed_file_with_a_valid_checksum_is_rejected_without_crashing(int nameLength, string expected)
    {
        byte[] bytes = SavedSmall();
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(20), nameLength);

        var error = LoadFails(WithChecksum(bytes));

        Assert.Equal(nameLength == 300 ? 24 : 20, error.Offset);
        Assert.Equal(expected, error.Expected);
    }

    [Fact]
    public void A_header_length_that_lies_is_rejected()
    {
        byte[] bytes = SavedSmall();
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(8), 10);

        var error = LoadFails(bytes);

        Assert.Equal(8, error.Offset);
        Assert.Equal("10", error.Found);
    }

    [Fact]
    public void A_missing_file_leaves_the_network_unchanged()
    {
        TestNetwork network = TestNetwork.Small().Randomize(6);
        int[][] before = network.Bits();

        Assert.Throws<FileNotFoundException>(() => Checkpoint.Load(_temp.File("absent.sncp"), network));

        Assert.Equal(before, network.Bits());
    }

    [Fact]
    public void A_network_without_parameters_round_trips()
    {
        Checkpoint.Save(_path, new TestNetwork());

        Checkpoint.Load(_path, new TestNetwork());

        Assert.Equal(40, new FileInfo(_path).Length); // header 20, four empty sections 16, checksum 4
        LoadFails(File.ReadAllBytes(_path), TestNetwork.Small());
    }
}
