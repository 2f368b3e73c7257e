using System;

namespace SourceNet.Images;

/// <summary>How <see cref="ImageFolder.Load"/> turns images into samples.</summary>
public sealed record ImageFolderOptions
{
    /// <summary>Grayscale (1 channel) or RGB (3 channels, the default). Alpha is dropped.</summary>
    public ImageColor Color { get; init; } = ImageColor.Rgb;

    /// <summary>
    /// Resize every image to this height, with <see cref="Width"/>; null (the default): keep each image's size,
    /// which must then be the same for all (a different one is an error naming both files).
    /// </summary>
    public int? Height { get; init; }

    /// <summary>Resize every image to this width, with <see cref="Height"/>; null: keep each image's size.</summary>
    public int? Width { get; init; }

    /// <summary>The file extensions read, compared without case; other files (a README, a thumbnail cache) are skipped.</summary>
    public string[] Extensions { get; init; } = [".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp"];

    /// <summary>Throws if a setting cannot work.</summary>
    public void Validate()
    {
        if (Color is not (ImageColor.Grayscale or ImageColor.Rgb))
        {
            throw new ArgumentOutOfRangeException(nameof(Color), Color, "Not an image color mode.");
        }
        if ((Height is null) != (Width is null))
        {
            throw new ArgumentException("Give both Height and Width to resize, or neither.", Height is null ? nameof(Height) : nameof(Width));
        }
        if (Height is int height)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height, nameof(Height));
        }
        if (Width is int width)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width, nameof(Width));
        }
        ArgumentNullException.ThrowIfNull(Extensions);
        if (Extensions.Length == 0)
        {
            throw new ArgumentException("Give at least one file extension.", nameof(Extensions));
        }
    }
}
