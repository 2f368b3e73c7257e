using System.Globalization;

namespace SourceNet.Generator.Model;

/// <summary>
/// The shape of one sample between two layers, typed: a feature vector <c>(N)</c> or a channels-last image
/// <c>(H, W, C)</c>. Mirrors the runtime's <c>SourceNet.LayerShape</c>.
/// </summary>
internal sealed record Shape(bool IsImage, int Height, int Width, int Channels)
{
    public static Shape Features(int count) => new(false, 1, 1, count);

    public static Shape Image(int height, int width, int channels) => new(true, height, width, channels);

    /// <summary>For a vector made by flattening an image: that image. PyTorch flattens channels-first, so the
    /// weights of a dense layer fed by it map to PyTorch's <c>state_dict</c> through this shape.</summary>
    public Shape? FlattenedFrom { get; init; }

    /// <summary>Values in one sample (saturating is the validator's job: sizes here are already checked).</summary>
    public long Elements => (long)Height * Width * Channels;

    /// <summary>The runtime expression that builds this shape.</summary>
    public string RuntimeExpression => IsImage
        ? $"global::SourceNet.LayerShape.Image({Text(Height)}, {Text(Width)}, {Text(Channels)})"
        : $"global::SourceNet.LayerShape.Features({Text(Channels)})";

    /// <summary>As Keras prints it without the batch axis: <c>(28, 28, 1)</c> or <c>(300)</c>.</summary>
    public override string ToString() => IsImage ? $"({Text(Height)}, {Text(Width)}, {Text(Channels)})" : $"({Text(Channels)})";

    /// <summary>With the batch axis, as a summary prints it: <c>(None, 28, 28, 1)</c>.</summary>
    public string WithBatch() => IsImage ? $"(None, {Text(Height)}, {Text(Width)}, {Text(Channels)})" : $"(None, {Text(Channels)})";

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
