namespace SourceNet.Onnx;

/// <summary>Settings of an ONNX export; the defaults give the model <see cref="OnnxExporter"/> always wrote.</summary>
public sealed record OnnxExportOptions
{
    /// <summary>The model's version (ONNX's <c>model_version</c>), for a serving system that keeps several. Default 1.</summary>
    public long ModelVersion { get; init; } = 1;

    /// <summary>The input's layout: <see cref="OnnxInputLayout.Features"/> (default) or, for an image input, <see cref="OnnxInputLayout.Nchw"/>.</summary>
    public OnnxInputLayout InputLayout { get; init; } = OnnxInputLayout.Features;
}
