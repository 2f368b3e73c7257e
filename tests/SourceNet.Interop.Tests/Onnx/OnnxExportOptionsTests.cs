using System.Buffers.Binary;
using System.Text.Json;
using SourceNet.Interop.Tests.Networks;
using SourceNet.Onnx;
using SourceNet.Onnx.Protos;

namespace SourceNet.Interop.Tests.Onnx;

/// <summary>
/// What the export options and the naming promise: the model version, weights that are the safetensors file's tensors
/// (name, shape and bytes, read back from the file's own JSON header), and an NCHW input that ONNX Runtime runs on
/// images transposed here by hand to the outputs SourceNet gives for the channels-last rows.
/// </summary>
public sealed class OnnxExportOptionsTests
{
    [Fact]
    public void The_model_version_is_written()
    {
        var network = new SmallCnn(seed: 1);
        Assert.Equal(1, ModelProto.Parser.ParseFrom(OnnxRunner.Export(network)).ModelVersion);
        Assert.Equal(42, ModelProto.Parser.ParseFrom(OnnxRunner.Export(network, new OnnxExportOptions { ModelVersion = 42 })).ModelVersion);
    }

    [Fact]
    public void Every_weight_is_the_safetensors_tensor_of_the_same_name()
    {
        using var temp = new TempDirectory();
        string path = temp.File("cnn.safetensors");
        var network = new SmallCnn(seed: 7);
        SafeTensors.Save(path, network);
        byte[] file = File.ReadAllBytes(path);
        long headerLength = BinaryPrimitives.ReadInt64LittleEndian(file);
        using JsonDocument header = JsonDocument.Parse(file.AsMemory(8, (int)headerLength));
        Dictionary<string, TensorProto> initializers = ModelProto.Parser.ParseFrom(OnnxRunner.Export(network)).Graph.Initializer.ToDictionary(t => t.Name);

        int compared = 0;
        foreach (JsonProperty tensor in header.RootElement.EnumerateObject().Where(p => p.Name != "__metadata__"))
        {
            Assert.True(initializers.TryGetValue(tensor.Name, out TensorProto? onnx), $"no ONNX initializer named '{tensor.Name}'");
            long[] shape = [.. tensor.Value.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64())];
            Assert.Equal(shape, onnx!.Dims.ToArray());
            long[] offsets = [.. tensor.Value.GetProperty("data_offsets").EnumerateArray().Select(d => d.GetInt64())];
            byte[] bytes = file.AsSpan((int)(8 + headerLength + offsets[0]), (int)(offsets[1] - offsets[0])).ToArray();
            Assert.True(bytes.AsSpan().SequenceEqual(onnx.RawData.Span), $"'{tensor.Name}' holds other values in the ONNX model");
            compared++;
        }
        Assert.Equal(network.Parameters.Count, compared);
    }

    [Fact]
    public void An_NCHW_input_gives_the_outputs_of_the_channels_last_rows()
    {
        var network = new SmallCnn(seed: 3, maxBatchSize: 4);
        const int count = 6, height = 9, width = 9, channels = 2;
        var nhwc = new float[count * SmallCnn.InputCount];
        new SeededRandom(8).FillNormal(nhwc, 0f, 1f);
        var expected = new float[count * SmallCnn.OutputCount];
        network.Forward(nhwc, expected);

        var nchw = new float[nhwc.Length];
        for (int n = 0; n < count; n++)
            for (int y = 0; y < height; y++)
                for (int x = 0; x < width; x++)
                    for (int c = 0; c < channels; c++)
                        nchw[((n * channels + c) * height + y) * width + x] = nhwc[((n * height + y) * width + x) * channels + c];
        byte[] model = OnnxRunner.Export(network, new OnnxExportOptions { InputLayout = OnnxInputLayout.Nchw });
        float[] actual = OnnxRunner.Run(model, nchw, [count, channels, height, width]);

        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5f, $"output {i}: SourceNet {expected[i]}, ONNX Runtime {actual[i]}");
        TensorShapeProto input = ModelProto.Parser.ParseFrom(model).Graph.Input[0].Type.TensorType.Shape;
        Assert.Equal([0L, channels, height, width], input.Dim.Select(d => d.DimValue).ToArray());
    }

    [Fact]
    public void An_NCHW_input_for_a_vector_network_is_refused_with_the_reason()
    {
        var network = new MnistMlp();
        var error = Assert.Throws<ArgumentException>(() => OnnxRunner.Export(network, new OnnxExportOptions { InputLayout = OnnxInputLayout.Nchw }));
        Assert.Contains("image", error.Message);
        Assert.Contains("(784)", error.Message);
    }
}
