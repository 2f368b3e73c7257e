using SourceNet.Kernels;
using static SourceNet.Runtime.Tests.Kernels.GemmReference;

namespace SourceNet.Runtime.Tests.Kernels;

public class DropoutTests
{
    [Fact]
    public void TheSameSeedGivesTheSameMaskBits()
    {
        float[] input = Random(1037, 1);
        float[] Mask(long seed)
        {
            var output = new float[input.Length];
            var mask = new float[input.Length];
            Dropout.Forward(0.3f, new SeededRandom(seed), input, output, mask);
            return mask;
        }
        Assert.Equal(Mask(42), Mask(42));
        Assert.NotEqual(Mask(42), Mask(43));
    }

    [Fact]
    public void HalfTheValuesAreDroppedAtRateOneHalf()
    {
        const int n = 100_000;
        var mask = new float[n];
        Dropout.Forward(0.5f, new SeededRandom(7), new float[n], new float[n], mask);
        int dropped = mask.Count(m => m == 0f);
        // Binomial(n, 1/2): standard deviation sqrt(n)/2 = 158; five of them is a one-in-a-million miss.
        Assert.InRange(dropped, n / 2 - 5 * 158, n / 2 + 5 * 158);
    }

    [Theory]
    [InlineData(0.5f, 37)]
    [InlineData(0.25f, 1)]
    [InlineData(0.9f, 33)]
    public void KeptValuesAreScaledByOneOverOneMinusRate(float rate, int length)
    {
        float[] input = Random(length, length);
        var output = new float[length];
        var mask = new float[length];
        Dropout.Forward(rate, new SeededRandom(length), input, output, mask);
        float keep = 1f / (1f - rate);
        for (int i = 0; i < length; i++)
        {
            Assert.True(mask[i] == 0f || mask[i] == keep, $"mask[{i}] = {mask[i]}");
            Assert.Equal(input[i] * mask[i], output[i]);
        }
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(0.3f)]
    public void DrawsExactlyOneValuePerElementEvenAtRateZero(float rate)
    {
        const int length = 53;
        var random = new SeededRandom(11);
        var mask = new float[length];
        Dropout.Forward(rate, random, Random(length, 2), new float[length], mask);
        var expected = new SeededRandom(11);
        for (int i = 0; i < length; i++)
            expected.NextSingle();
        Assert.Equal(expected.NextUInt64(), random.NextUInt64());
        if (rate == 0f)
            Assert.All(mask, m => Assert.Equal(1f, m));
    }

    [Fact]
    public void BackwardMultipliesByTheMask()
    {
        const int length = 71;
        float[] outputGradient = Random(length, 3);
        var mask = new float[length];
        Dropout.Forward(0.4f, new SeededRandom(5), Random(length, 4), new float[length], mask);
        var inputGradient = new float[length];
        Dropout.Backward(outputGradient, mask, inputGradient);
        for (int i = 0; i < length; i++)
            Assert.Equal(outputGradient[i] * mask[i], inputGradient[i]);
    }

    [Fact]
    public void RejectsBadRatesAndShortSpans()
    {
        var random = new SeededRandom(1);
        Assert.Throws<ArgumentOutOfRangeException>(() => Dropout.Forward(1f, random, new float[4], new float[4], new float[4]));
        Assert.Throws<ArgumentOutOfRangeException>(() => Dropout.Forward(-0.1f, random, new float[4], new float[4], new float[4]));
        Assert.Throws<ArgumentOutOfRangeException>(() => Dropout.Forward(float.NaN, random, new float[4], new float[4], new float[4]));
        var e = Assert.Throws<ArgumentException>(() => Dropout.Forward(0.5f, random, new float[4], new float[4], new float[3]));
        Assert.Contains("mask has 3 values; at least 4", e.Message);
        e = Assert.Throws<ArgumentException>(() => Dropout.Backward(new float[4], new float[4], new float[2]));
        Assert.Contains("inputGradient", e.Message);
    }
}
