using System.Buffers.Binary;
using System.Text;
using SourceNet.Interop.Tests.Networks;

namespace SourceNet.Interop.Tests.SafeTensorsFormat;

/// <summary>
/// Every malformed or mismatched file gives a <see cref="SafeTensorsFormatException"/> naming the file, the offset,
/// what was expected and what was found, and leaves the network untouched: never a crash, a hang or a huge allocation.
/// </summary>
public sealed class HostileFileTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly string _path;

    public HostileFileTests() => _path = _temp.File("hostile.safetensors");

    public void Dispose() => _temp.Dispose();

    /// <summary>hidden.weight [4, 3], hidden.bias [4], output.weight [2, 4], output.bias [2]: 104 bytes of data.</summary>
    private static LayeredNetwork Small() =>
        new(3, new DenseLayer("Hidden", 3, 4, LayeredNetwork.Relu), new DenseLayer("Output", 4, 2));

    private const string ValidEntries =
        "\"hidden.weight\":{\"dtype\":\"F32\",\"shape\":[4,3],\"data_offsets\":[0,48]}," +
        "\"hidden.bias\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[48,64]}," +
        "\"output.weight\":{\"dtype\":\"F32\",\"shape\":[2,4],\"data_offsets\":[64,96]}," +
        "\"output.bias\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[96,104]}";

    private static byte[] File(string json, int dataBytes = 104) => File(Encoding.UTF8.GetBytes(json), dataBytes);

    private static byte[] File(byte[] json, int dataBytes = 104)
    {
        var bytes = new byte[8 + json.Length + dataBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)json.Length);
        json.CopyTo(bytes, 8);
        for (int i = 8 + json.Length; i + 4 <= bytes.Length; i += 4)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i), 0.25f);
        }
        return bytes;
    }

    private SafeTensorsFormatException Fails(byte[] file)
    {
        System.IO.File.WriteAllBytes(_path, file);
        LayeredNetwork network = Small().Randomize(9);
        float[][] before = [.. network.Parameters.Select(p => p.Value.ToArray())];

        var error = Assert.Throws<SafeTensorsFormatException>(() => SafeTensors.Load(_path, network));

        Assert.Equal(before, network.Parameters.Select(p => p.Value));
        Assert.Equal(_path, error.FilePath);
        Assert.InRange(error.Offset, 0, file.Length);
        Assert.Equal($"{_path}: at byte {error.Offset}, expected {error.Expected}, found {error.Found}", error.Message);
        Assert.IsAssignableFrom<FileFormatException>(error);
        return error;
    }

    [Fact]
    public void The_valid_file_the_cases_start_from_loads()
    {
        System.IO.File.WriteAllBytes(_path, File("{" + ValidEntries + "}"));
        LayeredNetwork network = Small();

        SafeTensors.Load(_path, network);

        Assert.All(network.Parameters, p => Assert.All(p.Value, v => Assert.Equal(0.25f, v)));
    }

    [Fact]
    public void A_zero_length_file()
    {
        var error = Fails([]);
        Assert.Equal(0, error.Offset);
        Assert.Equal("end of file after 0 bytes", error.Found);
    }

    [Fact]
    public void A_header_length_past_the_end_of_the_file()
    {
        byte[] file = File("{" + ValidEntries + "}");
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)file.Length);

        var error = Fails(file);

        Assert.Equal(0, error.Offset);
        Assert.Contains($"2..{file.Length - 8} bytes", error.Expected);
    }

    [Theory]
    [InlineData(100_000_001UL)]
    [InlineData(ulong.MaxValue)]
    public void A_header_length_over_100_MB(ulong length)
    {
        byte[] file = File("{" + ValidEntries + "}");
        BinaryPrimitives.WriteUInt64LittleEndian(file, length);

        var error = Fails(file);

        Assert.Equal("a header length of at most 100000000 bytes", error.Expected);
        Assert.Equal(length.ToString(), error.Found);
    }

    [Theory]
    [InlineData("{\"hidden.weight\":{\"dtype\":\"F32\",}")]
    [InlineData("{\"a\":[[[[[[[[[[[[[[1]]]]]]]]]]]]]]}")]
    [InlineData("[1, 2, 3]")]
    [InlineData("{} {}")]
    [InlineData("{\"hidden.weight\": 5}")]
    public void Malformed_JSON(string json)
    {
        var error = Fails(File(json));

        Assert.InRange(error.Offset, 8, 8 + json.Length);
    }

    [Fact]
    public void JSON_that_is_not_UTF8()
    {
        byte[] json = Encoding.UTF8.GetBytes("{\"hidden.weigh\u00e9\":{}}");
        int at = Array.IndexOf(json, (byte)0xC3);
        json[at] = 0xFF;

        var error = Fails(File(json));

        Assert.Equal(8 + at, error.Offset);
        Assert.Contains("0xFF", error.Found);
    }

    [Fact]
    public void Offsets_out_of_range()
    {
        var error = Fails(File("{" + ValidEntries.Replace("[96,104]", "[96,1000000000000]") + "}"));
        Assert.Contains("output.bias", error.Expected);
    }

    [Fact]
    public void Offsets_that_overlap()
    {
        string json = "{" + ValidEntries.Replace("[48,64]", "[40,56]").Replace("[64,96]", "[56,88]").Replace("[96,104]", "[88,96]") + "}";

        var error = Fails(File(json, 96));

        Assert.Contains("overlap", error.Found);
        Assert.Contains("'hidden.bias'", error.Expected);
    }

    [Fact]
    public void Offsets_that_leave_a_gap()
    {
        string json = "{" + ValidEntries.Replace("[64,96]", "[68,100]").Replace("[96,104]", "[100,108]") + "}";

        var error = Fails(File(json, 108));

        Assert.Contains("a gap of 4 bytes", error.Found);
        Assert.Contains("'output.weight'", error.Expected);
    }

    [Fact]
    public void Data_that_no_tensor_covers()
    {
        var error = Fails(File("{" + ValidEntries + "}", 112));

        Assert.Contains("8 more bytes", error.Found);
    }

    [Fact]
    public void Offsets_that_disagree_with_the_shape()
    {
        var error = Fails(File("{" + ValidEntries.Replace("\"shape\":[4,3]", "\"shape\":[4,4]") + "}"));

        Assert.Contains("64 bytes for 'hidden.weight'", error.Expected);
    }

    [Fact]
    public void A_shape_whose_size_overflows()
    {
        var error = Fails(File("{" + ValidEntries.Replace("\"shape\":[4,3]", "\"shape\":[4000000000000,4000000000000]") + "}"));

        Assert.Contains("a shape whose size fits", error.Expected);
    }

    [Fact]
    public void An_unknown_dtype()
    {
        var error = Fails(File("{" + ValidEntries.Replace("\"shape\":[2],\"data_offsets\":[96,104]", "\"shape\":[2],\"data_offsets\":[96,104]").Replace("{\"dtype\":\"F32\",\"shape\":[2]", "{\"dtype\":\"Q7\",\"shape\":[2]") + "}"));

        Assert.Equal("unknown dtype 'Q7'", error.Found);
        Assert.Contains("output.bias", error.Expected);
    }

    [Fact]
    public void A_dtype_other_than_F32()
    {
        // Half precision: 2 bytes an element, so output.bias [2] takes 4 bytes.
        string json = "{" + ValidEntries.Replace("{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[96,104]}", "{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[96,100]}") + "}";

        var error = Fails(File(json, 100));

        Assert.Equal("F16", error.Found);
        Assert.StartsWith("dtype F32 for 'output.bias'", error.Expected);
    }

    [Fact]
    public void A_shape_that_differs_from_the_model()
    {
        // The same 12 values as [3, 4]: SourceNet's own layout, not PyTorch's [out, in].
        var error = Fails(File("{" + ValidEntries.Replace("\"shape\":[4,3]", "\"shape\":[3,4]") + "}"));

        Assert.Equal("shape [4, 3] for 'hidden.weight'", error.Expected);
        Assert.Equal("[3, 4]", error.Found);
    }

    [Fact]
    public void A_name_missing()
    {
        string json = "{" + ValidEntries.Replace("\"output.bias\"", "\"output.b\"") + "}";

        var error = Fails(File(json));

        Assert.Equal("a tensor named 'output.bias' (for Output.Bias)", error.Expected);
        Assert.Contains("'output.b'", error.Found);
    }

    [Fact]
    public void An_extra_name()
    {
        string json = "{" + ValidEntries + ",\"extra.weight\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[104,108]}}";

        var error = Fails(File(json, 108));

        Assert.Equal("an extra tensor 'extra.weight'", error.Found);
    }

    [Fact]
    public void A_name_twice()
    {
        string json = "{" + ValidEntries + ",\"hidden.bias\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[48,64]}}";

        var error = Fails(File(json));

        Assert.Equal("'hidden.bias' a second time", error.Found);
    }

    [Fact]
    public void A_NaN_value()
    {
        byte[] file = File("{" + ValidEntries + "}");
        int at = file.Length - 104 + 64 + 4 * 5; // output.weight[5]
        BinaryPrimitives.WriteSingleLittleEndian(file.AsSpan(at), float.NaN);

        var error = Fails(file);

        Assert.Equal(at, error.Offset);
        Assert.Equal("NaN at index 5", error.Found);
    }

    [Fact]
    public void Every_truncation_of_a_valid_file()
    {
        byte[] file = File("{" + ValidEntries + "}");
        for (int length = 0; length < file.Length; length++)
        {
            Fails(file[..length]);
        }
    }
}
