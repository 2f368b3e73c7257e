using System.Buffers.Binary;
using System.IO;
using SourceNet.Checkpoints;
using SourceNet.Runtime.Tests.Data;

namespace SourceNet.Runtime.Tests.Checkpoints;

/// <summary>
/// Layers' non-trainable buffers (BatchNorm's running statistics and its int64 counter) and generators are saved
/// and restored from the layers' declarations, bit for bit; older files load where they can and are refused clearly
/// where they cannot.
/// </summary>
public sealed class BufferCheckpointTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly string _path;

    public BufferCheckpointTests() => _path = _temp.File("bn.sncp");

    public void Dispose() => _temp.Dispose();

    /// <summary>Conv-free stand-in for a residual block's state: BatchNorm (2, 2, 3), then dropout with an exposed generator.</summary>
    private sealed class NormNetwork : INetwork
    {
        public NormNetwork(long seed)
        {
            Random = new SeededRandom(seed);
            Norm = new BatchNormLayer("Norm", LayerShape.Image(2, 2, 3), momentum: 0.1f, epsilon: 1e-5f);
            Drop = new DropoutLayer("Drop", Norm.OutputShape, 0.25f, Random);
            Norm.Weight.InitializeNormal(Random, 1f);
            Norm.Bias.InitializeNormal(Random, 1f);
            Random.FillNormal(Norm.RunningMean.Singles, 0f, 1f);
            Random.FillNormal(Norm.RunningVariance.Singles, 2f, 0.5f);
            Norm.BatchesTracked.Int64s[0] = (long)(Random.NextUInt64() >> 1);
        }

        public SeededRandom Random { get; }

        public BatchNormLayer Norm { get; }

        public DropoutLayer Drop { get; }

        public int InputSize => 12;

        public int OutputSize => 12;

        public int MaxBatchSize => 1;

        public IReadOnlyList<Parameter> Parameters => Norm.Parameters;

        public IReadOnlyList<Layer> Layers => [Norm, Drop];

        public int[] Bits() =>
        [
            .. Norm.Weight.Value.Select(BitConverter.SingleToInt32Bits), .. Norm.Bias.Value.Select(BitConverter.SingleToInt32Bits),
            .. Norm.RunningMean.Singles.Select(BitConverter.SingleToInt32Bits), .. Norm.RunningVariance.Singles.Select(BitConverter.SingleToInt32Bits),
        ];
    }

    [Fact]
    public void Buffers_and_generators_round_trip_bit_exact()
    {
        var saved = new NormNetwork(seed: 1);
        saved.Random.NextUInt64();
        Checkpoint.Save(_path, saved);
        var loaded = new NormNetwork(seed: 2);
        Assert.NotEqual(saved.Bits(), loaded.Bits());

        Checkpoint.Load(_path, loaded);

        Assert.Equal(saved.Bits(), loaded.Bits());
        Assert.Equal(saved.Norm.BatchesTracked.Int64s, loaded.Norm.BatchesTracked.Int64s);
        Assert.True(saved.Norm.BatchesTracked.Int64s[0] > int.MaxValue); // the counter keeps all 64 bits
        Assert.Equal(saved.Random.NextUInt64(), loaded.Random.NextUInt64());
    }

    [Fact]
    public void A_non_finite_running_statistic_is_refused_at_save()
    {
        var network = new NormNetwork(seed: 1);
        network.Norm.RunningVariance.Singles[2] = float.NaN;

        var error = Assert.Throws<InvalidOperationException>(() => Checkpoint.Save(_path, network));

        Assert.Contains("Norm.RunningVariance", error.Message);
        Assert.False(File.Exists(_path));
    }

    [Fact]
    public void A_buffer_of_another_size_is_refused_and_changes_nothing()
    {
        Checkpoint.Save(_path, new NormNetwork(seed: 1));
        byte[] bytes = File.ReadAllBytes(_path);
        // The last buffer is the counter: name, type byte, int32 length 1, 8 bytes, then the checksum.
        int lengthAt = bytes.Length - 4 - 8 - 4;
        Assert.Equal(1, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(lengthAt)));
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(lengthAt), 2);
        File.WriteAllBytes(_path, WithChecksum(bytes));
        var target = new NormNetwork(seed: 2);
        int[] before = target.Bits();
        long counter = target.Norm.BatchesTracked.Int64s[0];

        var error = Assert.Throws<CheckpointFormatException>(() => Checkpoint.Load(_path, target));

        Assert.Equal(lengthAt, error.Offset);
        Assert.Equal("1 values in 'Norm.BatchesTracked' (shape [])", error.Expected);
        Assert.Equal("2", error.Found);
        Assert.Equal(before, target.Bits());
        Assert.Equal(counter, target.Norm.BatchesTracked.Int64s[0]);
    }

    [Fact]
    public void A_version_2_file_loads_into_a_network_without_buffers()
    {
        TestNetwork saved = TestNetwork.Small().Randomize(3);
        File.WriteAllBytes(_path, AsVersion2(SavedBytes(saved)));
        TestNetwork loaded = TestNetwork.Small();

        Checkpoint.Load(_path, loaded);

        Assert.Equal(saved.Bits(), loaded.Bits());
    }

    [Fact]
    public void A_version_2_file_is_refused_by_a_network_with_buffers_naming_them()
    {
        // A network with the same parameters but a BatchNorm: its buffers cannot come from a file that has none.
        var network = new NormNetwork(seed: 1);
        byte[] version3 = SavedBytes(network);
        // Drop the buffers section: everything after the generators' last byte, before the checksum.
        int buffersAt = version3.AsSpan().IndexOf("Norm.RunningMean"u8) - 4 - 4;
        byte[] version2 = [.. version3[..buffersAt], 0, 0, 0, 0];
        BinaryPrimitives.WriteUInt32LittleEndian(version2.AsSpan(4), 2);
        BinaryPrimitives.WriteInt64LittleEndian(version2.AsSpan(8), version2.Length);
        File.WriteAllBytes(_path, WithChecksum(version2));
        var target = new NormNetwork(seed: 2);
        int[] before = target.Bits();

        var error = Assert.Throws<CheckpointFormatException>(() => Checkpoint.Load(_path, target));

        Assert.Equal(4, error.Offset);
        Assert.Equal("format version 3, with the network's 3 buffers ('Norm.RunningMean', ...)", error.Expected);
        Assert.StartsWith("version 2, which holds no buffers", error.Found);
        Assert.Equal(before, target.Bits());
    }

    private byte[] SavedBytes(INetwork network)
    {
        Checkpoint.Save(_path, network);
        return File.ReadAllBytes(_path);
    }

    /// <summary>A version 3 file of a network without buffers, as version 2 wrote it: no buffer count.</summary>
    private static byte[] AsVersion2(byte[] version3)
    {
        Assert.Equal(0, BinaryPrimitives.ReadInt32LittleEndian(version3.AsSpan(version3.Length - 8)));
        byte[] bytes = [.. version3[..^8], 0, 0, 0, 0];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), 2);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(8), bytes.Length);
        return WithChecksum(bytes);
    }

    private static byte[] WithChecksum(byte[] bytes)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(bytes.Length - 4), System.IO.Hashing.Crc32.HashToUInt32(bytes.AsSpan(0, bytes.Length - 4)));
        return bytes;
    }
}
