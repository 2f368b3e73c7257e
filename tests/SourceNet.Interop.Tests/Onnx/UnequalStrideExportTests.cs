using SourceNet.Interop.Tests.Networks;
using SourceNet.Onnx.Protos;

namespace SourceNet.Interop.Tests.Onnx;

/// <summary>A network with per-axis strides, exported: ONNX Runtime computes SourceNet's outputs, and the nodes carry both strides.</summary>
public sealed class UnequalStrideExportTests
{
    [Fact]
    public void Unequal_strides_run_in_ONNX_Runtime_as_in_SourceNet()
    {
        var network = new UnequalStrideCnn(seed: 2, maxBatchSize: 4);
        const int count = 5;
        var inputs = new float[count * UnequalStrideCnn.InputCount];
        new SeededRandom(6).FillNormal(inputs, 0f, 1f);
        var expected = new float[count * UnequalStrideCnn.OutputCount];
        network.Forward(inputs, expected);

        byte[] model = OnnxRunner.Export(network);
        float[] actual = OnnxRunner.Run(model, inputs, count, UnequalStrideCnn.InputCount);

        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5f, $"output {i}: SourceNet {expected[i]}, ONNX Runtime {actual[i]}");
        GraphProto graph = ModelProto.Parser.ParseFrom(model).Graph;
        Assert.Equal([2L, 1], graph.Node.Single(n => n.OpType == "Conv").Attribute.Single(a => a.Name == "strides").Ints);
        Assert.Equal([1L, 2], graph.Node.Single(n => n.OpType == "AveragePool").Attribute.Single(a => a.Name == "strides").Ints);
    }
}
