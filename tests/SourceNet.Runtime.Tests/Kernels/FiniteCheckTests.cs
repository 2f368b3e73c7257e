using SourceNet.Kernels;

namespace SourceNet.Runtime.Tests.Kernels;

[Collection(KernelSettingsCollection.Name)]
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

    /// <summary>Large inputs are checked in blocks on the kernel threads: the answer must still be the first bad
    /// value, whichever block holds it and whichever thread reads it.</summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Large_inputs_split_in_blocks_still_give_the_first_bad_value(int threads)
    {
        int saved = KernelThreads.Count;
        KernelThreads.Count = threads;
        try
        {
            int length = 3 * FiniteCheck.BlockLength + 1234;
            var values = new float[length];
            for (int i = 0; i < length; i++)
                values[i] = (i % 97) * 0.25f - 8f;
            Assert.Equal(-1, FiniteCheck.IndexOfNonFinite(values));
            int[] positions = { 0, FiniteCheck.BlockLength - 1, FiniteCheck.BlockLength, 2 * FiniteCheck.BlockLength + 77, length - 1 };
            foreach (int at in positions)
            {
                values[at] = float.NaN;
                Assert.Equal(at, FiniteCheck.IndexOfNonFinite(values));
                // A later bad value in another block does not hide the first one.
                values[length - 1 - (at == length - 1 ? 1 : 0)] = float.NegativeInfinity;
                Assert.Equal(Math.Min(at, length - 1 - (at == length - 1 ? 1 : 0)), FiniteCheck.IndexOfNonFinite(values));
                values[length - 1 - (at == length - 1 ? 1 : 0)] = 1f;
                values[at] = 1f;
            }
            values[length - 2] = float.PositiveInfinity;
            values[FiniteCheck.BlockLength + 5] = float.NaN;
            Assert.Equal(FiniteCheck.BlockLength + 5, FiniteCheck.IndexOfNonFinite(values));
        }
        finally
        {
            KernelThreads.Count = saved;
        }
    }
}
