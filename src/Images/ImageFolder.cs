using System;
using System.Collections.Generic;
using System.IO;
using SkiaSharp;
using SourceNet.Data;

namespace SourceNet.Images;

/// <summary>
/// Loads a folder of images, one subfolder per class, as classification samples (Keras'
/// <c>image_dataset_from_directory</c>): <c>root/cat/1.png</c>, <c>root/dog/7.png</c>, ... Classes are the subfolder
/// names in ordinal order (<c>cat</c> = 0, <c>dog</c> = 1); each image becomes a channels-last (height, width,
/// channels) sample of floats in [0, 1], each byte divided by 255, ready for a <see cref="BatchSampler"/> and a
/// network with <c>InputShape = new[] { height, width, channels }</c>.
/// </summary>
/// <remarks>
/// Decoding is SkiaSharp's (PNG, JPEG, BMP, GIF's first frame, WebP). Within a class the files are read in ordinal
/// order of their names, so a folder loads the same way on every machine. Folders and files whose names start with
/// '.' are skipped, and so are files with other extensions.
/// </remarks>
public static class ImageFolder
{
    /// <summary>What a pixel byte is divided by.</summary>
    public const float PixelScale = 255f;

    /// <summary>Loads every image under <paramref name="root"/>'s class subfolders.</summary>
    /// <param name="root">The folder whose subfolders are the classes.</param>
    /// <param name="options">Color mode, resizing, extensions; null: RGB, no resizing.</param>
    /// <returns>The samples, with <see cref="LabeledData.SampleShape"/> [height, width, channels] and
    /// <see cref="LabeledData.ClassNames"/> the subfolder names.</returns>
    /// <exception cref="DirectoryNotFoundException">The root does not exist.</exception>
    /// <exception cref="InvalidDataException">The root has no class subfolder, a class has no image, a file does not
    /// decode, or (without resizing) two images differ in size; the message names the files.</exception>
    public static LabeledData Load(string root, ImageFolderOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        options ??= new ImageFolderOptions();
        options.Validate();
        if (!Directory.Exists(root))
        {
            throw new DirectoryNotFoundException($"The image folder '{Path.GetFullPath(root)}' does not exist.");
        }

        List<string> classNames = ClassFolders(root);
        var files = new List<(string Path, int Label)>();
        for (int label = 0; label < classNames.Count; label++)
        {
            string folder = Path.Combine(root, classNames[label]);
            List<string> images = ImageFiles(folder, options.Extensions);
            if (images.Count == 0)
            {
                throw new InvalidDataException(
                    $"The class folder '{Path.GetFullPath(folder)}' holds no image ({string.Join(", ", options.Extensions)}): remove it, or add its images.");
            }
            foreach (string image in images)
            {
                files.Add((image, label));
            }
        }

        int channels = (int)options.Color;
        float[]? features = null;
        var labels = new int[files.Count];
        int height = options.Height ?? 0, width = options.Width ?? 0;
        string? sizedBy = null;
        for (int i = 0; i < files.Count; i++)
        {
            (string path, int label) = files[i];
            using SKBitmap bitmap = Decode(path);
            using SKBitmap? resized = Fit(bitmap, options, path, ref height, ref width, ref sizedBy);
            if (features is null)
            {
                long total = (long)files.Count * height * width * channels;
                if (total > Array.MaxLength)
                {
                    throw new InvalidDataException(
                        $"{files.Count} images of {height}x{width}x{channels} are {total} floats, more than one array holds ({Array.MaxLength}): resize them smaller or load fewer.");
                }
                features = new float[total];
            }
            int size = height * width * channels;
            ToFloats(resized ?? bitmap, options.Color, features.AsSpan(i * size, size));
            labels[i] = label;
        }
        return new LabeledData(features!, labels, [height, width, channels], classNames);
    }

    private static List<string> ClassFolders(string root)
    {
        var names = new List<string>();
        foreach (string folder in Directory.EnumerateDirectories(root))
        {
            string name = Path.GetFileName(folder);
            if (!name.StartsWith('.'))
            {
                names.Add(name);
            }
        }
        if (names.Count == 0)
        {
            throw new InvalidDataException(
                $"The image folder '{Path.GetFullPath(root)}' has no subfolder: put each class's images in a subfolder named after the class.");
        }
        names.Sort(StringComparer.Ordinal);
        return names;
    }

