namespace SourceNet.Images;

/// <summary>The channels <see cref="ImageFolder"/> gives each pixel.</summary>
public enum ImageColor
{
    /// <summary>One channel: the luma 0.299 R + 0.587 G + 0.114 B (ITU-R BT.601, the weights of PIL's and TensorFlow's
    /// grayscale conversions), rounded to the nearest byte; a gray image's own values, unchanged.</summary>
    Grayscale = 1,

    /// <summary>Three channels, red, green, blue, in that order.</summary>
    Rgb = 3,
}
