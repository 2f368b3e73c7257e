using Microsoft.ML.OnnxRuntime;
using SourceNet.Data;
using SourceNet.Interop.Tests.Networks;
using SourceNet.Onnx;
using SourceNet.Quantization;
using SourceNet.Training;
using Xunit.Abstractions;

namespace SourceNet.Interop.Tests.Onnx;

/// <summary>A small MNIST CNN for the int8 export: both convolutions, max pooling, flatten, two dense layers.</summary>
[Network(InputShape = new[] { 28, 28, 1 }, Loss = Loss.SoftmaxCrossEntropy)]
public sealed partial class Int8ExportCnn
{
    [Conv2D(8, 5, Activation.ReLU, Padding = Padding.Same, WeightStdDev = 0.1f)] public partial Conv2DLayer Conv1 { get; }
    [MaxPool2D(2)] public partial Pool2DLayer Pool1 { get; }
    [Conv2D(16, 3, Activation.ReLU, WeightStdDev = 0.1f)] public partial Conv2DLayer Conv2 { get; }
    [MaxPool2D(2)] public partial Pool2DLayer Pool2 { get; }
    [Flatten] public partial FlattenLayer Flat { get; }
    [Dense(32, Activation.ReLU, WeightStdDev = 0.05f)] public partial DenseLayer Hidden { get; }
    [Dense(10, WeightStdDev = 0.05f)] public partial DenseLayer Output { get; }
}

/// <summary>
/// Int8 networks exported in ONNX's QDQ form and run by ONNX Runtime, with its graph rewrites off (the float
/// operators between QuantizeLinear and DequantizeLinear) and all on (its int8 kernels): the same digit as
/// SourceNet's int8 network on at least 99.9% of the 10,000 test images, logits close, weights stored as int8.
/// </summary>
public sealed class QuantizedExportTests(ITestOutputHelper output)
{
    private const int Classes = MnistDataset.ClassCount;
    private static readonly Lazy<MnistDataset> s_data = new(() => MnistDataset.Load(Path.Combine(TestData.Root, "data", "mnist"), 15_000, int.MaxValue));

    private static void Train(IClassifier network, int steps, int batch)
    {
        MnistDataset data = s_data.Value;
        var optimizer = new Adam(learningRate: 2e-3f);
        var sampler = new BatchSampler(data.TrainImages, data.TrainLabels, MnistDataset.ImageSize, new SeededRandom(5));
        var images = new float[batch * MnistDataset.ImageSize];
        var labels = new int[batch];
        for (int step = 0; step < steps; step++)
        {
            sampler.NextRandomBatch(images, labels);
            network.TrainStep(images, labels, optimizer);
        }
    }

    private static QuantizedNetwork Quantise(INetwork network) =>
        QuantizedNetwork.Create(network, s_data.Value.TrainImages.AsSpan(0, 300 * MnistDataset.ImageSize));

    [Fact]
    public void The_MLPs_int8_export_gives_SourceNets_int8_digits_in_ONNX_Runtime()
    {
        var network = new MnistMlp(seed: 3);
        Train(network, steps: 200, batch: 100);
        CheckAgainstOnnxRuntime(network, Quantise(network));
    }

    [Fact]
    public void The_CNNs_int8_export_gives_SourceNets_int8_digits_in_ONNX_Runtime()
    {
        var network = new Int8ExportCnn(seed: 3);
        Train(network, steps: 150, batch: 50);
        CheckAgainstOnnxRuntime(network, Quantise(network));
    }

    [Fact]
    public void A_float_network_trained_after_quantising_is_refused_and_nothing_is_written()
    {
        var network = new MnistMlp(seed: 4);
        Train(network, steps: 20, batch: 100);
        QuantizedNetwork int8 = Quantise(network);
        Train(network, steps: 1, batch: 100);
        string path = Path.Combine(Path.GetTempPath(), $"sourcenet-int8-{Guid.NewGuid():N}.onnx");
        var error = Assert.Throws<InvalidOperationException>(() => OnnxExporter.Export(path, int8));
        Assert.Contains("'Hidden'", error.Message);
        Assert.Contains("changed after it was quantised", error.Message);
        Assert.False(File.Exists(path));
    }

    private void CheckAgainstOnnxRuntime(IClassifier network, QuantizedNetwork int8)
    {
        MnistDataset data = s_data.Value;
        int count = data.TestCount;
        var expected = new float[count * Classes];
        int8.Forward(data.TestImages, expected);
        byte[] floatModel = OnnxRunner.Export(network);
        byte[] int8Model = OnnxRunner.Export(int8);
        // The weights are stored as int8 (a quarter of the floats' bytes), not as floats rounded to the int8 grid.
        Assert.True(int8Model.Length < floatModel.Length / 2, $"int8 model {int8Model.Length} bytes, float model {floatModel.Length}");

        int correct = 0;
        for (int n = 0; n < count; n++)
            correct += TestData.ArgMax(expected.AsSpan(n * Classes, Classes)) == data.TestLabels[n] ? 1 : 0;
        Assert.True(correct >= count * 9 / 10, $"the int8 network's test accuracy is {100.0 * correct / count:F2}%: the comparison would mean little");

        foreach (GraphOptimizationLevel level in new[] { GraphOptimizationLevel.ORT_DISABLE_ALL, GraphOptimizationLevel.ORT_ENABLE_ALL })
        {
            float[] actual = OnnxRunner.Run(int8Model, data.TestImages, [count, MnistDataset.ImageSize], level);
            Assert.Equal(expected.Length, actual.Length);
            int agree = 0;
            double meanDifference = 0;
            float spread = expected.Max() - expected.Min();
            for (int n = 0; n < count; n++)
            {
                ReadOnlySpan<float> mine = expected.AsSpan(n * Classes, Classes), theirs = actual.AsSpan(n * Classes, Classes);
                agree += TestData.ArgMax(mine) == TestData.ArgMax(theirs) ? 1 : 0;
                for (int j = 0; j < Classes; j++)
                    meanDifference += Math.Abs(mine[j] - theirs[j]) / expected.Length;
            }
            output.WriteLine($"{level}: same digit on {agree} of {count}, mean |logit difference| {meanDifference:G3} (logits spread {spread:G3}), int8 accuracy {100.0 * correct / count:F2}%");
            Assert.True(agree >= count * 999 / 1000, $"{level}: ONNX Runtime and SourceNet's int8 network agree on {agree} of {count} images; expected at least 99.9%");
            Assert.True(meanDifference < 0.01 * spread, $"{level}: mean |logit difference| {meanDifference:G3} against a spread of {spread:G3}");
        }
    }
}
