using System;
using System.Globalization;

namespace SourceNet;

/// <summary>
/// The shape of one sample between two layers: a feature vector <c>(N)</c> or an image <c>(H, W, C)</c>.
/// Images are stored channels-last (NHWC, row-major), so a sample's values are contiguous and flattening
/// an image into a vector moves no data.
/// </summary>
public readonly record struct LayerShape
{
    private LayerShape(bool isImage, int height, int width, int channels)
    {
        IsImage = isImage;
        Height = height;
        Width = width;
        Channels = channels;
    }

    /// <summary>A feature vector of <paramref name="count"/> values.</summary>
    public static LayerShape Features(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        return new(false, 1, 1, count);
    }

    /// <summary>An image of <paramref name="height"/> x <paramref name="width"/> pixels with <paramref name="channels"/> channels.</summary>
    public static LayerShape Image(int height, int width, int channels)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        return new(true, height, width, channels);
    }

    /// <summary>Whether the shape is an image (H, W, C) rather than a vector (N).</summary>
    public bool IsImage { get; }

    /// <summary>Rows of an image; 1 for a vector.</summary>
    public int Height { get; }

    /// <summary>Columns of an image; 1 for a vector.</summary>
    public int Width { get; }

    /// <summary>Channels of an image; the length of a vector.</summary>
    public int Channels { get; }

    /// <summary>Values in one sample.</summary>
    public int Elements => Height * Width * Channels;

    /// <summary>The dimensions without the batch axis: [H, W, C] or [N].</summary>
    public int[] Dimensions => IsImage ? new[] { Height, Width, Channels } : new[] { Channels };

    /// <summary>As Keras prints it without the batch axis: <c>(28, 28, 1)</c> or <c>(300)</c>.</summary>
    public override string ToString() => IsImage
        ? string.Create(CultureInfo.InvariantCulture, $"({Height}, {Width}, {Channels})")
        : string.Create(CultureInfo.InvariantCulture, $"({Channels})");
}
