using Microsoft.ML.OnnxRuntime;
using SourceNet.Onnx;

namespace SourceNet.Interop.Tests.Onnx;

/// <summary>Runs an exported model in ONNX Runtime: [count, inputSize] floats in, the "logits" out.</summary>
internal static class OnnxRunner
{
    public static byte[] Export(INetwork network)
    {
        using var stream = new MemoryStream();
        OnnxExporter.Export(network, stream);
        return stream.ToArray();
    }

    public static float[] Run(byte[] model, float[] inputs, int count, int inputSize)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 1, GraphOptimizationLevel = GraphOptimizationLevel.ORT_DISABLE_ALL };
        using var session = new InferenceSession(model, options);
        using var input = OrtValue.CreateTensorValueFromMemory(inputs, [count, inputSize]);
        using var runOptions = new RunOptions();
        using IDisposableReadOnlyCollection<OrtValue> outputs = session.Run(runOptions, [OnnxExporter.InputName], [input], [OnnxExporter.OutputName]);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }
}
