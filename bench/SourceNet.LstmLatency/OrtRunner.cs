using System;
using Microsoft.ML.OnnxRuntime;
using SourceNet.Onnx;

namespace SourceNet.Bench.LstmLatency;

/// <summary>
/// ONNX Runtime on the exported model, with its own overhead kept to the minimum its API allows: every input is an
/// <see cref="OrtValue"/> made once over the test images in place ([1, 784], the exported model's input; no copy per
/// call), the output an <see cref="OrtValue"/> over a fixed 10-float buffer, and the name and value arrays are made
/// once, so <c>Run</c> allocates no tensors. Sequential execution, every graph optimization,
/// <paramref name="intraOpThreads"/> intra-op threads (0: ONNX Runtime's default, one per physical core).
/// </summary>
internal sealed class OrtRunner : ISequenceRunner
{
    private const int ImageSize = 784, Classes = 10;
    private readonly SessionOptions _options;
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly OrtValue[][] _inputs;
    private readonly float[] _logits = new float[Classes];
    private readonly OrtValue[] _output;
    private readonly float[] _images;
    private readonly int _intraOpThreads;
    private static readonly string[] InputNames = [OnnxExporter.InputName];
    private static readonly string[] OutputNames = [OnnxExporter.OutputName];

    public OrtRunner(string modelPath, float[] images, int singleImages, int intraOpThreads)
    {
        _images = images;
        _intraOpThreads = intraOpThreads;
        _options = new SessionOptions
        {
            IntraOpNumThreads = intraOpThreads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        // The other peers get the same switch (bench/peers/OnnxRuntime): ORT's pool spins like OpenMP's.
        if (string.Equals(Environment.GetEnvironmentVariable("OMP_WAIT_POLICY"), "PASSIVE", StringComparison.OrdinalIgnoreCase))
        {
            _options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        }
        _session = new InferenceSession(modelPath, _options);
        _inputs = new OrtValue[singleImages][];
        for (int i = 0; i < singleImages; i++)
        {
            _inputs[i] = [OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, images.AsMemory(i * ImageSize, ImageSize), [1, ImageSize])];
        }
        _output = [OrtValue.CreateTensorValueFromMemory(_logits, [1, Classes])];
    }

    /// <summary>The intra-op thread count asked for; 0 for ONNX Runtime's default.</summary>
    public int IntraOpThreads => _intraOpThreads;

    public string System => "ONNX Runtime";

    public string Setting => "Run([1, 784]), " + (_intraOpThreads == 0 ? "intra-op default" : $"intra-op {_intraOpThreads}");

    public bool TimesBatch => true;

    public void Activate()
    {
    }

    public int InferOne(int image)
    {
        _session.Run(_runOptions, InputNames, _inputs[image], OutputNames, _output);
        return ArgMax.Of(_logits);
    }

    public ReadOnlySpan<float> LastLogits => _logits;

    public void InferAll(Span<float> logits)
    {
        int count = _images.Length / ImageSize;
        using OrtValue input = OrtValue.CreateTensorValueFromMemory(_images, [count, ImageSize]);
        using IDisposableReadOnlyCollection<OrtValue> outputs = _session.Run(_runOptions, InputNames, [input], OutputNames);
        outputs[0].GetTensorDataAsSpan<float>().CopyTo(logits);
    }

    public void Dispose()
    {
        foreach (OrtValue[] input in _inputs)
        {
            input[0].Dispose();
        }
        _output[0].Dispose();
        _session.Dispose();
        _runOptions.Dispose();
        _options.Dispose();
    }
}
