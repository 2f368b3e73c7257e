using SourceNet.Interop.Tests.Networks;
using SourceNet.Kernels;
using SourceNet.Onnx;
using SourceNet.Onnx.Protos;

namespace SourceNet.Interop.Tests.Onnx;

public sealed class OnnxExportTests
{
    /// <summary>
    /// The tutorial's network with PyTorch-trained weights, exported and run by ONNX Runtime on all 10,000 MNIST
    /// test images, against SourceNet's own kernels.
    /// </summary>
    [Fact]
    public void The_tutorial_network_runs_in_ONNX_Runtime_as_in_SourceNet_on_all_test_images()
    {
        var network = new MnistMlp(seed: 1);
        SafeTensors.Load(TestData.Fixture("mnist_mlp.safetensors"), network);
        float[] images = TestData.Mnist.TestImages;
        int count = TestData.Mnist.TestCount;
        Assert.Equal(10_000, count);
        var expected = new float[count * 10];

        network.Forward(images, expected);
        float[] actual = OnnxRunner.Run(OnnxRunner.Export(network), images, count, 784);

        Assert.Equal(expected.Length, actual.Length);
        int correct = 0;
        for (int n = 0; n < count; n++)
        {
            ReadOnlySpan<float> mine = expected.AsSpan(n * 10, 10), theirs = actual.AsSpan(n * 10, 10);
            int digit = TestData.ArgMax(mine);
            Assert.True(digit == TestData.ArgMax(theirs), $"image {n}: SourceNet says {digit}, ONNX Runtime {TestData.ArgMax(theirs)}");
            for (int j = 0; j < 10; j++)
            {
                Assert.True(Math.Abs(mine[j] - theirs[j]) <= 1e-5f, $"image {n}, logit {j}: SourceNet {mine[j]}, ONNX Runtime {theirs[j]}");
            }
            correct += digit == TestData.Mnist.TestLabels[n] ? 1 : 0;
        }
        Assert.InRange(correct, 9_000, 10_000); // the weights are trained: the comparison is not between two kinds of noise
    }

    /// <summary>
    /// A conv network with every layer kind — asymmetric Same padding (9 → 5 with a 4x4 kernel, stride 2: one row
    /// before, two after), stride, max and average pooling with padding, dropout, flatten into dense — against the
    /// naive channels-last reference.
    /// </summary>
    [Fact]
    public void A_conv_network_runs_in_ONNX_Runtime_as_the_reference_computes_it()
    {
        LayeredNetwork network = ConvNetwork().Randomize(5, 0.3f);
        const int count = 7;
        var inputs = new float[count * network.InputSize];
        new SeededRandom(6).FillNormal(inputs, 0f, 1f);

        float[] expected = network.ReferenceForward(inputs, count);
        float[] actual = OnnxRunner.Run(OnnxRunner.Export(network), inputs, count, network.InputSize);

        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5f, $"output {i}: reference {expected[i]}, ONNX Runtime {actual[i]}");
        }
    }

    internal static LayeredNetwork ConvNetwork()
    {
        var conv = new Conv2DLayer("Conv", Conv2DGeometry.Create(9, 9, 2, 4, 4, 4, 2, 2, samePadding: true), LayeredNetwork.Relu);
        var max = new Pool2DLayer("MaxPool", Pool2DGeometry.Create(5, 5, 4, 2, 2, 2, 2, samePadding: true), Pool2DMode.Max);
        var conv2 = new Conv2DLayer("Conv2", Conv2DGeometry.Create(3, 3, 4, 3, 2, 2, 1, 1, samePadding: false), LayeredNetwork.Tanh);
        var average = new Pool2DLayer("AvgPool", Pool2DGeometry.Create(2, 2, 3, 3, 3, 1, 1, samePadding: true), Pool2DMode.Average);
        var dropout = new DropoutLayer("Dropout", average.OutputShape, 0.5f);
        var flatten = new FlattenLayer("Flatten", average.OutputShape);
        var dense = new DenseLayer("Hidden", flatten.OutputShape.Elements, 5, LayeredNetwork.Relu);
        var output = new DenseLayer("Output", 5, 3);
        return new LayeredNetwork(9 * 9 * 2, conv, max, conv2, average, dropout, flatten, dense, output);
    }

    [Fact]
    public void Same_padding_is_asymmetric_where_TensorFlow_puts_the_odd_pixel_after()
    {
        var g = Conv2DGeometry.Create(9, 9, 2, 4, 4, 4, 2, 2, samePadding: true);

        int[] pads = [g.PadTop, g.PadLeft, g.PadBottom, g.PadRight];

        Assert.Equal([1, 1, 2, 2], pads); // total (5 - 1)·2 + 4 - 9 = 3: top/left 1, bottom/right 2
    }

    [Fact]
    public void The_model_declares_IR_8_opset_17_and_SourceNets_input_and_output()
    {
        ModelProto model = ModelProto.Parser.ParseFrom(OnnxRunner.Export(ConvNetwork()));

        Assert.Equal(8, model.IrVersion);
        Assert.Equal(17, Assert.Single(model.OpsetImport).Version);
        ValueInfoProto input = Assert.Single(model.Graph.Input);
        Assert.Equal("input", input.Name);
        Assert.Equal("batch", input.Type.TensorType.Shape.Dim[0].DimParam);
        Assert.Equal(162, input.Type.TensorType.Shape.Dim[1].DimValue);
        ValueInfoProto output = Assert.Single(model.Graph.Output);
        Assert.Equal("logits", output.Name);
        Assert.Equal(3, output.Type.TensorType.Shape.Dim[1].DimValue);
        string[] ops = [.. model.Graph.Node.Select(n => n.OpType)];
        Assert.Equal(["Reshape", "Transpose", "Conv", "Relu", "MaxPool", "Conv", "Tanh", "AveragePool", "Reshape", "Gemm", "Relu", "Gemm", "Identity"], ops);
        NodeProto average = model.Graph.Node.Single(n => n.OpType == "AveragePool");
        Assert.Equal(0, average.Attribute.Single(a => a.Name == "count_include_pad").I);
        TensorProto weight = model.Graph.Initializer.Single(t => t.Name == "conv.weight");
        Assert.Equal([4L, 2, 4, 4], weight.Dims); // OIHW, by its safetensors name
    }

    [Fact]
    public void A_custom_activation_is_refused_naming_the_layer()
    {
        var network = new LayeredNetwork(3, new DenseLayer("Hidden", 3, 4, new LayerActivation("Swish", null, IsCustom: true)), new DenseLayer("Output", 4, 2));

        var error = Assert.Throws<NotSupportedException>(() => OnnxRunner.Export(network));

        Assert.Contains("'Hidden'", error.Message);
        Assert.Contains("'Swish'", error.Message);
    }

    [Fact]
    public void Export_to_a_path_writes_the_same_bytes_atomically()
    {
        using var temp = new TempDirectory();
        string path = temp.File("mlp.onnx");
        var network = new MnistMlp(seed: 1);

        OnnxExporter.Export(path, network);

        Assert.Equal(OnnxRunner.Export(network), File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(temp.Path));

        // For the ONNX checker (docs/interop.md): SOURCENET_INTEROP_OUT=dir keeps both models.
        if (Environment.GetEnvironmentVariable("SOURCENET_INTEROP_OUT") is string folder)
        {
            OnnxExporter.Export(Path.Combine(folder, "mnist_mlp.onnx"), network);
            OnnxExporter.Export(Path.Combine(folder, "conv.onnx"), ConvNetwork().Randomize(5, 0.3f));
        }
    }
}
