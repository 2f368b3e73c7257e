using System;
using System.Buffers.Binary;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SourceNet.Data;

/// <summary>
/// Draws mini-batches of (features, label) samples from arrays held in memory, reproducibly from a
/// <see cref="SeededRandom"/>, without allocating per batch. Two ways to draw:
/// <list type="bullet">
/// <item><see cref="NextRandomBatch"/>: indices uniform <i>with</i> replacement, each batch independent
/// (what the TensorFlow MNIST tutorial does with <c>np.random.randint</c>).</item>
/// <item><see cref="BeginEpoch"/> then <see cref="NextShuffledBatch"/>: a fresh permutation per epoch,
/// every sample exactly once per epoch, the last batch possibly short.</item>
/// </list>
/// Features are held either as floats, copied as they are, or as bytes (<see cref="MnistDataset.TrainPixels"/>),
/// divided by a scale while gathered: a quarter of the memory traffic, and the same floats as dividing up front.
/// </summary>
public sealed class BatchSampler
{
    private readonly float[]? _features;
    private readonly byte[]? _bytes;
    private readonly float _divisor;
    private readonly int[] _labels;
    private readonly int _featureSize;
    private readonly SeededRandom _random;
    private readonly int[] _order;

    // The current random batch's sample indices; grown to the largest batch drawn, so drawing allocates nothing after the first.
    private int[]? _batchIndices;

    // Next position in _order; -1 until the first BeginEpoch.
    private int _cursor = -1;

