using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using SourceNet.Interop.Tests.Networks;

namespace SourceNet.Interop.Tests.SafeTensorsFormat;

public sealed class SafeTensorsTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly string _path;

    public SafeTensorsTests() => _path = _temp.File("model.safetensors");

    public void Dispose() => _temp.Dispose();

    private static LayeredNetwork Small() =>
        new(3, new DenseLayer("Hidden", 3, 4, LayeredNetwork.Relu), new DenseLayer("Output", 4, 2));

    /// <summary>A small conv network: conv 5x5x2 → 3 filters (3x3, Same), max pool 2x2, flatten (3, 3, 3), dense → 4.</summary>
    private static LayeredNetwork Conv()
    {
        var conv = new Conv2DLayer("Conv", Kernels.Conv2DGeometry.Create(5, 5, 2, 3, 3, 3, 1, 1, samePadding: true), LayeredNetwork.Relu);
        var pool = new Pool2DLayer("Pool", Kernels.Pool2DGeometry.Create(5, 5, 3, 2, 2, 2, 2, samePadding: true), Pool2DMode.Max);
        var flatten = new FlattenLayer("Flatten", pool.OutputShape);
        return new(50, conv, pool, flatten, new DenseLayer("Dense", 27, 4));
    }

    private static int[][] Bits(INetwork network) =>
        [.. network.Parameters.Select(p => p.Value.Select(BitConverter.SingleToInt32Bits).ToArray())];

    private static JsonElement Header(byte[] file)
    {
        long length = BinaryPrimitives.ReadInt64LittleEndian(file);
        return JsonDocument.Parse(file.AsMemory(8, (int)length)).RootElement;
    }

    [Fact]
    public void A_round_trip_is_bit_exact()
    {
        LayeredNetwork saved = Conv().Randomize(3);
        LayeredNetwork loaded = Conv();

        SafeTensors.Save(_path, saved);
        SafeTensors.Load(_path, loaded);

        Assert.Equal(Bits(saved), Bits(loaded));
        Assert.NotEqual(Bits(Conv()), Bits(loaded));
        Assert.Equal([_path], Directory.GetFiles(_temp.Path));
    }

    [Fact]
    public void Tensors_have_PyTorch_names_shapes_and_layouts()
    {
        LayeredNetwork network = Conv().Randomize(4);
        SafeTensors.Save(_path, network);
        byte[] file = File.ReadAllBytes(_path);
        JsonElement header = Header(file);
        long dataStart = 8 + BinaryPrimitives.ReadInt64LittleEndian(file);
        Assert.Equal(0, dataStart % 8); // the header is padded so the data is aligned

        float At(string name, int index)
        {
            long begin = header.GetProperty(name).GetProperty("data_offsets")[0].GetInt64();
            return BinaryPrimitives.ReadSingleLittleEndian(file.AsSpan((int)(dataStart + begin + 4 * index)));
        }
        int[] Shape(string name) => [.. header.GetProperty(name).GetProperty("shape").EnumerateArray().Select(e => e.GetInt32())];

        Assert.Equal("pt", header.GetProperty("__metadata__").GetProperty("format").GetString());
        Assert.Equal([3, 2, 3, 3], Shape("conv.weight"));    // [out, in, kh, kw]
        Assert.Equal([3], Shape("conv.bias"));
        Assert.Equal([4, 27], Shape("dense.weight"));        // nn.Linear after nn.Flatten of NCHW: [out, C·H·W]
        Assert.Equal("F32", header.GetProperty("conv.weight").GetProperty("dtype").GetString());

        var conv = (Conv2DLayer)network.Layers[0];
        var dense = (DenseLayer)network.Layers[3];
        // conv.weight[f=2, c=1, ky=0, kx=2] is stored HWIO at [ky=0, kx=2, c=1, f=2].
        Assert.Equal(conv.Weight.Value[((0 * 3 + 2) * 2 + 1) * 3 + 2], At("conv.weight", ((2 * 2 + 1) * 3 + 0) * 3 + 2));
        // dense.weight[o=3, (c=2, y=1, x=0)] (PyTorch flattens NCHW) is stored at [(y=1, x=0, c=2), o=3] (SourceNet flattens NHWC).
        Assert.Equal(dense.Weight.Value[((1 * 3 + 0) * 3 + 2) * 4 + 3], At("dense.weight", 3 * 27 + (2 * 3 + 1) * 3 + 0));
    }

    [Fact]
    public void A_write_that_fails_half_way_leaves_the_previous_file()
    {
        SafeTensors.Save(_path, Small().Randomize(1));
        byte[] before = File.ReadAllBytes(_path);

        Assert.Throws<IOException>(() => SafeTensors.SaveCore(_path, Small().Randomize(2), file => new FailAfter(file, 50)));

        Assert.Equal(before, File.ReadAllBytes(_path));
        Assert.Equal([_path], Directory.GetFiles(_temp.Path));
    }

    private sealed class FailAfter(Stream inner, int limit) : Stream
    {
        private int _written;
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => _written;
        public override long Position { get => _written; set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));
        public override void Write(ReadOnlySpan<byte> buffer)
        {
            if (_written + buffer.Length > limit)
                throw new IOException("disk full (injected)");
            inner.Write(buffer);
            _written += buffer.Length;
        }
    }

    [Fact]
    public void Non_finite_values_are_not_saved()
    {
        LayeredNetwork network = Small().Randomize(1);
        network.Parameters[2].Value[3] = float.NaN;

        var error = Assert.Throws<InvalidOperationException>(() => SafeTensors.Save(_path, network));

        Assert.Contains("Output.Weight", error.Message);
        Assert.Empty(Directory.GetFiles(_temp.Path));
    }
}
