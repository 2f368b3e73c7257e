using System;

namespace SourceNet.Kernels;

/// <summary>
/// The sizes of one 2-D convolution over channels-last (NHWC) images, padding and output size included.
/// A generated network builds one per layer from constants; the kernels read every size from it.
/// </summary>
/// <remarks>
/// Padding follows TensorFlow: <c>Valid</c> uses no padding, <c>out = (in - k) / stride + 1</c>;
/// <c>Same</c> gives <c>out = ceil(in / stride)</c> and pads <c>max((out - 1)·stride + k - in, 0)</c> in total,
/// the smaller half before (top, left) and the larger after. Padded positions read as zero.
/// </remarks>
public readonly record struct Conv2DGeometry(
    int InputHeight, int InputWidth, int InputChannels,
    int Filters, int KernelHeight, int KernelWidth,
    int StrideY, int StrideX,
    int PadTop, int PadLeft,
    int OutputHeight, int OutputWidth)
{
    /// <summary>The geometry for the given sizes, with TensorFlow's <c>Same</c> or <c>Valid</c> padding.</summary>
    /// <exception cref="ArgumentException">A size is not positive, or the kernel leaves no output.</exception>
    public static Conv2DGeometry Create(int inputHeight, int inputWidth, int inputChannels, int filters,
        int kernelHeight, int kernelWidth, int strideY, int strideX, bool samePadding)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(filters);
        (int outputHeight, int padTop) = WindowGeometry.Output(inputHeight, kernelHeight, strideY, samePadding, "height");
        (int outputWidth, int padLeft) = WindowGeometry.Output(inputWidth, kernelWidth, strideX, samePadding, "width");
        return new(inputHeight, inputWidth, inputChannels, filters, kernelHeight, kernelWidth, strideY, strideX,
            padTop, padLeft, outputHeight, outputWidth);
    }

    /// <summary>Values in one input sample, H·W·C.</summary>
    public int InputElements => InputHeight * InputWidth * InputChannels;

    /// <summary>Values in one output sample.</summary>
    public int OutputElements => OutputHeight * OutputWidth * Filters;

    /// <summary>Rows of the weight matrix: kernelHeight · kernelWidth · inChannels (one im2col patch).</summary>
    public int PatchLength => KernelHeight * KernelWidth * InputChannels;

    /// <summary>Output positions of one sample, OH·OW.</summary>
    public int OutputPositions => OutputHeight * OutputWidth;

    /// <summary>Multiply-adds of the forward pass of one sample.</summary>
    public long MultiplyAddsPerSample => (long)OutputPositions * PatchLength * Filters;

    /// <summary>Padding after the last row: what the output height needs beyond the input and <see cref="PadTop"/> (<c>Same</c> puts the odd pixel here).</summary>
    public int PadBottom => WindowGeometry.PadAfter(InputHeight, KernelHeight, StrideY, PadTop, OutputHeight);

    /// <summary>Padding after the last column, as <see cref="PadBottom"/>.</summary>
    public int PadRight => WindowGeometry.PadAfter(InputWidth, KernelWidth, StrideX, PadLeft, OutputWidth);
}

/// <summary>
/// The sizes of one 2-D pooling window over channels-last images, with the same padding rules as
/// <see cref="Conv2DGeometry"/>. A padded position never wins a max and is not counted in an average.
/// </summary>
public readonly record struct Pool2DGeometry(
    int InputHeight, int InputWidth, int Channels,
    int PoolHeight, int PoolWidth,
    int StrideY, int StrideX,
    int PadTop, int PadLeft,
    int OutputHeight, int OutputWidth)
{
    /// <summary>The geometry for the given sizes, with TensorFlow's <c>Same</c> or <c>Valid</c> padding.</summary>
    public static Pool2DGeometry Create(int inputHeight, int inputWidth, int channels,
        int poolHeight, int poolWidth, int strideY, int strideX, bool samePadding)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        (int outputHeight, int padTop) = WindowGeometry.Output(inputHeight, poolHeight, strideY, samePadding, "height");
        (int outputWidth, int padLeft) = WindowGeometry.Output(inputWidth, poolWidth, strideX, samePadding, "width");
        return new(inputHeight, inputWidth, channels, poolHeight, poolWidth, strideY, strideX, padTop, padLeft, outputHeight, outputWidth);
    }

    /// <summary>Values in one input sample.</summary>
    public int InputElements => InputHeight * InputWidth * Channels;

    /// <summary>Values in one output sample.</summary>
    public int OutputElements => OutputHeight * OutputWidth * Channels;

    /// <summary>Padding after the last row, as <see cref="Conv2DGeometry.PadBottom"/>.</summary>
    public int PadBottom => WindowGeometry.PadAfter(InputHeight, PoolHeight, StrideY, PadTop, OutputHeight);

    /// <summary>Padding after the last column, as <see cref="Conv2DGeometry.PadRight"/>.</summary>
    public int PadRight => WindowGeometry.PadAfter(InputWidth, PoolWidth, StrideX, PadLeft, OutputWidth);
}

/// <summary>The output size and leading padding of a sliding window along one axis.</summary>
internal static class WindowGeometry
{
    public static (int Output, int PadBefore) Output(int input, int window, int stride, bool same, string axis)
    {
        if (input <= 0 || window <= 0 || stride <= 0)
            throw new ArgumentException($"The input {axis} ({input}), window ({window}) and stride ({stride}) must be positive.");
        if (same)
        {
            int output = (input + stride - 1) / stride;
            int padTotal = PadAfter(input, window, stride, 0, output);
            return (output, padTotal / 2);
        }
        if (window > input)
            throw new ArgumentException($"A window of {window} is larger than the input {axis} {input} without padding.");
        return ((input - window) / stride + 1, 0);
    }

    /// <summary>
    /// The padding after the input that <paramref name="output"/> windows need beyond <paramref name="padBefore"/>;
    /// <c>Valid</c> drops leftover pixels, so it is never negative.
    /// </summary>
    public static int PadAfter(int input, int window, int stride, int padBefore, int output) =>
        (int)Math.Max((long)(output - 1) * stride + window - input - padBefore, 0);
}
