using System;
using System.Globalization;

namespace SourceNet;

/// <summary>What the axes of a <see cref="LayerShape"/> mean.</summary>
public enum ShapeKind
{
    /// <summary>A feature vector <c>(N)</c>.</summary>
    Vector,

    /// <summary>An image <c>(H, W, C)</c>, stored channels-last.</summary>
    Image,

    /// <summary>A sequence of feature vectors <c>(T, F)</c>, time-major.</summary>
    Sequence,

    /// <summary>A sequence of token ids <c>(T)</c>.</summary>
    Tokens,
}

/// <summary>The element type of the values a <see cref="LayerShape"/> describes.</summary>
public enum ShapeElementType
{
    /// <summary>32-bit floats: activations, images, features.</summary>
    Float32,

    /// <summary>32-bit integers: token ids.</summary>
    Int32,
}

/// <summary>
/// The shape of one sample between two layers, without the batch axis: a feature vector <c>(N)</c>, an image
/// <c>(H, W, C)</c>, a sequence <c>(T, F)</c>, or token ids <c>(T)</c> of <c>int</c>. Values are stored row-major
/// with the last axis fastest (images channels-last, NHWC), so a sample's values are contiguous and flattening
/// moves no data.
/// </summary>
public readonly record struct LayerShape
{
    private LayerShape(ShapeKind kind, int height, int width, int channels, int steps)
    {
        Kind = kind;
        Height = height;
        Width = width;
        Channels = channels;
        Steps = steps;
    }

    /// <summary>A feature vector of <paramref name="count"/> values.</summary>
    public static LayerShape Features(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        return new(ShapeKind.Vector, 1, 1, count, 1);
    }

    /// <summary>An image of <paramref name="height"/> x <paramref name="width"/> pixels with <paramref name="channels"/> channels.</summary>
    public static LayerShape Image(int height, int width, int channels)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        return new(ShapeKind.Image, height, width, channels, 1);
    }

    /// <summary>A sequence of <paramref name="steps"/> vectors of <paramref name="features"/> floats, time-major.</summary>
    public static LayerShape Sequence(int steps, int features)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(steps);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(features);
        return new(ShapeKind.Sequence, 1, 1, features, steps);
    }

    /// <summary>A sequence of <paramref name="steps"/> token ids (<c>int</c>).</summary>
    public static LayerShape Tokens(int steps)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(steps);
        return new(ShapeKind.Tokens, 1, 1, 1, steps);
    }

    /// <summary>What the axes mean.</summary>
    public ShapeKind Kind { get; }

    /// <summary>Number of axes without the batch axis: 1 for a vector or token ids, 2 for a sequence, 3 for an image.</summary>
    public int Rank => Kind switch
    {
        ShapeKind.Image => 3,
        ShapeKind.Sequence => 2,
        _ => 1,
    };

    /// <summary>The element type: <see cref="ShapeElementType.Int32"/> for token ids, else <see cref="ShapeElementType.Float32"/>.</summary>
    public ShapeElementType ElementType => Kind == ShapeKind.Tokens ? ShapeElementType.Int32 : ShapeElementType.Float32;

    /// <summary>Whether the shape is an image (H, W, C).</summary>
    public bool IsImage => Kind == ShapeKind.Image;

    /// <summary>Rows of an image; 1 otherwise.</summary>
    public int Height { get; }

    /// <summary>Columns of an image; 1 otherwise.</summary>
    public int Width { get; }

    /// <summary>The last (feature) axis: channels of an image, the length of a vector, the features of a sequence; 1 for token ids.</summary>
    public int Channels { get; }

    /// <summary>Time steps of a sequence or of token ids; 1 otherwise.</summary>
    public int Steps { get; }

    /// <summary>Values in one sample.</summary>
    public int Elements => Height * Width * Channels * Steps;

    /// <summary>The dimensions without the batch axis: [N], [H, W, C], [T, F] or [T].</summary>
    public int[] Dimensions => Kind switch
    {
        ShapeKind.Image => new[] { Height, Width, Channels },
        ShapeKind.Sequence => new[] { Steps, Channels },
        ShapeKind.Tokens => new[] { Steps },
        _ => new[] { Channels },
    };

    /// <summary>As Keras prints it without the batch axis: <c>(300)</c>, <c>(28, 28, 1)</c>, <c>(T, F)</c>, or <c>(T) int</c>.</summary>
    public override string ToString() => Kind switch
    {
        ShapeKind.Image => string.Create(CultureInfo.InvariantCulture, $"({Height}, {Width}, {Channels})"),
        ShapeKind.Sequence => string.Create(CultureInfo.InvariantCulture, $"({Steps}, {Channels})"),
        ShapeKind.Tokens => string.Create(CultureInfo.InvariantCulture, $"({Steps}) int"),
        _ => string.Create(CultureInfo.InvariantCulture, $"({Channels})"),
    };
}
