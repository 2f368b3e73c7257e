using System;
using System.Runtime.CompilerServices;

namespace SourceNet.Kernels;

/// <summary>
/// 2-D max and average pooling over channels-last images [batch, H, W, C]. Every call <b>assigns</b> its outputs.
/// Windows follow <see cref="Pool2DGeometry"/>: a padded position never wins a max and is not counted in a mean.
/// </summary>
/// <remarks>
/// Each window is walked row by row, column by column, with all channels of a position at once (they are
/// contiguous), SIMD over channels. Samples are independent and split over <see cref="KernelThreads.Count"/>
/// threads; each output and each input gradient is computed in an order fixed by the geometry, so results are
/// bit-identical for any thread count.
/// </remarks>
public static partial class Pool2D
{
    /// <summary>
    /// <c>output[b, oy, ox, c]</c> = the window's largest value; <c>argmax[b·OutputElements + o]</c> = its index within
    /// the sample's input, <c>(y·W + x)·C + c</c>. On ties the first position in scan order (window row, then column)
    /// wins; a NaN never replaces an earlier value. Assigns both.
    /// </summary>
    public static void MaxForward(in Pool2DGeometry g, int batch, ReadOnlySpan<float> input, Span<float> output, Span<int> argmax) =>
        MaxForwardAt(KernelIsaInfo.Best, KernelThreads.Count, g, batch, input, output, argmax);

    /// <summary>Zeroes <paramref name="inputGradient"/>, then adds each output gradient at its window's argmax
    /// (overlapping windows add up), in output order.</summary>
    public static unsafe void MaxBackward(in Pool2DGeometry g, int batch, ReadOnlySpan<float> outputGradient, ReadOnlySpan<int> argmax, Span<float> inputGradient)
    {
        CheckBatch(batch);
        int outputs = g.OutputElements, inputs = g.InputElements;
        CheckLength(nameof(outputGradient), outputGradient.Length, (long)batch * outputs, batch, g.OutputHeight, g.OutputWidth, g.Channels);
        CheckLength(nameof(argmax), argmax.Length, (long)batch * outputs, batch, g.OutputHeight, g.OutputWidth, g.Channels);
        CheckLength(nameof(inputGradient), inputGradient.Length, (long)batch * inputs, batch, g.InputHeight, g.InputWidth, g.Channels);
        fixed (float* pOut = outputGradient)
        fixed (int* pArg = argmax)
        fixed (float* pIn = inputGradient)
        {
            var work = new MaxBackwardWork { G = g, OutputGradient = pOut, Argmax = pArg, InputGradient = pIn, Batch = batch };
            BlockRunner.Run(work, PartsFor(batch, g));
        }
    }

    /// <summary>The mean of each window's positions inside the input (padding not counted). Assigns.</summary>
    public static unsafe void AverageForward(in Pool2DGeometry g, int batch, ReadOnlySpan<float> input, Span<float> output)
    {
        CheckBatch(batch);
        CheckLength(nameof(input), input.Length, (long)batch * g.InputElements, batch, g.InputHeight, g.InputWidth, g.Channels);
        CheckLength(nameof(output), output.Length, (long)batch * g.OutputElements, batch, g.OutputHeight, g.OutputWidth, g.Channels);
        fixed (float* pIn = input)
        fixed (float* pOut = output)
        {
            var work = new AverageWork { G = g, Input = pIn, Output = pOut, Batch = batch, Backward = false };
            BlockRunner.Run(work, PartsFor(batch, g));
        }
    }

    /// <summary>Each output gradient divided by its window's count of positions inside the input, added to each of
    /// them (overlapping windows add up). Assigns <paramref name="inputGradient"/>.</summary>
    public static unsafe void AverageBackward(in Pool2DGeometry g, int batch, ReadOnlySpan<float> outputGradient, Span<float> inputGradient)
    {
        CheckBatch(batch);
        CheckLength(nameof(outputGradient), outputGradient.Length, (long)batch * g.OutputElements, batch, g.OutputHeight, g.OutputWidth, g.Channels);
        CheckLength(nameof(inputGradient), inputGradient.Length, (long)batch * g.InputElements, batch, g.InputHeight, g.InputWidth, g.Channels);
        fixed (float* pOut = outputGradient)
        fixed (float* pIn = inputGradient)
        {
            var work = new AverageWork { G = g, Input = pIn, Output = pOut, Batch = batch, Backward = true };
            BlockRunner.Run(work, PartsFor(batch, g));
        }
    }

    /// <summary><see cref="MaxForward"/> at a chosen instruction set and thread limit (tests).</summary>
    internal static unsafe void MaxForwardAt(KernelIsa isa, int maxParts, in Pool2DGeometry g, int batch, ReadOnlySpan<float> input, Span<float> output, Span<int> argmax)
    {
        CheckBatch(batch);
        CheckLength(nameof(input), input.Length, (long)batch * g.InputElements, batch, g.InputHeight, g.InputWidth, g.Channels);
        CheckLength(nameof(output), output.Length, (long)batch * g.OutputElements, batch, g.OutputHeight, g.OutputWidth, g.Channels);
        CheckLength(nameof(argmax), argmax.Length, (long)batch * g.OutputElements, batch, g.OutputHeight, g.OutputWidth, g.Channels);
        fixed (float* pIn = input)
        fixed (float* pOut = output)
        fixed (int* pArg = argmax)
        {
            var work = new MaxForwardWork { G = g, Input = pIn, Output = pOut, Argmax = pArg, Batch = batch, Isa = isa };
            BlockRunner.Run(work, Math.Min(maxParts, PartsFor(batch, g)));
        }
    }

    /// <summary>The input rows [y0, y1) and columns [x0, x1) of output position (oy, ox): the window clipped to the image.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static (int Y0, int Y1, int X0, int X1) Window(in Pool2DGeometry g, int oy, int ox)
    {
        int top = oy * g.StrideY - g.PadTop, left = ox * g.StrideX - g.PadLeft;
        return (Math.Max(top, 0), Math.Min(top + g.PoolHeight, g.InputHeight), Math.Max(left, 0), Math.Min(left + g.PoolWidth, g.InputWidth));
    }

    /// <summary>Pooling reads and writes about one value per input value: split only batches big enough to repay
    /// the hand-off.</summary>
    private static int PartsFor(int batch, in Pool2DGeometry g) =>
        (long)batch * g.InputElements < 64 * 1024 ? 1 : KernelThreads.Count;

    private static void CheckBatch(int batch)
    {
        if (batch <= 0)
            throw new ArgumentOutOfRangeException(nameof(batch), batch, "The batch size must be positive.");
    }

    // The shape is passed as numbers and formatted only on failure, so a valid call allocates nothing.
    private static void CheckLength(string name, int found, long expected, int batch, int height, int width, int channels)
    {
        if (found < expected)
            throw new ArgumentException($"{name} has {found} values; at least {expected} expected (batch {batch} x {height}x{width}x{channels}).", name);
    }
}
