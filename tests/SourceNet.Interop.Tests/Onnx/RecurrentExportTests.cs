using SourceNet.Onnx.Protos;

namespace SourceNet.Interop.Tests.Onnx;

/// <summary>Two LSTMs stacked (the lower returning sequences, the upper its last state), then the logits.</summary>
[Network(InputSequence = new[] { 4, 5 })]
public sealed partial class StackedLstmExport
{
    [Lstm(7, ReturnSequences = true)] public partial LstmLayer Lower { get; }
    [Lstm(6, ForgetBias = 1f)] public partial LstmLayer Upper { get; }
    [Dense(3, WeightStdDev = 0.5f)] public partial DenseLayer Logits { get; }
}

/// <summary>Two GRUs stacked, then the logits.</summary>
[Network(InputSequence = new[] { 4, 5 })]
public sealed partial class StackedGruExport
{
    [Gru(7, ReturnSequences = true)] public partial GruLayer Lower { get; }
    [Gru(6)] public partial GruLayer Upper { get; }
    [Dense(3, WeightStdDev = 0.5f)] public partial DenseLayer Logits { get; }
}

/// <summary>
/// Recurrent layers exported to ONNX opset 17's <c>LSTM</c> and <c>GRU</c> (ONNX's gate orders, time-major input,
/// <c>linear_before_reset = 1</c> for PyTorch's GRU), run in ONNX Runtime against the generated forward pass.
/// </summary>
public sealed class RecurrentExportTests
{
    [Fact]
    public void Stacked_LSTMs_run_in_ONNX_Runtime_as_in_SourceNet()
    {
        var network = new StackedLstmExport(seed: 3, maxBatchSize: 4);
        Compare(network, (x, y) => network.Forward(x, y), StackedLstmExport.InputCount, StackedLstmExport.OutputCount, "LSTM");
    }

    [Fact]
    public void Stacked_GRUs_run_in_ONNX_Runtime_as_in_SourceNet()
    {
        var network = new StackedGruExport(seed: 4, maxBatchSize: 4);
        Compare(network, (x, y) => network.Forward(x, y), StackedGruExport.InputCount, StackedGruExport.OutputCount, "GRU");
    }

    private static void Compare(INetwork network, Action<float[], float[]> forward, int inputCount, int outputCount, string op)
    {
        const int count = 9; // more than one batch: Forward works in chunks
        var inputs = new float[count * inputCount];
        new SeededRandom(5).FillNormal(inputs, 0f, 1f);
        var expected = new float[count * outputCount];
        forward(inputs, expected);

        byte[] model = OnnxRunner.Export(network);
        Assert.Equal(2, ModelProto.Parser.ParseFrom(model).Graph.Node.Count(n => n.OpType == op));
        float[] actual = OnnxRunner.Run(model, inputs, count, inputCount);

        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5f, $"output {i}: SourceNet {expected[i]}, ONNX Runtime {actual[i]}");
        }
        Assert.Contains(expected, v => Math.Abs(v) > 1e-3f);
    }
}
