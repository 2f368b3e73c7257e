using SourceNet.Data;
using SourceNet.Interop.Tests.Networks;
using SourceNet.Interop.Tests.Onnx;
using SourceNet.Samples.MnistLstm;
using Xunit.Abstractions;

namespace SourceNet.Interop.Tests.Recurrent;

/// <summary>
/// The row-by-row LSTM of samples/MnistLstm, trained briefly, exported to ONNX (opset 17's <c>LSTM</c>, ONNX's gate
/// order i, o, f, c) and run in ONNX Runtime on all 10,000 MNIST test images: the same digit on every image and
/// every logit within 1e-4 of SourceNet's.
/// </summary>
public sealed class MnistLstmOnnxTests(ITestOutputHelper output)
{
    // 150 steps of 100 take the network well past constant predictions (85.8% test accuracy), so an argmax
    // mismatch would show, while keeping the test short on two loaded cores.
    private const int Steps = 150, Batch = 100, Classes = MnistDataset.ClassCount;

    private static MnistLstm Trained(MnistDataset data)
    {
        var network = new MnistLstm(seed: 1, maxBatchSize: Batch);
        var optimizer = new Adam(learningRate: 2e-3f);
        var sampler = new BatchSampler(data.TrainImages, data.TrainLabels, MnistDataset.ImageSize, new SeededRandom(2));
        var images = new float[Batch * MnistDataset.ImageSize];
        var labels = new int[Batch];
        for (int step = 0; step < Steps; step++)
        {
            sampler.NextRandomBatch(images, labels);
            network.TrainStep(images, labels, optimizer);
        }
        return network;
    }

    [Fact]
    public void ONNX_Runtime_gives_SourceNets_digit_and_logits_on_all_test_images()
    {
        MnistDataset data = MnistDataset.Load(Path.Combine(TestData.Root, "data", "mnist"), 15_000, int.MaxValue);
        MnistLstm network = Trained(data);
        float[] images = data.TestImages;
        int count = data.TestCount;
        var expected = new float[count * Classes];
        network.Forward(images, expected);
        float[] actual = OnnxRunner.Run(OnnxRunner.Export(network), images, count, MnistDataset.ImageSize);
        Assert.Equal(expected.Length, actual.Length);

        float maxDifference = 0f;
        int worst = 0, correct = 0;
        for (int n = 0; n < count; n++)
        {
            ReadOnlySpan<float> mine = expected.AsSpan(n * Classes, Classes), theirs = actual.AsSpan(n * Classes, Classes);
            int digit = TestData.ArgMax(mine);
            Assert.True(digit == TestData.ArgMax(theirs), $"image {n}: SourceNet says {digit}, ONNX Runtime {TestData.ArgMax(theirs)}");
            correct += digit == data.TestLabels[n] ? 1 : 0;
            for (int j = 0; j < Classes; j++)
            {
                float difference = Math.Abs(mine[j] - theirs[j]);
                if (!(difference <= maxDifference))
                {
                    // NaN lands here too and fails below.
                    maxDifference = difference;
                    worst = n * Classes + j;
                }
            }
        }
        output.WriteLine($"max |logit difference| {maxDifference:G3}, SourceNet's test accuracy {100.0 * correct / count:F2}% after {Steps} steps");
        Assert.True(maxDifference <= 1e-4f,
            $"max |logit difference| {maxDifference:G3} at image {worst / Classes}, logit {worst % Classes}: SourceNet {expected[worst]}, ONNX Runtime {actual[worst]}");
        // The agreement means something only if the network tells digits apart.
        Assert.True(correct >= count * 8 / 10, $"SourceNet's test accuracy after {Steps} steps: {100.0 * correct / count:F2}%, expected at least 80%");
    }
}
