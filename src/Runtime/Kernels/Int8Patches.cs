using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

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

    /// <summary>
    /// Bytes of the image with its padding border written out, for <see cref="GatherFromPadded"/>: (OH − 1) · strideY +
    /// KH rows of (OW − 1) · strideX + KW positions.
    /// </summary>
    public static int PaddedLength(in Conv2DGeometry g) =>
        ((g.OutputHeight - 1) * g.StrideY + g.KernelHeight) * ((g.OutputWidth - 1) * g.StrideX + g.KernelWidth) * g.InputChannels;

    /// <summary>
    /// The rows of <see cref="Gather"/>, made by copying the image once into <paramref name="padded"/>
    /// (<see cref="PaddedLength"/> bytes) with its border of <paramref name="padding"/>, then each kernel row of each
    /// window as one run of contiguous bytes: no bounds to test per window, and short runs (a one-channel 5x5 kernel
    /// copies 5 bytes per kernel row) move as two overlapping words rather than byte by byte.
    /// </summary>
    public static void GatherFromPadded(in Conv2DGeometry g, ReadOnlySpan<byte> image, byte padding, Span<byte> padded, Span<byte> patches, int rowStride)
    {
        int channels = g.InputChannels;
        int paddedHeight = (g.OutputHeight - 1) * g.StrideY + g.KernelHeight;
        int paddedWidth = (g.OutputWidth - 1) * g.StrideX + g.KernelWidth;
        if (image.Length < g.InputElements)
            throw new ArgumentException($"An image of {g.InputHeight}x{g.InputWidth}x{channels} has {g.InputElements} bytes; got {image.Length}.", nameof(image));
        if (padded.Length < PaddedLength(g))
            throw new ArgumentException($"The padded image needs {PaddedLength(g)} bytes; got {padded.Length}.", nameof(padded));
        if (rowStride < g.PatchLength || patches.Length < (long)g.OutputPositions * rowStride - (rowStride - g.PatchLength))
            throw new ArgumentException($"{g.OutputPositions} patches of {g.PatchLength} bytes, {rowStride} apart, do not fit in {patches.Length}.", nameof(patches));

        // The border: rows and columns of the window grid that fall outside the image read the padding byte.
        padded[..PaddedLength(g)].Fill(padding);
        int firstColumn = Math.Max(0, -g.PadLeft), lastColumn = Math.Min(g.InputWidth, paddedWidth - g.PadLeft);
        for (int iy = 0; iy < g.InputHeight; iy++)
        {
            int py = iy + g.PadTop;
            if (py < 0 || py >= paddedHeight || firstColumn >= lastColumn)
                continue;
            image.Slice((iy * g.InputWidth + firstColumn) * channels, (lastColumn - firstColumn) * channels)
                .CopyTo(padded[((py * paddedWidth + firstColumn + g.PadLeft) * channels)..]);
        }

        int run = g.KernelWidth * channels, line = paddedWidth * channels;
        ref byte source = ref MemoryMarshal.GetReference(padded);
        ref byte target = ref MemoryMarshal.GetReference(patches);
        for (int oy = 0; oy < g.OutputHeight; oy++)
        {
            for (int ox = 0; ox < g.OutputWidth; ox++)
            {
                ref byte row = ref Unsafe.Add(ref target, (nint)(oy * g.OutputWidth + ox) * rowStride);
                ref byte window = ref Unsafe.Add(ref source, (nint)(oy * g.StrideY * paddedWidth + ox * g.StrideX) * channels);
                for (int ky = 0; ky < g.KernelHeight; ky++)
                    CopyRun(ref Unsafe.Add(ref window, (nint)ky * line), ref Unsafe.Add(ref row, (nint)ky * run), run);
            }
        }
    }

    /// <summary>Copies <paramref name="length"/> bytes, never touching a byte outside either run.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopyRun(ref byte from, ref byte to, int length)
    {
        int i = 0;
        for (; i <= length - 32; i += 32)
            Vector256.LoadUnsafe(ref from, (nuint)i).StoreUnsafe(ref to, (nuint)i);
        if (i == length)
            return;
        int left = length - i;
        if (length >= 32)
        {
            // The last 32 bytes, overlapping what was already copied.
            Vector256.LoadUnsafe(ref from, (nuint)(length - 32)).StoreUnsafe(ref to, (nuint)(length - 32));
        }
        else if (left >= 8)
        {
            for (; i <= length - 8; i += 8)
                Unsafe.WriteUnaligned(ref Unsafe.Add(ref to, i), Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref from, i)));
            if (i < length)
                Unsafe.WriteUnaligned(ref Unsafe.Add(ref to, length - 8), Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref from, length - 8)));
        }
        else if (left >= 4)
        {
            Unsafe.WriteUnaligned(ref to, Unsafe.ReadUnaligned<uint>(ref from));
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref to, length - 4), Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref from, length - 4)));
        }
        else
        {
            for (; i < length; i++)
                Unsafe.Add(ref to, i) = Unsafe.Add(ref from, i);
        }
    }
}