    /// <summary>Creates a sampler over <paramref name="labels"/>.Length samples, each with <paramref name="featureSize"/> floats in <paramref name="features"/>, row-major.</summary>
    /// <param name="features">The samples' features, <c>labels.Length * featureSize</c> floats. Not copied.</param>
    /// <param name="labels">One label per sample. Not copied.</param>
    /// <param name="featureSize">Floats per sample (784 for MNIST).</param>
    /// <param name="random">The source of randomness; the sampler advances it.</param>
    public BatchSampler(float[] features, int[] labels, int featureSize, SeededRandom random)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(random);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(featureSize);
        if (labels.Length == 0)
        {
            throw new ArgumentException("There must be at least one sample.", nameof(labels));
        }
        if ((long)labels.Length * featureSize != features.Length)
        {
            throw new ArgumentException(
                $"{labels.Length} samples of {featureSize} features need {(long)labels.Length * featureSize} floats; the features hold {features.Length}.",
                nameof(features));
        }
        _features = features;
        _labels = labels;
        _featureSize = featureSize;
        _random = random;
        _order = new int[labels.Length];
    }

    /// <summary>
    /// Creates a sampler over byte features, each gathered as <c>(float)value / divisor</c> (correctly rounded, so
    /// a batch is bit for bit what a float array made by that division would give: <see cref="MnistDataset.ToFloats"/>).
    /// </summary>
    /// <param name="features">The samples' features, <c>labels.Length * featureSize</c> bytes (e.g.
    /// <see cref="MnistDataset.TrainPixels"/>). Not copied.</param>
    /// <param name="labels">One label per sample. Not copied.</param>
    /// <param name="featureSize">Bytes per sample (784 for MNIST).</param>
    /// <param name="random">The source of randomness; the sampler advances it.</param>
    /// <param name="divisor">What each byte is divided by (<see cref="MnistDataset.PixelScale"/>, 255, by default).</param>
    public BatchSampler(byte[] features, int[] labels, int featureSize, SeededRandom random, float divisor = MnistDataset.PixelScale)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(random);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(featureSize);
        if (!(divisor > 0f) || float.IsInfinity(divisor))
        {
            throw new ArgumentOutOfRangeException(nameof(divisor), divisor, "The divisor must be positive and finite.");
        }
        if (labels.Length == 0)
        {
            throw new ArgumentException("There must be at least one sample.", nameof(labels));
        }
        if ((long)labels.Length * featureSize != features.Length)
        {
            throw new ArgumentException(
                $"{labels.Length} samples of {featureSize} features need {(long)labels.Length * featureSize} bytes; the features hold {features.Length}.",
                nameof(features));
        }
        _bytes = features;
        _divisor = divisor;
        _labels = labels;
        _featureSize = featureSize;
        _random = random;
        _order = new int[labels.Length];
    }

    /// <summary>Number of samples.</summary>
    public int Count => _labels.Length;

    /// <summary>
    /// Moves every drawn image by a random shift (<see cref="RandomShift"/>), from a generator of its own; null (the
    /// default) for none. Its generator's state is part of <see cref="GetState"/>, after the rest.
    /// </summary>
    public RandomShift? Augmentation
    {
        get => _augmentation;
        set
        {
            if (value is not null && value.Height * value.Width * value.Channels != _featureSize)
                throw new ArgumentException($"The shift is for images of {value.Height}x{value.Width}x{value.Channels} values; samples have {_featureSize}.", nameof(value));
            _augmentation = value;
        }
    }

    private RandomShift? _augmentation;

    /// <summary>Floats per sample.</summary>
    public int FeatureSize => _featureSize;

    /// <summary>
    /// Fills a batch of <paramref name="labels"/>.Length samples drawn uniformly with replacement, their
    /// features into the first <c>labels.Length * FeatureSize</c> floats of <paramref name="features"/>.
    /// </summary>
    public void NextRandomBatch(Span<float> features, Span<int> labels)
    {
        CheckCapacity(features, labels);
        // Draw the whole batch's indices first (the same draws, in the same order, as one at a time), so each
        // sample's memory can be requested a few samples before it is copied: the samples are scattered over
        // tens of megabytes, and a copy that waits for each one in turn mostly waits for memory.
        if (_batchIndices is null || _batchIndices.Length < labels.Length)
        {
            _batchIndices = new int[labels.Length];
        }
        for (int i = 0; i < labels.Length; i++)
        {
            _batchIndices[i] = _random.NextInt(_labels.Length);
        }
        for (int i = 0; i < labels.Length; i++)
        {
            if (i + PrefetchAhead < labels.Length)
            {
                Prefetch(_batchIndices[i + PrefetchAhead]);
            }
            CopySample(_batchIndices[i], i, features, labels);
        }
    }

    /// <summary>Samples ahead whose features are requested before they are copied.</summary>
    private const int PrefetchAhead = 4;

    private unsafe void Prefetch(int sample)
    {
        if (!Sse.IsSupported)
        {
            return;
        }
        if (_bytes is not null)
        {
            fixed (byte* start = &_bytes[sample * _featureSize])
            {
                for (int offset = 0; offset < _featureSize; offset += 64)
                {
                    Sse.Prefetch0(start + offset);
                }
            }
        }
        else
        {
            fixed (float* start = &_features![sample * _featureSize])
            {
                for (int offset = 0; offset < _featureSize; offset += 16)
                {
                    Sse.Prefetch0(start + offset);
                }
            }
        }
    }

    /// <summary>Starts an epoch: draws a new permutation of all samples for <see cref="NextShuffledBatch"/>.</summary>
    public void BeginEpoch()
    {
        for (int i = 0; i < _order.Length; i++)
        {
            _order[i] = i;
        }
        _random.Shuffle(_order);
        _cursor = 0;
    }

    /// <summary>
    /// Fills up to <paramref name="labels"/>.Length samples not yet drawn in this epoch, in permutation order.
    /// </summary>
    /// <returns>Number of samples copied: <paramref name="labels"/>.Length, fewer for the last batch of the epoch, 0 once the epoch is over.</returns>
    /// <exception cref="InvalidOperationException"><see cref="BeginEpoch"/> was never called.</exception>
    public int NextShuffledBatch(Span<float> features, Span<int> labels)
    {
        if (_cursor < 0)
        {
            throw new InvalidOperationException("Call BeginEpoch before drawing shuffled batches.");
        }
        CheckCapacity(features, labels);
        int count = Math.Min(labels.Length, _order.Length - _cursor);
        for (int i = 0; i < count; i++)
        {
            CopySample(_order[_cursor + i], i, features, labels);
        }
        _cursor += count;
        return count;
    }

    /// <summary>
    /// Everything that decides the batches still to come: the generator's state (the sampler advances it) and,
    /// inside a shuffled epoch, the permutation and position. Save it with a checkpoint
    /// (<c>Checkpoint.Save(..., metadata)</c>) and give it to <see cref="RestoreState"/> on resume.
    /// </summary>
    /// <remarks>Layout, little-endian: the <see cref="SeededRandom.StateSize"/>-byte generator state, int32 cursor
    /// (-1 before the first epoch), int32 sample count, then that many int32 permutation entries.</remarks>
    public byte[] GetState()
    {
        int ordered = _cursor < 0 ? 0 : _order.Length;
        int augmentation = _augmentation is null ? 0 : SeededRandom.StateSize;
        var state = new byte[SeededRandom.StateSize + 8 + 4 * ordered + augmentation];
        _random.GetState().CopyTo(state, 0);
        Span<byte> rest = state.AsSpan(SeededRandom.StateSize);
        BinaryPrimitives.WriteInt32LittleEndian(rest, _cursor);
        BinaryPrimitives.WriteInt32LittleEndian(rest[4..], ordered);
        for (int i = 0; i < ordered; i++)
        {
            BinaryPrimitives.WriteInt32LittleEndian(rest[(8 + 4 * i)..], _order[i]);
        }
        _augmentation?.Random.GetState().CopyTo(rest[(8 + 4 * ordered)..]);
        return state;
    }

    /// <summary>Puts the sampler (and its generator) back in a state <see cref="GetState"/> returned.</summary>
    /// <exception cref="ArgumentException">The state is malformed or was saved from a sampler over a different
    /// number of samples; the sampler and its generator are unchanged.</exception>
    public void RestoreState(ReadOnlySpan<byte> state)
    {
        if (state.Length < SeededRandom.StateSize + 8)
            throw new ArgumentException($"A sampler state is at least {SeededRandom.StateSize + 8} bytes; this one is {state.Length}.", nameof(state));
        ReadOnlySpan<byte> rest = state[SeededRandom.StateSize..];
        int cursor = BinaryPrimitives.ReadInt32LittleEndian(rest);
        int ordered = BinaryPrimitives.ReadInt32LittleEndian(rest[4..]);
        int expectedOrdered = cursor < 0 ? 0 : _order.Length;
        int augmentation = _augmentation is null ? 0 : SeededRandom.StateSize;
        if (cursor < -1 || cursor > _order.Length || ordered != expectedOrdered || rest.Length != 8 + 4L * ordered + augmentation)
            throw new ArgumentException($"The sampler state (cursor {cursor}, {ordered} permutation entries, {state.Length} bytes) does not fit a sampler over {_order.Length} samples.", nameof(state));
        var order = new int[ordered];
        var seen = new bool[ordered];
        for (int i = 0; i < ordered; i++)
        {
            int sample = BinaryPrimitives.ReadInt32LittleEndian(rest[(8 + 4 * i)..]);
            if ((uint)sample >= (uint)ordered || seen[sample])
                throw new ArgumentException($"Entry {i} of the sampler state's permutation is {sample}: not a permutation of 0..{ordered - 1}.", nameof(state));
            seen[sample] = true;
            order[i] = sample;
        }
        // Validated: from here nothing throws except the generators' own checks, done first.
        if (_augmentation is not null)
        {
            var probe = new SeededRandom(0);
            probe.RestoreState(rest[(8 + 4 * ordered)..]);
        }
        _random.RestoreState(state[..SeededRandom.StateSize]);
        _augmentation?.Random.RestoreState(rest[(8 + 4 * ordered)..]);
        order.CopyTo(_order, 0);
        _cursor = cursor;
    }

    private void CheckCapacity(Span<float> features, Span<int> labels)
    {
        if ((long)labels.Length * _featureSize > features.Length)
        {
            throw new ArgumentException(
                $"A batch of {labels.Length} samples needs {(long)labels.Length * _featureSize} feature floats; the buffer holds {features.Length}.",
                nameof(features));
        }
    }

    private void CopySample(int sample, int slot, Span<float> features, Span<int> labels)
    {
        Span<float> destination = features.Slice(slot * _featureSize, _featureSize);
        if (_features is not null)
        {
            _features.AsSpan(sample * _featureSize, _featureSize).CopyTo(destination);
        }
        else
        {
            ScaleBytes(_bytes.AsSpan(sample * _featureSize, _featureSize), destination, _divisor);
        }
        labels[slot] = _labels[sample];
        _augmentation?.Apply(destination);
    }

    /// <summary>
    /// destination[i] = source[i] / divisor: widened exactly, then divided (not multiplied by 1/divisor), the
    /// correctly rounded quotient, as <see cref="MnistDataset.ToFloats"/>. One pass, sixteen bytes per step: the
    /// sampler runs on the training thread between steps, so its cost adds to every step.
    /// </summary>
    internal static unsafe void ScaleBytes(ReadOnlySpan<byte> source, Span<float> destination, float divisor)
    {
        int count = source.Length, i = 0;
        fixed (byte* from = source)
        fixed (float* to = destination)
        {
            if (Avx512F.IsSupported)
            {
                Vector512<float> d = Vector512.Create(divisor);
                for (; i + 16 <= count; i += 16)
                    (Avx512F.ConvertToVector512Single(Avx512F.ConvertToVector512Int32(Vector128.Load(from + i))) / d).Store(to + i);
            }
            else if (Avx2.IsSupported)
            {
                Vector256<float> d = Vector256.Create(divisor);
                for (; i + 8 <= count; i += 8)
                    (Avx.ConvertToVector256Single(Avx2.ConvertToVector256Int32(from + i)) / d).Store(to + i);
            }
            for (; i < count; i++)
                to[i] = from[i] / divisor;
        }
    }
}
