using Microsoft.ML.OnnxRuntime;
using SourceNet.Interop.Tests.Networks;
using SourceNet.Onnx;

namespace SourceNet.Interop.Tests.Onnx;

/// <summary>An exported token network (Gather for the embedding, per-step dense layers) in ONNX Runtime against SourceNet.</summary>
public sealed class TokenExportTests
{
    [Fact]
    public void An_embedding_and_per_step_dense_layers_run_in_ONNX_Runtime_as_in_SourceNet()
    {
        var network = new TokenLm(seed: 6, maxBatchSize: 4);
        const int count = 9; // more than one chunk
        var random = new SeededRandom(7);
        int[] tokens = Enumerable.Range(0, count * TokenLm.InputCount).Select(_ => random.NextInt(13)).ToArray();
        var expected = new float[count * TokenLm.OutputCount];
        network.Forward(tokens, expected);

        byte[] model = OnnxRunner.Export(network);
        using var options = new SessionOptions { IntraOpNumThreads = 1, GraphOptimizationLevel = GraphOptimizationLevel.ORT_DISABLE_ALL };
        using var session = new InferenceSession(model, options);
        Assert.Equal(typeof(int), session.InputMetadata[OnnxExporter.InputName].ElementType);
        using var input = OrtValue.CreateTensorValueFromMemory(tokens, [count, TokenLm.InputCount]);
        using var runOptions = new RunOptions();
        using IDisposableReadOnlyCollection<OrtValue> outputs = session.Run(runOptions, [OnnxExporter.InputName], [input], [OnnxExporter.OutputName]);
        float[] actual = outputs[0].GetTensorDataAsSpan<float>().ToArray();

        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5f, $"output {i}: SourceNet {expected[i]}, ONNX Runtime {actual[i]}");
        Assert.Contains(expected, v => v != 0f);
    }
}
