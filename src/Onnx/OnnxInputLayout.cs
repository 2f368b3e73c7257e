namespace SourceNet.Onnx;

/// <summary>How an exported model takes its input.</summary>
public enum OnnxInputLayout
{
    /// <summary>
    /// [N, InputSize], each sample flattened exactly as SourceNet takes it (an image channels-last, H·W·C): the same
    /// rows <c>Forward</c> reads.
    /// </summary>
    Features = 0,

    /// <summary>
    /// [N, C, H, W], the layout of PyTorch's image models and their ONNX exports, for a network whose input is an
    /// image. The graph starts in ONNX's own layout, so no conversion runs before the first convolution.
    /// </summary>
    Nchw = 1,
}
