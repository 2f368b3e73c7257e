using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using SourceNet.Interop.Tests.Networks;

namespace SourceNet.Interop.Tests.SafeTensorsFormat;

/// <summary>
/// Layers' buffers travel with the parameters, named as PyTorch's <c>nn.BatchNorm2d</c> names them: running statistics
/// as F32, <c>num_batches_tracked</c> as an I64 scalar. Shapes come from the declaration, never from the layer's kind.
/// </summary>
public sealed class BufferTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly string _path;

    public BufferTests() => _path = _temp.File("bn.safetensors");

    public void Dispose() => _temp.Dispose();

    /// <summary>BatchNorm over (3, 2, 5) images then a Dense, mapped as the generator maps parameters (one call per parameter).</summary>
    private static GraphNetwork Network(long seed)
    {
        var norm = new BatchNormLayer("Norm", LayerShape.Image(3, 2, 5), 0.1f, 1e-5f);
        var flatten = new FlattenLayer("Flatten", norm.OutputShape);
        var dense = new DenseLayer("Output", 30, 2);
        norm.Weight.MapToStateDict("norm.weight");
        norm.Bias.MapToStateDict("norm.bias");
        dense.Weight.MapToStateDict("output.weight", [3, 2, 5, 2], [3, 2, 0, 1], [2, 30]);
        dense.Bias.MapToStateDict("output.bias");
        GraphNetwork network = new GraphNetwork(30, norm, flatten, dense).Randomize(seed);
        norm.BatchesTracked.Int64s[0] = 5_000_000_000L + seed;
        return network;
    }

    private static BatchNormLayer Norm(GraphNetwork network) => (BatchNormLayer)network.Layers[0];

    /// <summary>The header's entries: name → (dtype, shape).</summary>
    private static Dictionary<string, (string DType, long[] Shape)> Header(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        int length = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        using JsonDocument json = JsonDocument.Parse(bytes.AsMemory(8, length));
        return json.RootElement.EnumerateObject()
            .Where(p => p.Name != "__metadata__")
            .ToDictionary(p => p.Name, p => (p.Value.GetProperty("dtype").GetString()!, p.Value.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray()));
    }

    [Fact]
    public void Buffers_are_saved_with_PyTorch_names_dtypes_and_shapes()
    {
        SafeTensors.Save(_path, Network(1));

        var header = Header(_path);

        Assert.Equal(["norm.weight", "norm.bias", "output.weight", "output.bias", "norm.running_mean", "norm.running_var", "norm.num_batches_tracked"], header.Keys);
        Assert.Equal("F32", header["norm.running_mean"].DType);
        Assert.Equal([5L], header["norm.running_mean"].Shape);
        Assert.Equal("F32", header["norm.running_var"].DType);
        Assert.Equal([5L], header["norm.running_var"].Shape);
        Assert.Equal("I64", header["norm.num_batches_tracked"].DType);
        Assert.Empty(header["norm.num_batches_tracked"].Shape); // a 0-d tensor, as PyTorch's
        Assert.Equal([2L, 30], header["output.weight"].Shape); // the file shape given to MapToStateDict
    }

    [Fact]
    public void Buffers_round_trip_exactly_the_int64_counter_included()
    {
        GraphNetwork saved = Network(1), loaded = Network(2);
        Assert.NotEqual(Norm(saved).RunningMean.Singles, Norm(loaded).RunningMean.Singles);

        SafeTensors.Save(_path, saved);
        SafeTensors.Load(_path, loaded);

        Assert.Equal(Norm(saved).RunningMean.Singles, Norm(loaded).RunningMean.Singles);
        Assert.Equal(Norm(saved).RunningVariance.Singles, Norm(loaded).RunningVariance.Singles);
        Assert.Equal(5_000_000_001L, Norm(loaded).BatchesTracked.Int64s[0]);
        Assert.Equal(saved.Parameters.Select(p => p.Value), loaded.Parameters.Select(p => p.Value));
    }

    [Fact]
    public void A_counter_saved_as_float_is_refused_naming_the_dtype_and_changes_nothing()
    {
        SafeTensors.Save(_path, Network(1));
        // Rewrite the counter's entry as F32 of 4 bytes and drop its last 4 data bytes: a well-formed file of the wrong dtype.
        byte[] bytes = File.ReadAllBytes(_path);
        int length = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        string json = Encoding.UTF8.GetString(bytes, 8, length);
        int counterAt = json.IndexOf("\"norm.num_batches_tracked\"", StringComparison.Ordinal);
        string entry = json[counterAt..json.IndexOf('}', counterAt)];
        long begin = long.Parse(entry.Split("data_offsets\":[")[1].Split(',')[0]);
        string rewritten = json.Replace(entry, $"\"norm.num_batches_tracked\":{{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[{begin},{begin + 4}]");
        byte[] header = Encoding.UTF8.GetBytes(rewritten);
        byte[] data = bytes[(8 + length)..^4];
        File.WriteAllBytes(_path, [.. BitConverter.GetBytes((ulong)header.Length), .. header, .. data]);
        GraphNetwork target = Network(2);
        float[] mean = [.. Norm(target).RunningMean.Singles];

        var error = Assert.Throws<SafeTensorsFormatException>(() => SafeTensors.Load(_path, target));

        Assert.StartsWith("dtype I64 for 'norm.num_batches_tracked'", error.Expected);
        Assert.Equal("F32", error.Found);
        Assert.Equal(mean, Norm(target).RunningMean.Singles);
        Assert.Equal(5_000_000_002L, Norm(target).BatchesTracked.Int64s[0]);
    }

    [Fact]
    public void A_file_without_the_buffers_is_refused_naming_the_first_missing_one()
    {
        GraphNetwork network = Network(1);
        var parametersOnly = new TestData.Tensors(("norm.weight", 1, 5), ("norm.bias", 1, 5), ("output.weight", 2, 30), ("output.bias", 1, 2));
        SafeTensors.Save(_path, parametersOnly);

        var error = Assert.Throws<SafeTensorsFormatException>(() => SafeTensors.Load(_path, network));

        Assert.Equal("a tensor named 'norm.running_mean' (for Norm.RunningMean)", error.Expected);
    }

    [Fact]
    public void BatchNorm_names_all_its_state_from_one_prefix()
    {
        var norm = new BatchNormLayer("Block.Norm", LayerShape.Features(4), 0.01f, 1e-3f);

        norm.MapToStateDict("block.bn");

        Assert.Equal(["block.bn.weight", "block.bn.bias"], norm.Parameters.Select(p => p.StateDictName));
        Assert.Equal(["block.bn.running_mean", "block.bn.running_var", "block.bn.num_batches_tracked"], norm.Buffers.Select(b => b.StateDictName));
        Assert.Equal([1f, 1f, 1f, 1f], norm.Weight.Value); // PyTorch's initial state
        Assert.Equal([1f, 1f, 1f, 1f], norm.RunningVariance.Singles);
    }

    [Fact]
    public void A_dense_weight_after_a_flatten_reports_the_file_shape_with_or_without_one_given()
    {
        var given = new DenseLayer("Given", 12, 5);
        var derived = new DenseLayer("Derived", 12, 5);

        given.Weight.MapToStateDict("given.weight", [2, 2, 3, 5], [3, 2, 0, 1], [5, 12]);
        derived.Weight.MapToStateDict("derived.weight", [2, 2, 3, 5], [3, 2, 0, 1]);

        Assert.Equal([5, 3, 2, 2], given.Weight.TransposedShape);
        Assert.Equal([5, 12], given.Weight.StateDictShape);
        Assert.Equal([5, 12], derived.Weight.StateDictShape); // nn.Linear's rank, declared by the layer
        Assert.Throws<ArgumentException>(() => given.Weight.MapToStateDict("given.weight", [2, 2, 3, 5], [3, 2, 0, 1], [5, 13]));
    }
}
