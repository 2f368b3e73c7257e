using System;
using System.Runtime.Intrinsics;

namespace SourceNet.Kernels;

/// <summary>2-D pooling of one channels-last byte image; windows cover the positions inside the image only.</summary>
internal static class Int8Pooling
{
    /// <summary>Each output byte is the largest byte of its window (windows always hold at least one position).</summary>
    public static void Max(in Pool2DGeometry g, ReadOnlySpan<byte> input, Span<byte> output)
    {
        int channels = g.Channels;
        for (int oy = 0; oy < g.OutputHeight; oy++)
        {
            int y0 = oy * g.StrideY - g.PadTop, y1 = Math.Min(y0 + g.PoolHeight, g.InputHeight);
            y0 = Math.Max(y0, 0);
            for (int ox = 0; ox < g.OutputWidth; ox++)
            {
                int x0 = ox * g.StrideX - g.PadLeft, x1 = Math.Min(x0 + g.PoolWidth, g.InputWidth);
                x0 = Math.Max(x0, 0);
                Span<byte> target = output.Slice((oy * g.OutputWidth + ox) * channels, channels);
                target.Clear();
                for (int y = y0; y < y1; y++)
                {
                    for (int x = x0; x < x1; x++)
                        MaxInto(target, input.Slice((y * g.InputWidth + x) * channels, channels));
                }
            }
        }
    }

    /// <summary>Each output byte is its window's mean byte, rounded half up.</summary>
    public static void Average(in Pool2DGeometry g, ReadOnlySpan<byte> input, Span<byte> output)
    {
        int channels = g.Channels;
        for (int oy = 0; oy < g.OutputHeight; oy++)
        {
            int y0 = oy * g.StrideY - g.PadTop, y1 = Math.Min(y0 + g.PoolHeight, g.InputHeight);
            y0 = Math.Max(y0, 0);
            for (int ox = 0; ox < g.OutputWidth; ox++)
            {
                int x0 = ox * g.StrideX - g.PadLeft, x1 = Math.Min(x0 + g.PoolWidth, g.InputWidth);
                x0 = Math.Max(x0, 0);
                int count = (y1 - y0) * (x1 - x0);
                for (int c = 0; c < channels; c++)
                {
                    int sum = 0;
                    for (int y = y0; y < y1; y++)
                    {
                        for (int x = x0; x < x1; x++)
                            sum += input[(y * g.InputWidth + x) * channels + c];
                    }
                    output[(oy * g.OutputWidth + ox) * channels + c] = (byte)((2 * sum + count) / (2 * count));
                }
            }
        }
    }

    private static void MaxInto(Span<byte> target, ReadOnlySpan<byte> source)
    {
        int c = 0, n = target.Length;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; c <= n - 32; c += 32)
                Vector256.Max(Vector256.Create(target.Slice(c, 32)), Vector256.Create(source.Slice(c, 32))).CopyTo(target.Slice(c, 32));
        }
        if (Vector128.IsHardwareAccelerated)
        {
            for (; c <= n - 16; c += 16)
                Vector128.Max(Vector128.Create(target.Slice(c, 16)), Vector128.Create(source.Slice(c, 16))).CopyTo(target.Slice(c, 16));
        }
        for (; c < n; c++)
            target[c] = Math.Max(target[c], source[c]);
    }
}
