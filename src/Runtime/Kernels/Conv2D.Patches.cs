using System;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace SourceNet.Kernels;

// Moving data between an image, its padded copy and its im2col patches. Every routine here works on one sample
// or one row block, so the callers can run them on any thread without changing a value.
public static partial class Conv2D
{
    /// <summary>Writes one sample of <paramref name="input"/> into its padded copy: zero border,
    /// cropped to the rows and columns the windows reach (see <see cref="ConvPlan"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static unsafe void Pad(in Conv2DGeometry g, in ConvPlan plan, float* input, float* padded)
    {
        int c = g.InputChannels, pw = plan.PaddedWidth;
        new Span<float>(padded, plan.PaddedElements).Clear();
        int rows = Math.Min(g.InputHeight, plan.PaddedHeight - g.PadTop);
        int count = Math.Min(g.InputWidth, pw - g.PadLeft) * c;
        for (int iy = 0; iy < rows; iy++)
        {
            float* source = input + (nint)iy * g.InputWidth * c;
            float* destination = padded + ((nint)(iy + g.PadTop) * pw + g.PadLeft) * c;
            new ReadOnlySpan<float>(source, count).CopyTo(new Span<float>(destination, count));
        }
    }

    /// <summary>The inverse of <see cref="Pad"/> for gradients: copies the interior of a padded gradient into
    /// the sample's input gradient; input positions no window reaches (cropped by Valid padding) get zero.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static unsafe void Crop(in Conv2DGeometry g, in ConvPlan plan, float* padded, float* inputGradient)
    {
        int c = g.InputChannels, pw = plan.PaddedWidth, width = g.InputWidth * c;
        int rows = Math.Min(g.InputHeight, plan.PaddedHeight - g.PadTop);
        int count = Math.Min(g.InputWidth, pw - g.PadLeft) * c;
        for (int iy = 0; iy < g.InputHeight; iy++)
        {
            var destination = new Span<float>(inputGradient + (nint)iy * width, width);
            if (iy >= rows)
            {
                destination.Clear();
                continue;
            }
            float* source = padded + ((nint)(iy + g.PadTop) * pw + g.PadLeft) * c;
            new ReadOnlySpan<float>(source, count).CopyTo(destination);
            destination[count..].Clear();
        }
    }

    /// <summary>Offset, in a chunk's padded inputs, of the window of chunk row <paramref name="row"/> (sample-major,
    /// then output row, then output column).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static nint WindowOffset(in Conv2DGeometry g, in ConvPlan plan, int row)
    {
        int sample = row / plan.Positions, position = row - sample * plan.Positions;
        int oy = position / g.OutputWidth, ox = position - oy * g.OutputWidth;
        return (nint)sample * plan.PaddedElements + ((nint)oy * g.StrideY * plan.PaddedWidth + (nint)ox * g.StrideX) * g.InputChannels;
    }

    /// <summary>Patches of chunk rows [<paramref name="row0"/>, <paramref name="row1"/>) into
    /// <paramref name="patches"/> (row <c>row0</c> first): one contiguous copy of KW·Cin values per kernel row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static unsafe void Im2Col(in Conv2DGeometry g, in ConvPlan plan, float* padded, int row0, int row1, float* patches)
    {
        int run = g.KernelWidth * g.InputChannels;
        nint rowStride = (nint)plan.PaddedWidth * g.InputChannels;
        var cursor = new WindowCursor(g, plan, row0);
        for (int r = row0; r < row1; r++)
        {
            float* window = padded + cursor.Next();
            for (int ky = 0; ky < g.KernelHeight; ky++)
            {
                new ReadOnlySpan<float>(window, run).CopyTo(new Span<float>(patches, run));
                window += rowStride;
                patches += run;
            }
        }
    }

    /// <summary>Adds the patch gradients of one sample's rows, in row order, into its padded gradient
    /// (already cleared) in <paramref name="paddedChunk"/>: the scatter-add that undoes <see cref="Im2Col"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static unsafe void Col2Im(in Conv2DGeometry g, in ConvPlan plan, float* patches, int sample, float* paddedChunk)
    {
        int run = g.KernelWidth * g.InputChannels;
        nint rowStride = (nint)plan.PaddedWidth * g.InputChannels;
        int row0 = sample * plan.Positions, row1 = row0 + plan.Positions;
        float* patch = patches + (nint)row0 * plan.PatchLength;
        var cursor = new WindowCursor(g, plan, row0);
        for (int r = row0; r < row1; r++)
        {
            float* window = paddedChunk + cursor.Next();
            for (int ky = 0; ky < g.KernelHeight; ky++)
            {
                var target = new Span<float>(window, run);
                TensorPrimitives.Add(target, new ReadOnlySpan<float>(patch, run), target);
                window += rowStride;
                patch += run;
            }
        }
    }
}
