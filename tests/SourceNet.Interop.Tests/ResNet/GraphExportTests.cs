using SourceNet.Interop.Tests.Onnx;

namespace SourceNet.Interop.Tests.ResNet;

/// <summary>Generated graph networks exported to ONNX and run by ONNX Runtime, against SourceNet's own forward pass.</summary>
public sealed class GraphExportTests
{
    private static void Agree(INetwork network, Action<float[], float[]> forward, int count)
    {
        // Running statistics away from their start, so the exported normalisation has something to get wrong.
        foreach (Layer layer in network.Layers)
        {
            foreach (StateBuffer buffer in layer.Buffers)
            {
                for (int i = 0; i < buffer.Singles.Length; i++)
                {
                    buffer.Singles[i] = buffer.Name.Contains("Variance", StringComparison.Ordinal) ? 0.5f + 0.1f * i : 0.05f * i - 0.1f;
                }
            }
        }
        var inputs = new float[count * network.InputSize];
        new SeededRandom(3).FillNormal(inputs, 0f, 1f);
        var expected = new float[count * network.OutputSize];
        forward(inputs, expected);
        float[] actual = OnnxRunner.Run(OnnxRunner.Export(network), inputs, count, network.InputSize);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-4f, $"sample {i / network.OutputSize}, output {i % network.OutputSize}: SourceNet {expected[i]}, ONNX Runtime {actual[i]}");
        }
    }

    [Fact]
    public void Strided_same_convolution_batch_norm_and_pooling()
    {
        var network = new StridedNormNet(seed: 1, maxBatchSize: 5);
        Agree(network, (x, y) => network.Forward(x, y), 5);
    }

    [Fact]
    public void Skip_connection_and_concatenation()
    {
        var network = new SkipNet(seed: 2, maxBatchSize: 5);
        Agree(network, (x, y) => network.Forward(x, y), 5);
    }
}
