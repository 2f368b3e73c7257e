using System.Text.Json;
using SourceNet.Interop.Tests.Networks;
using SourceNet.Interop.Tests.Onnx;
using SourceNet.Samples.MnistResNet;

namespace SourceNet.Interop.Tests.ResNet;

/// <summary>
/// The residual network of samples/MnistResNet against PyTorch and ONNX Runtime: a state_dict written by PyTorch
/// (bench/../interop/pytorch_resnet_fixtures.py: weights, biases, running statistics and batch counts after three
/// training steps) loads and gives PyTorch's eval-mode logits; what SourceNet saves has exactly PyTorch's names,
/// dtypes and shapes; the exported ONNX model agrees with SourceNet on all 10,000 MNIST test images.
/// </summary>
public sealed class ResNetInteropTests
{
    private static MnistResNet FromPyTorch()
    {
        var network = new MnistResNet(seed: 7, maxBatchSize: 100);
        SafeTensors.Load(TestData.Fixture("mnist_resnet.safetensors"), network);
        return network;
    }

    [Fact]
    public void A_PyTorch_state_dict_loads_and_gives_PyTorchs_logits()
    {
        MnistResNet network = FromPyTorch();
        var fixture = new TestData.Tensors(("images", 8, 784), ("logits", 8, 10));
        SafeTensors.Load(TestData.Fixture("mnist_resnet_logits.safetensors"), fixture);
        var logits = new float[8 * 10];
        network.Forward(fixture[0], logits);
        for (int i = 0; i < logits.Length; i++)
        {
            Assert.True(Math.Abs(logits[i] - fixture[1][i]) <= 1e-4f, $"image {i / 10}, logit {i % 10}: SourceNet {logits[i]}, PyTorch {fixture[1][i]}");
        }
        Assert.Equal(3, network.StemNorm.BatchesTracked.Int64s[0]);
    }

    [Fact]
    public void What_SourceNet_saves_has_PyTorchs_names_dtypes_and_shapes_and_loads_back_bit_for_bit()
    {
        MnistResNet network = FromPyTorch();
        using var folder = new TempDirectory();
        string path = Path.Combine(folder.Path, "resnet.safetensors");
        SafeTensors.Save(path, network);

        // Read both headers with a JSON parser of their own: the key sets, dtypes and shapes must be PyTorch's exactly
        // (what load_state_dict(strict=True) asks of a file).
        Dictionary<string, (string DType, string Shape)> ours = Header(path), theirs = Header(TestData.Fixture("mnist_resnet.safetensors"));
        Assert.Equal(theirs.Keys.Order(StringComparer.Ordinal), ours.Keys.Order(StringComparer.Ordinal));
        foreach ((string name, (string dtype, string shape)) in theirs)
        {
            Assert.True(ours[name] == (dtype, shape), $"{name}: PyTorch {dtype} {shape}, SourceNet {ours[name].DType} {ours[name].Shape}");
        }

        var reloaded = new MnistResNet(seed: 99, maxBatchSize: 100);
        SafeTensors.Load(path, reloaded);
        for (int p = 0; p < network.Parameters.Count; p++)
        {
            Assert.Equal(network.Parameters[p].Value, reloaded.Parameters[p].Value);
        }
        for (int l = 0; l < network.Layers.Count; l++)
        {
            for (int b = 0; b < network.Layers[l].Buffers.Count; b++)
            {
                StateBuffer expected = network.Layers[l].Buffers[b], actual = reloaded.Layers[l].Buffers[b];
                Assert.Equal(expected.Singles, actual.Singles);
                Assert.Equal(expected.Int64s, actual.Int64s);
            }
        }
    }

    [Fact]
    public void The_ONNX_export_agrees_with_SourceNet_on_all_test_images()
    {
        MnistResNet network = FromPyTorch();
        float[] images = TestData.Mnist.TestImages;
        int count = TestData.Mnist.TestCount;
        var expected = new float[count * 10];
        network.Forward(images, expected);
        float[] actual = OnnxRunner.Run(OnnxRunner.Export(network), images, count, 784);
        Assert.Equal(expected.Length, actual.Length);
        for (int n = 0; n < count; n++)
        {
            ReadOnlySpan<float> mine = expected.AsSpan(n * 10, 10), theirs = actual.AsSpan(n * 10, 10);
            Assert.True(TestData.ArgMax(mine) == TestData.ArgMax(theirs), $"image {n}: SourceNet says {TestData.ArgMax(mine)}, ONNX Runtime {TestData.ArgMax(theirs)}");
            for (int j = 0; j < 10; j++)
            {
                Assert.True(Math.Abs(mine[j] - theirs[j]) <= 1e-4f, $"image {n}, logit {j}: SourceNet {mine[j]}, ONNX Runtime {theirs[j]}");
            }
        }
    }

    /// <summary>A safetensors header's tensors: name → (dtype, shape as text).</summary>
    private static Dictionary<string, (string DType, string Shape)> Header(string path)
    {
        using FileStream file = File.OpenRead(path);
        var length = new byte[8];
        file.ReadExactly(length);
        var json = new byte[BitConverter.ToInt64(length)];
        file.ReadExactly(json);
        using JsonDocument document = JsonDocument.Parse(json);
        var tensors = new Dictionary<string, (string, string)>(StringComparer.Ordinal);
        foreach (JsonProperty tensor in document.RootElement.EnumerateObject())
        {
            if (tensor.Name == "__metadata__")
                continue;
            string shape = "[" + string.Join(", ", tensor.Value.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64())) + "]";
            tensors[tensor.Name] = (tensor.Value.GetProperty("dtype").GetString()!, shape);
        }
        return tensors;
    }
}
