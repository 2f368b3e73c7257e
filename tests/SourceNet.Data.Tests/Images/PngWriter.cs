using SkiaSharp;

namespace SourceNet.Data.Tests.Images;

/// <summary>Writes test PNGs with SkiaSharp's encoder: RGBA (unpremultiplied, so the bytes are stored as given) or 8-bit gray.</summary>
internal static class PngWriter
{
    /// <summary>Writes a height x width PNG from RGBA bytes, row-major.</summary>
    public static void Rgba(string path, int height, int width, byte[] rgba)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        System.Runtime.InteropServices.Marshal.Copy(rgba, 0, bitmap.GetPixels(), rgba.Length);
        Save(path, bitmap);
    }

    /// <summary>Writes a height x width 8-bit grayscale PNG from one byte per pixel, row-major.</summary>
    public static void Gray(string path, int height, int width, byte[] gray)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Gray8, SKAlphaType.Opaque));
        System.Runtime.InteropServices.Marshal.Copy(gray, 0, bitmap.GetPixels(), gray.Length);
        Save(path, bitmap);
    }

    /// <summary>Random RGBA bytes with alpha 255.</summary>
    public static byte[] RandomRgba(SeededRandom random, int pixels)
    {
        var bytes = new byte[4 * pixels];
        for (int i = 0; i < bytes.Length; i++)
        {
            bytes[i] = i % 4 == 3 ? (byte)255 : (byte)random.NextInt(256);
        }
        return bytes;
    }

    private static void Save(string path, SKBitmap bitmap)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using SKData data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        File.WriteAllBytes(path, data.ToArray());
    }
}
