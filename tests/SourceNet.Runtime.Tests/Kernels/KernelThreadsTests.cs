using SourceNet.Kernels;

namespace SourceNet.Runtime.Tests.Kernels;

public class KernelThreadsTests
{
    [Fact]
    public void DefaultIsAtMostTwoUnlessOverridden()
    {
        int expected = Environment.GetEnvironmentVariable(KernelThreads.EnvironmentVariable) is { Length: > 0 }
            ? KernelThreads.ReadDefault()
            : Math.Min(Environment.ProcessorCount, 2);
        Assert.Equal(expected, KernelThreads.ReadDefault());
        Assert.InRange(KernelThreads.Count, 1, KernelThreads.MaxCount);
    }

    [Fact]
    public void RejectsCountsOutOfRange()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => KernelThreads.Count = 0);
        Assert.Throws<ArgumentOutOfRangeException>(() => KernelThreads.Count = KernelThreads.MaxCount + 1);
    }

    [Theory]
    [InlineData(300, 2)]
    [InlineData(10, 2)]
    [InlineData(97, 3)]
    [InlineData(784, 2)]
    [InlineData(1000, 5)]
    public void SlicesCoverTheColumnsOnCacheLineBoundaries(int columns, int parts)
    {
        Assert.Equal(0, KernelThreads.SliceStart(columns, 0, parts));
        Assert.Equal(columns, KernelThreads.SliceStart(columns, parts, parts));
        for (int p = 1; p < parts; p++)
        {
            int start = KernelThreads.SliceStart(columns, p, parts);
            Assert.True(start == columns || start % 16 == 0, $"slice {p} starts at {start}");
            Assert.True(start >= KernelThreads.SliceStart(columns, p - 1, parts));
        }
        Assert.Equal(144, KernelThreads.SliceStart(300, 1, 2));
    }

    [Fact]
    public void SplitsOnlyLargeWideProducts()
    {
        Assert.Equal(1, KernelThreads.PartsFor(100 * 10 * 300, 10, 2));
        Assert.Equal(1, KernelThreads.PartsFor(1000, 300, 2));
        Assert.Equal(2, KernelThreads.PartsFor(100L * 300 * 784, 300, 2));
        Assert.Equal(1, KernelThreads.PartsFor(100L * 300 * 784, 300, 1));
    }
}
