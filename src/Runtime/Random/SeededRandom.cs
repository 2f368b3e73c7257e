using System;

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
    public SeededRandom(long seed)
    {
        ulong x = (ulong)seed;
        _s0 = SplitMix(ref x);
        _s1 = SplitMix(ref x);
        _s2 = SplitMix(ref x);
        _s3 = SplitMix(ref x);
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
