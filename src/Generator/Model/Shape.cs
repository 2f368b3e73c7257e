using System.Globalization;

namespace SourceNet.Generator.Model;

/// <summary>What a shape's axes mean (its rank and element type follow from it).</summary>
internal enum ShapeKind
{
    /// <summary>A feature vector <c>(N)</c> of floats.</summary>
    Vector,

    /// <summary>A channels-last image <c>(H, W, C)</c> of floats.</summary>
    Image,

    /// <summary>A sequence <c>(T, F)</c>: T steps of F floats, step-major.</summary>
    Sequence,

    /// <summary>Token ids <c>(T)</c> of <c>int</c>.</summary>
    Tokens,
}

/// <summary>
/// The typed shape of one sample between two layers: a feature vector <c>(N)</c>, a channels-last image
/// <c>(H, W, C)</c>, a sequence <c>(T, F)</c>, or token ids <c>(T)</c> of <c>int</c>. Mirrors the runtime's
/// <c>SourceNet.LayerShape</c>. The three numbers are stored the same way for every kind, so code that only
/// counts values needs no switch: a sequence keeps T in <see cref="Height"/> and F in <see cref="Channels"/>.
/// </summary>
internal sealed record Shape(ShapeKind Kind, int Height, int Width, int Channels)
{
    public static Shape Features(int count) => new(ShapeKind.Vector, 1, 1, count);

    public static Shape Image(int height, int width, int channels) => new(ShapeKind.Image, height, width, channels);

    public static Shape Sequence(int steps, int features) => new(ShapeKind.Sequence, steps, 1, features);

    public static Shape Tokens(int steps) => new(ShapeKind.Tokens, steps, 1, 1);

    /// <summary>For a vector made by flattening an image: that image. PyTorch flattens channels-first, so the
    /// weights of a dense layer fed by it map to PyTorch's <c>state_dict</c> through this shape.</summary>
    public Shape? FlattenedFrom { get; init; }

    public bool IsImage => Kind == ShapeKind.Image;

    public bool IsVector => Kind == ShapeKind.Vector;

    /// <summary>Whether a sample is a sequence of steps (float features or token ids).</summary>
    public bool IsSequence => Kind is ShapeKind.Sequence or ShapeKind.Tokens;

    /// <summary>Whether the values are <c>int</c> token ids rather than floats.</summary>
    public bool IsIntegral => Kind == ShapeKind.Tokens;

    /// <summary>Steps of a sequence (T).</summary>
    public int Steps => Height;

    /// <summary>The C# element type of the values: <c>float</c>, or <c>int</c> for token ids.</summary>
    public string ElementType => IsIntegral ? "int" : "float";

    /// <summary>Values in one sample (saturating is the validator's job: sizes here are already checked).</summary>
    public long Elements => (long)Height * Width * Channels;

    /// <summary>The runtime expression that builds this shape.</summary>
    public string RuntimeExpression => Kind switch
    {
        ShapeKind.Image => $"global::SourceNet.LayerShape.Image({Text(Height)}, {Text(Width)}, {Text(Channels)})",
        ShapeKind.Sequence => $"global::SourceNet.LayerShape.Sequence({Text(Height)}, {Text(Channels)})",
        ShapeKind.Tokens => $"global::SourceNet.LayerShape.Tokens({Text(Height)})",
        _ => $"global::SourceNet.LayerShape.Features({Text(Channels)})",
    };

    /// <summary>What the shape is, in words, for messages: <c>an image (28, 28, 1)</c>.</summary>
    public string Described => Kind switch
    {
        ShapeKind.Image => "an image " + this,
        ShapeKind.Sequence => "a sequence " + this,
        ShapeKind.Tokens => "token ids " + this,
        _ => "a vector " + this,
    };

    /// <summary>As Keras prints it without the batch axis: <c>(28, 28, 1)</c>, <c>(300)</c>, <c>(28, 28)</c> or <c>(100) int</c>.</summary>
    public override string ToString() => "(" + Axes + ")" + (IsIntegral ? " int" : "");

    /// <summary>With the batch axis, as a summary prints it: <c>(None, 28, 28, 1)</c>.</summary>
    public string WithBatch() => "(None, " + Axes + ")" + (IsIntegral ? " int" : "");

    private string Axes => Kind switch
    {
        ShapeKind.Image => $"{Text(Height)}, {Text(Width)}, {Text(Channels)}",
        ShapeKind.Sequence => $"{Text(Height)}, {Text(Channels)}",
        ShapeKind.Tokens => Text(Height),
        _ => Text(Channels),
    };

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
