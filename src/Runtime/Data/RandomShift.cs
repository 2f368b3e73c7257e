using System;

namespace SourceNet.Data;

/// <summary>
/// Data augmentation for images: each sample a <see cref="BatchSampler"/> draws is moved by a random whole number of
/// pixels, at most <see cref="MaxShift"/> along each axis, the uncovered border filled with 0 (MNIST's background).
/// The shifts come from a generator of their own, so turning the augmentation on does not change which samples are
/// drawn, and the same seeds give the same shifts, bit for bit.
/// </summary>
public sealed class RandomShift
{
    private readonly SeededRandom _random;
    private readonly float[] _scratch;

    /// <summary>Shifts channels-last images of <paramref name="height"/> x <paramref name="width"/> x <paramref name="channels"/>
    /// by up to <paramref name="maxShift"/> pixels along each axis, drawing from <paramref name="random"/>.</summary>
    public RandomShift(int height, int width, int channels, int maxShift, SeededRandom random)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        ArgumentOutOfRangeException.ThrowIfNegative(maxShift);
        ArgumentNullException.ThrowIfNull(random);
        if (maxShift >= Math.Min(height, width))
            throw new ArgumentOutOfRangeException(nameof(maxShift), maxShift, $"A shift must be smaller than the image ({height}x{width}).");
        Height = height;
        Width = width;
        Channels = channels;
        MaxShift = maxShift;
        _random = random;
        _scratch = new float[height * width * channels];
    }

    /// <summary>Image rows.</summary>
    public int Height { get; }

    /// <summary>Image columns.</summary>
    public int Width { get; }

    /// <summary>Channels per pixel.</summary>
    public int Channels { get; }

    /// <summary>The largest shift along each axis, in pixels.</summary>
    public int MaxShift { get; }

    /// <summary>The generator the shifts are drawn from (its state goes into the sampler's state).</summary>
    internal SeededRandom Random => _random;

    /// <summary>Moves <paramref name="sample"/> (one image) by a random shift in place: two draws, rows then columns.</summary>
    public void Apply(Span<float> sample)
    {
        if (sample.Length != _scratch.Length)
            throw new ArgumentException($"An image of {Height}x{Width}x{Channels} has {_scratch.Length} values; the sample has {sample.Length}.", nameof(sample));
        int dy = _random.NextInt(2 * MaxShift + 1) - MaxShift;
        int dx = _random.NextInt(2 * MaxShift + 1) - MaxShift;
        if (dy == 0 && dx == 0)
        {
            return;
        }
        sample.CopyTo(_scratch);
        sample.Clear();
        int row = Width * Channels;
        // Output pixel (y, x) takes input pixel (y - dy, x - dx) where it exists.
        int x0 = Math.Max(0, dx), x1 = Math.Min(Width, Width + dx);
        for (int y = Math.Max(0, dy); y < Math.Min(Height, Height + dy); y++)
        {
            _scratch.AsSpan((y - dy) * row + (x0 - dx) * Channels, (x1 - x0) * Channels).CopyTo(sample.Slice(y * row + x0 * Channels));
        }
    }
}
