using System;
using System.Numerics.Tensors;

namespace SourceNet.Kernels;

/// <summary>
/// The data movement of merges and global pooling over channels-last values: joining inputs along the channel axis
/// (and splitting a gradient back), and the mean of each channel over an image's positions. Each call <b>assigns</b>
/// its output; every sum runs in a fixed order, so results do not depend on the thread count.
/// </summary>
public static class MergeKernels
{
    /// <summary>
    /// Copies each of <paramref name="rows"/> rows of <paramref name="part"/> (<paramref name="partChannels"/> values a row)
    /// into the rows of <paramref name="joined"/> (<paramref name="joinedChannels"/> a row) from channel <paramref name="offset"/>.
    /// </summary>
    public static void CopyIn(int rows, ReadOnlySpan<float> part, int partChannels, Span<float> joined, int joinedChannels, int offset)
    {
        CheckSlice(rows, part.Length, partChannels, joined.Length, joinedChannels, offset);
        for (int r = 0; r < rows; r++)
        {
            part.Slice(r * partChannels, partChannels).CopyTo(joined.Slice(r * joinedChannels + offset, partChannels));
        }
    }

    /// <summary>The reverse of <see cref="CopyIn"/>: channels <paramref name="offset"/> onwards of each joined row into <paramref name="part"/>.</summary>
    public static void CopyOut(int rows, ReadOnlySpan<float> joined, int joinedChannels, int offset, Span<float> part, int partChannels)
    {
        CheckSlice(rows, part.Length, partChannels, joined.Length, joinedChannels, offset);
        for (int r = 0; r < rows; r++)
        {
            joined.Slice(r * joinedChannels + offset, partChannels).CopyTo(part.Slice(r * partChannels, partChannels));
        }
    }

    /// <summary>output[b, c] = the mean of input[b, ·, ·, c] over the <paramref name="positions"/> = H·W positions, summed in position order.</summary>
    public static void GlobalAverageForward(int batch, int positions, int channels, ReadOnlySpan<float> input, Span<float> output)
    {
        CheckPool(batch, positions, channels, input.Length, output.Length);
        for (int b = 0; b < batch; b++)
        {
            Span<float> sum = output.Slice(b * channels, channels);
            ReadOnlySpan<float> sample = input.Slice(b * positions * channels, positions * channels);
            sample[..channels].CopyTo(sum);
            for (int p = 1; p < positions; p++)
            {
                TensorPrimitives.Add(sum, sample.Slice(p * channels, channels), sum);
            }
            TensorPrimitives.Divide(sum, positions, sum);
        }
    }

    /// <summary>inputGradient[b, ·, ·, c] = outputGradient[b, c] / positions at every position.</summary>
    public static void GlobalAverageBackward(int batch, int positions, int channels, ReadOnlySpan<float> outputGradient, Span<float> inputGradient)
    {
        CheckPool(batch, positions, channels, inputGradient.Length, outputGradient.Length);
        Span<float> share = ThreadScratch.Floats(channels);
        for (int b = 0; b < batch; b++)
        {
            TensorPrimitives.Divide(outputGradient.Slice(b * channels, channels), positions, share);
            Span<float> sample = inputGradient.Slice(b * positions * channels, positions * channels);
            for (int p = 0; p < positions; p++)
            {
                share.CopyTo(sample.Slice(p * channels, channels));
            }
        }
    }

    private static void CheckSlice(int rows, int part, int partChannels, int joined, int joinedChannels, int offset)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        if (offset < 0 || partChannels <= 0 || offset + partChannels > joinedChannels)
            throw new ArgumentOutOfRangeException(nameof(offset), offset, $"Channels {offset} to {offset + partChannels - 1} do not fit rows of {joinedChannels} channels.");
        if (part < (long)rows * partChannels)
            throw new ArgumentException($"The part holds {part} values; {rows} rows of {partChannels} channels need {(long)rows * partChannels}.", nameof(part));
        if (joined < (long)rows * joinedChannels)
            throw new ArgumentException($"The joined buffer holds {joined} values; {rows} rows of {joinedChannels} channels need {(long)rows * joinedChannels}.", nameof(joined));
    }

    private static void CheckPool(int batch, int positions, int channels, int image, int pooled)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batch);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(positions);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        if (image < (long)batch * positions * channels)
            throw new ArgumentException($"The image buffer holds {image} values; {batch} samples of {positions} positions x {channels} channels need {(long)batch * positions * channels}.");
        if (pooled < (long)batch * channels)
            throw new ArgumentException($"The pooled buffer holds {pooled} values; {batch} samples of {channels} channels need {(long)batch * channels}.");
    }
}
