using System;

namespace SourceNet.Bench.LstmLatency;

/// <summary>One system at one thread setting, ready to infer: the images and every buffer are set up in advance, so a
/// timed call does only what a caller of that system's single-sample API has to do.</summary>
internal interface ISequenceRunner : IDisposable
{
    /// <summary>"SourceNet" or "ONNX Runtime".</summary>
    string System { get; }

    /// <summary>The call and thread setting, as the table shows it.</summary>
    string Setting { get; }

    /// <summary>Whether <see cref="InferAll"/> is timed for this setting (the 10,000-image line).</summary>
    bool TimesBatch { get; }

    /// <summary>Makes this runner's thread setting current (SourceNet's kernel threads are process-wide).</summary>
    void Activate();

    /// <summary>Infers test image <paramref name="image"/> alone; returns its digit.</summary>
    int InferOne(int image);

    /// <summary>The logits of the last <see cref="InferOne"/>; empty when the call gives the digit only.</summary>
    ReadOnlySpan<float> LastLogits { get; }

    /// <summary>The logits of every test image in one call, into <paramref name="logits"/> (10 per image).</summary>
    void InferAll(Span<float> logits);
}