    private static List<string> ImageFiles(string folder, string[] extensions)
    {
        var files = new List<string>();
        foreach (string file in Directory.EnumerateFiles(folder))
        {
            string name = Path.GetFileName(file);
            if (name.StartsWith('.'))
            {
                continue;
            }
            string extension = Path.GetExtension(name);
            foreach (string wanted in extensions)
            {
                if (string.Equals(extension, wanted, StringComparison.OrdinalIgnoreCase))
                {
                    files.Add(file);
                    break;
                }
            }
        }
        files.Sort(StringComparer.Ordinal);
        return files;
    }

    /// <summary>Decodes to unpremultiplied RGBA bytes, whatever the file stores (gray, palette, 16-bit, with alpha or not).</summary>
    private static SKBitmap Decode(string path)
    {
        using SKCodec? codec = SKCodec.Create(path, out SKCodecResult result);
        if (codec is null)
        {
            throw new InvalidDataException($"'{Path.GetFullPath(path)}' is not an image SkiaSharp can decode ({result}).");
        }
        var info = new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        var bitmap = new SKBitmap(info);
        SKCodecResult decoded = codec.GetPixels(info, bitmap.GetPixels());
        if (decoded is not (SKCodecResult.Success))
        {
            bitmap.Dispose();
            throw new InvalidDataException($"'{Path.GetFullPath(path)}' did not decode: {decoded} (a truncated or corrupt file?).");
        }
        return bitmap;
    }

    /// <summary>The image resized when asked (null when it has the size already), else checked against the first image's size (null).</summary>
    private static SKBitmap? Fit(SKBitmap bitmap, ImageFolderOptions options, string path, ref int height, ref int width, ref string? sizedBy)
    {
        if (options.Height is int h && options.Width is int w)
        {
            if (bitmap.Height == h && bitmap.Width == w)
            {
                return null;
            }
            var info = new SKImageInfo(w, h, SKColorType.Rgba8888, SKAlphaType.Unpremul);
            return bitmap.Resize(info, new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear))
                ?? throw new InvalidDataException($"'{Path.GetFullPath(path)}' could not be resized from {bitmap.Height}x{bitmap.Width} to {h}x{w}.");
        }
        if (sizedBy is null)
        {
            (height, width, sizedBy) = (bitmap.Height, bitmap.Width, path);
        }
        else if (bitmap.Height != height || bitmap.Width != width)
        {
            throw new InvalidDataException(
                $"'{Path.GetFullPath(path)}' is {bitmap.Height}x{bitmap.Width} (height x width), but '{Path.GetFullPath(sizedBy)}' is {height}x{width}: " +
                "give ImageFolderOptions.Height and Width to resize every image to one size.");
        }
        return null;
    }

    /// <summary>RGBA bytes to channels-last floats: each byte divided by 255 (correctly rounded, so 255 is exactly 1).</summary>
    private static void ToFloats(SKBitmap bitmap, ImageColor color, Span<float> destination)
    {
        ReadOnlySpan<byte> pixels = bitmap.GetPixelSpan();
        int rowBytes = bitmap.RowBytes, width = bitmap.Width, next = 0;
        for (int y = 0; y < bitmap.Height; y++)
        {
            ReadOnlySpan<byte> row = pixels.Slice(y * rowBytes, width * 4);
            for (int x = 0; x < width; x++)
            {
                byte r = row[4 * x], g = row[4 * x + 1], b = row[4 * x + 2];
                if (color == ImageColor.Rgb)
                {
                    destination[next++] = r / PixelScale;
                    destination[next++] = g / PixelScale;
                    destination[next++] = b / PixelScale;
                }
                else
                {
                    destination[next++] = Luma(r, g, b) / PixelScale;
                }
            }
        }
    }

    /// <summary>BT.601 luma rounded to the nearest byte in integer arithmetic: exact for gray pixels (r = g = b).</summary>
    internal static byte Luma(byte r, byte g, byte b) => (byte)((299 * r + 587 * g + 114 * b + 500) / 1000);
}
