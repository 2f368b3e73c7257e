using SourceNet.Interop.Tests.Networks;

namespace SourceNet.Interop.Tests.Onnx;

/// <summary>The generated convolutional network, exported, against its own generated forward pass and PyTorch's layout.</summary>
public sealed class GeneratedCnnExportTests
{
    [Fact]
    public void The_generated_conv_network_runs_in_ONNX_Runtime_as_in_SourceNet()
    {
        var network = new SmallCnn(seed: 3, maxBatchSize: 8);
        const int count = 11; // more than one batch: Forward works in chunks
        var inputs = new float[count * SmallCnn.InputCount];
        new SeededRandom(4).FillNormal(inputs, 0f, 1f);
        var expected = new float[count * SmallCnn.OutputCount];

        network.Forward(inputs, expected);
        float[] actual = OnnxRunner.Run(OnnxRunner.Export(network), inputs, count, SmallCnn.InputCount);

        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5f, $"output {i}: SourceNet {expected[i]}, ONNX Runtime {actual[i]}");
        }
        Assert.Contains(expected, v => v != 0f);
    }

    [Fact]
    public void The_generated_conv_network_saves_PyTorch_shapes_and_loads_back()
    {
        using var temp = new TempDirectory();
        string path = temp.File("cnn.safetensors");
        var saved = new SmallCnn(seed: 5);
        var loaded = new SmallCnn(seed: 6);

        SafeTensors.Save(path, saved);
        SafeTensors.Load(path, loaded);

        Assert.Equal(saved.Parameters.Select(p => p.Value), loaded.Parameters.Select(p => p.Value));
        // What nn.Conv2d(2, 4, 4) and nn.Linear(3 * 2 * 2, 5) after nn.Flatten() hold.
        var shapes = new TestData.Tensors(("conv.weight", 4, 32), ("conv.bias", 1, 4), ("conv2.weight", 3, 16), ("conv2.bias", 1, 3),
            ("hidden.weight", 5, 12), ("hidden.bias", 1, 5), ("output.weight", 3, 5), ("output.bias", 1, 3));
        var error = Assert.Throws<SafeTensorsFormatException>(() => SafeTensors.Load(path, shapes));
        Assert.Equal("shape [4, 32] for 'conv.weight'", error.Expected);
        Assert.Equal("[4, 2, 4, 4]", error.Found);
        Assert.Equal([5, 3, 2, 2], saved.Hidden.Weight.TransposedShape); // [out, C, H, W] ...
        Assert.Equal([5, 12], saved.Hidden.Weight.StateDictShape); // ... held as nn.Linear holds it
    }
}
