using Microsoft.ML.OnnxRuntime;
using SourceNet.Onnx;

namespace SourceNet.Interop.Tests.Onnx;

/// <summary>Runs an exported model in ONNX Runtime: [count, inputSize] floats in, the "logits" out.</summary>
internal static class OnnxRunner
{
    public static byte[] Export(INetwork network, OnnxExportOptions? options = null)
    {
        using var stream = new MemoryStream();
        OnnxExporter.Export(stream, network, options);
        return stream.ToArray();
    }

    public static float[] Run(byte[] model, float[] inputs, int count, int inputSize) => Run(model, inputs, [count, inputSize]);

    /// <summary>Runs the model on an input of any shape (an NCHW image batch).</summary>
    public static float[] Run(byte[] model, float[] inputs, long[] shape) => Run(model, inputs, shape, GraphOptimizationLevel.ORT_DISABLE_ALL);

    /// <summary>Runs the model with ONNX Runtime's graph rewrites at <paramref name="level"/> (all: int8 kernels for a
    /// QDQ model).</summary>
    public static float[] Run(byte[] model, float[] inputs, long[] shape, GraphOptimizationLevel level)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 1, GraphOptimizationLevel = level };
        using var session = new InferenceSession(model, options);
        using var input = OrtValue.CreateTensorValueFromMemory(inputs, shape);
        using var runOptions = new RunOptions();
        using IDisposableReadOnlyCollection<OrtValue> outputs = session.Run(runOptions, [OnnxExporter.InputName], [input], [OnnxExporter.OutputName]);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }
}
