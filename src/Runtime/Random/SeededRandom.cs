using System;
using System.Buffers.Binary;

namespace SourceNet;

/// <summary>
/// A small, fast, seeded generator (xoshiro256**, seeded through SplitMix64) whose sequence depends on
/// the seed alone: the same seed gives the same run, bit for bit, on every machine and .NET version —
/// which <see cref="System.Random"/> does not promise.
/// </summary>
public sealed class SeededRandom
{
    private ulong _s0, _s1, _s2, _s3;
    private float _spareNormal;
    private bool _hasSpare;

    /// <summary>Creates a generator from a seed.</summary>
    public SeededRandom(long seed) => Reseed(seed);

    /// <summary>Puts the generator in the state <c>new SeededRandom(seed)</c> starts in, without allocating (a training
    /// step's sample chunks reseed their own dropout generators from the network's every step).</summary>
    internal void Reseed(long seed)
    {
        ulong x = (ulong)seed;
        _s0 = SplitMix(ref x);
        _s1 = SplitMix(ref x);
        _s2 = SplitMix(ref x);
        _s3 = SplitMix(ref x);
        _spareNormal = 0f;
        _hasSpare = false;
    }

    /// <summary>Bytes in the state <see cref="GetState"/> returns: four 64-bit words, the spare normal sample and its flag.</summary>
    public const int StateSize = 4 * 8 + 4 + 1;

    /// <summary>
    /// The generator's whole state, so that a resumed run draws exactly the numbers the original would have:
    /// store it in a checkpoint's metadata and give it back to <see cref="RestoreState"/>.
    /// </summary>
    public byte[] GetState()
    {
        var state = new byte[StateSize];
        BinaryPrimitives.WriteUInt64LittleEndian(state.AsSpan(0), _s0);
        BinaryPrimitives.WriteUInt64LittleEndian(state.AsSpan(8), _s1);
        BinaryPrimitives.WriteUInt64LittleEndian(state.AsSpan(16), _s2);
        BinaryPrimitives.WriteUInt64LittleEndian(state.AsSpan(24), _s3);
        BinaryPrimitives.WriteSingleLittleEndian(state.AsSpan(32), _spareNormal);
        state[36] = _hasSpare ? (byte)1 : (byte)0;
        return state;
    }

    /// <summary>Puts the generator back in a state <see cref="GetState"/> returned.</summary>
    /// <exception cref="ArgumentException">The state is not <see cref="StateSize"/> bytes, or is not one a generator can be in
    /// (all-zero words, a flag other than 0 or 1); the generator is unchanged.</exception>
    public void RestoreState(ReadOnlySpan<byte> state)
    {
        if (state.Length != StateSize)
            throw new ArgumentException($"A generator state is {StateSize} bytes; this one is {state.Length}.", nameof(state));
        ulong s0 = BinaryPrimitives.ReadUInt64LittleEndian(state), s1 = BinaryPrimitives.ReadUInt64LittleEndian(state[8..]);
        ulong s2 = BinaryPrimitives.ReadUInt64LittleEndian(state[16..]), s3 = BinaryPrimitives.ReadUInt64LittleEndian(state[24..]);
        // xoshiro's all-zero state is a fixed point that outputs zeros forever: never a real state.
        if ((s0 | s1 | s2 | s3) == 0)
            throw new ArgumentException("A generator state cannot be all zeros.", nameof(state));
        if (state[36] > 1)
            throw new ArgumentException($"Byte 36 of a generator state is a flag, 0 or 1; this one is {state[36]}.", nameof(state));
        (_s0, _s1, _s2, _s3) = (s0, s1, s2, s3);
        _spareNormal = BinaryPrimitives.ReadSingleLittleEndian(state[32..]);
        _hasSpare = state[36] == 1;
    }

    private static ulong SplitMix(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        ulong result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>A uniform integer in [0, <paramref name="maxExclusive"/>), without modulo bias.</summary>
    public int NextInt(int maxExclusive)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxExclusive);
        // Lemire's multiply-shift with rejection: unbiased and branch-light.
        ulong range = (ulong)maxExclusive;
        ulong product = (NextUInt64() >> 32) * range;
        uint low = (uint)product;
        if (low < (uint)range)
        {
            uint threshold = (uint)(-(int)range) % (uint)range;
            while (low < threshold)
            {
                product = (NextUInt64() >> 32) * range;
                low = (uint)product;
            }
        }
        return (int)(product >> 32);
    }

    /// <summary>A uniform float in [0, 1).</summary>
    public float NextSingle() => (NextUInt64() >> 40) * (1.0f / (1 << 24));

    /// <summary>A uniform double in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>A sample of N(mean, stdDev²) (Box–Muller, computed in double for exact reproducibility of the float result).</summary>
    public float NextNormal(float mean = 0f, float stdDev = 1f)
    {
        if (_hasSpare)
        {
            _hasSpare = false;
            return mean + stdDev * _spareNormal;
        }
        double u1 = 1.0 - NextDouble(); // (0, 1]: log is finite
        double u2 = NextDouble();
        double radius = Math.Sqrt(-2.0 * Math.Log(u1));
        double angle = 2.0 * Math.PI * u2;
        _spareNormal = (float)(radius * Math.Sin(angle));
        _hasSpare = true;
        return mean + stdDev * (float)(radius * Math.Cos(angle));
    }

    /// <summary>Fills <paramref name="destination"/> with samples of N(mean, stdDev²).</summary>
    public void FillNormal(Span<float> destination, float mean, float stdDev)
    {
        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = NextNormal(mean, stdDev);
        }
    }

    /// <summary>Shuffles <paramref name="values"/> in place (Fisher–Yates).</summary>
    public void Shuffle(Span<int> values)
    {
        for (int i = values.Length - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (values[i], values[j]) = (values[j], values[i]);
        }
    }
}
