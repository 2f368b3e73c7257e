using System;
using SourceNet.Kernels;
using SourceNet.Samples.MnistLstm;

namespace SourceNet.Bench.LstmLatency;

/// <summary>
/// SourceNet's generated single-sample API on <see cref="MnistLstm"/>: <c>Forward</c> of one image into 10 logits, or
/// <c>Predict</c> (the digit; it skips the batch dispatcher and writes the logits into the network's own buffer).
/// The thread setting is <see cref="KernelThreads.Count"/>, what <c>SOURCENET_THREADS</c> sets at start-up.
/// </summary>
internal sealed class SourceNetRunner(MnistLstm network, float[] images, int threads, bool predict) : ISequenceRunner
{
    private const int ImageSize = MnistLstm.InputCount, Classes = MnistLstm.OutputCount;
    private readonly float[] _logits = new float[Classes];

    public int Threads => threads;

    public string System => "SourceNet";

    public string Setting => (predict ? "Predict(image) -> digit" : "Forward(image, logits)") + $", {threads} thread(s)";

    public bool TimesBatch => !predict;

    public void Activate() => KernelThreads.Count = threads;

    public int InferOne(int image)
    {
        ReadOnlySpan<float> input = images.AsSpan(image * ImageSize, ImageSize);
        if (predict)
        {
            return network.Predict(input);
        }
        network.Forward(input, _logits);
        return ArgMax.Of(_logits);
    }

    public ReadOnlySpan<float> LastLogits => predict ? default : _logits;

    public void InferAll(Span<float> logits) => network.Forward(images, logits);

    public void Dispose()
    {
    }
}
