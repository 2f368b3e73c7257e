using System;

namespace SourceNet.Kernels;

/// <summary>The patches of one channels-last byte image, one row per output position, for an int8 convolution.</summary>
internal static class Int8Patches
{
    /// <summary>
    /// Row p = oy · OW + ox of <paramref name="patches"/> (rows <paramref name="rowStride"/> bytes apart) gets the
    /// window of output position (oy, ox) in [ky, kx, c] order, the order of the HWIO weight's rows; positions outside
    /// the image read <paramref name="padding"/> (the byte that stands for 0.0).
    /// </summary>
    public static void Gather(in Conv2DGeometry g, ReadOnlySpan<byte> image, byte padding, Span<byte> patches, int rowStride)
    {
        int channels = g.InputChannels, kernelRow = g.KernelWidth * channels;
        if (image.Length < g.InputElements)
            throw new ArgumentException($"An image of {g.InputHeight}x{g.InputWidth}x{channels} has {g.InputElements} bytes; got {image.Length}.", nameof(image));
        if (rowStride < g.PatchLength || patches.Length < (long)g.OutputPositions * rowStride - (rowStride - g.PatchLength))
            throw new ArgumentException($"{g.OutputPositions} patches of {g.PatchLength} bytes, {rowStride} apart, do not fit in {patches.Length}.", nameof(patches));
        for (int oy = 0; oy < g.OutputHeight; oy++)
        {
            for (int ox = 0; ox < g.OutputWidth; ox++)
            {
                Span<byte> row = patches.Slice((oy * g.OutputWidth + ox) * rowStride, g.PatchLength);
                int x0 = ox * g.StrideX - g.PadLeft;
                // The window's columns inside the image, [first, last): one copy per kernel row.
                int first = Math.Max(0, -x0), last = Math.Min(g.KernelWidth, g.InputWidth - x0);
                for (int ky = 0; ky < g.KernelHeight; ky++)
                {
                    int iy = oy * g.StrideY - g.PadTop + ky;
                    Span<byte> target = row.Slice(ky * kernelRow, kernelRow);
                    if (iy < 0 || iy >= g.InputHeight || first >= last)
                    {
                        target.Fill(padding);
                        continue;
                    }
                    target[..(first * channels)].Fill(padding);
                    image.Slice((iy * g.InputWidth + x0 + first) * channels, (last - first) * channels).CopyTo(target[(first * channels)..]);
                    target[(last * channels)..].Fill(padding);
                }
            }
        }
    }
}
