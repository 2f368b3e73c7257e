namespace SourceNet.Runtime.Tests.Rng;

public class SeededRandomTests
{
    [Fact]
    public void Same_seed_same_sequence_different_seed_different_sequence()
    {
        var a = new SeededRandom(42);
        var b = new SeededRandom(42);
        var c = new SeededRandom(43);
        ulong[] first = Enumerable.Range(0, 100).Select(_ => a.NextUInt64()).ToArray();
        Assert.Equal(first, Enumerable.Range(0, 100).Select(_ => b.NextUInt64()).ToArray());
        Assert.NotEqual(first, Enumerable.Range(0, 100).Select(_ => c.NextUInt64()).ToArray());
    }

    [Fact]
    public void NextInt_stays_in_range_and_is_close_to_uniform()
    {
        var random = new SeededRandom(7);
        const int buckets = 7, draws = 70_000;
        var counts = new int[buckets];
        for (int i = 0; i < draws; i++) counts[random.NextInt(buckets)]++;
        // Chi-square with 6 degrees of freedom: 22.46 is the 0.1% critical value.
        double expected = draws / (double)buckets;
        double chiSquare = counts.Sum(n => (n - expected) * (n - expected) / expected);
        Assert.True(chiSquare < 22.46, $"chi-square {chiSquare:F2} for counts {string.Join(",", counts)}");
        Assert.Throws<ArgumentOutOfRangeException>(() => random.NextInt(0));
    }

    [Fact]
    public void Normal_samples_have_the_requested_mean_and_deviation()
    {
        var random = new SeededRandom(3);
        var values = new float[200_000];
        random.FillNormal(values, 0.5f, 0.03f);
        double mean = values.Average(v => (double)v);
        double std = Math.Sqrt(values.Average(v => (v - mean) * (v - mean)));
        Assert.InRange(mean, 0.5 - 0.0005, 0.5 + 0.0005);
        Assert.InRange(std, 0.03 * 0.99, 0.03 * 1.01);
        Assert.All(values, v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void Uniform_floats_are_in_the_half_open_unit_interval()
    {
        var random = new SeededRandom(1);
        for (int i = 0; i < 100_000; i++)
        {
            float f = random.NextSingle();
            Assert.True(f >= 0f && f < 1f, $"{f}");
        }
    }

    [Fact]
    public void Shuffle_is_a_permutation()
    {
        var random = new SeededRandom(9);
        int[] values = Enumerable.Range(0, 1000).ToArray();
        random.Shuffle(values);
        Assert.NotEqual(Enumerable.Range(0, 1000), values);
        Assert.Equal(Enumerable.Range(0, 1000), values.OrderBy(v => v));
    }
}
