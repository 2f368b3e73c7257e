using SourceNet.Kernels;

namespace SourceNet.Runtime.Tests.Kernels;

public class FiniteCheckTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(15)]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(100)]
    public void Finds_the_first_non_finite_value_at_every_position(int length)
    {
        var values = Enumerable.Range(0, length).Select(i => i * 0.5f - 3f).ToArray();
        Assert.Equal(-1, FiniteCheck.IndexOfNonFinite(values));
        foreach (float bad in new[] { float.NaN, float.PositiveInfinity, float.NegativeInfinity })
        {
            for (int at = 0; at < length; at++)
            {
                float saved = values[at];
                values[at] = bad;
                Assert.Equal(at, FiniteCheck.IndexOfNonFinite(values));
                values[at] = saved;
            }
        }
    }

    [Fact]
    public void Extreme_finite_values_pass()
    {
        var values = new[] { float.MaxValue, float.MinValue, float.Epsilon, -0f, 1e-38f };
        Assert.Equal(-1, FiniteCheck.IndexOfNonFinite(values));
    }
}
