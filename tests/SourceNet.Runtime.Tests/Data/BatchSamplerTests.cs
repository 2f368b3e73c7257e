using SourceNet.Data;

namespace SourceNet.Runtime.Tests.Data;

public sealed class BatchSamplerTests
{
    private const int FeatureSize = 3;

    /// <summary>Sample i has label i and features 1000 i, 1000 i + 1, 1000 i + 2: every copy can be traced to its source.</summary>
    private static BatchSampler CreateSampler(int count, long seed)
    {
        float[] features = new float[count * FeatureSize];
        int[] labels = new int[count];
        for (int i = 0; i < count; i++)
        {
            labels[i] = i;
            for (int k = 0; k < FeatureSize; k++)
            {
                features[i * FeatureSize + k] = 1000 * i + k;
            }
        }
        return new BatchSampler(features, labels, FeatureSize, new SeededRandom(seed));
    }

    /// <summary>Asserts that the first <paramref name="count"/> slots hold whole samples, features matching labels.</summary>
    private static void AssertConsistent(ReadOnlySpan<float> features, ReadOnlySpan<int> labels, int count)
    {
        for (int slot = 0; slot < count; slot++)
        {
            for (int k = 0; k < FeatureSize; k++)
            {
                Assert.Equal(1000 * labels[slot] + k, features[slot * FeatureSize + k]);
            }
        }
    }

    [Fact]
    public void Random_batches_copy_whole_samples()
    {
        BatchSampler sampler = CreateSampler(50, seed: 1);
        float[] features = new float[16 * FeatureSize];
        int[] labels = new int[16];

        for (int batch = 0; batch < 20; batch++)
        {
            sampler.NextRandomBatch(features, labels);
            AssertConsistent(features, labels, labels.Length);
            Assert.All(labels, label => Assert.InRange(label, 0, 49));
        }
    }

    [Fact]
    public void Same_seed_gives_the_same_batches_and_another_seed_does_not()
    {
        int[] first = Draw(seed: 42), again = Draw(seed: 42), other = Draw(seed: 43);

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);

        static int[] Draw(long seed)
        {
            BatchSampler sampler = CreateSampler(100, seed);
            var drawn = new List<int>();
            float[] features = new float[10 * FeatureSize];
            int[] labels = new int[10];
            for (int i = 0; i < 5; i++)
            {
                sampler.NextRandomBatch(features, labels);
                drawn.AddRange(labels);
            }
            sampler.BeginEpoch();
            while (sampler.NextShuffledBatch(features, labels) is int count and > 0)
            {
                drawn.AddRange(labels[..count]);
            }
            return [.. drawn];
        }
    }

    [Fact]
    public void Random_batches_are_uniform_with_replacement()
    {
        const int count = 10, batchSize = 10, batches = 20000;
        BatchSampler sampler = CreateSampler(count, seed: 2024);
        float[] features = new float[batchSize * FeatureSize];
        int[] labels = new int[batchSize];
        int[] frequency = new int[count];
        int batchesWithRepeats = 0;

        for (int batch = 0; batch < batches; batch++)
        {
            sampler.NextRandomBatch(features, labels);
            foreach (int label in labels)
            {
                frequency[label]++;
            }
            if (labels.Distinct().Count() < batchSize)
            {
                batchesWithRepeats++;
            }
        }

        // Chi-square with 9 degrees of freedom: 99.9999 % of uniform samples stay below 45.
        double expected = (double)batches * batchSize / count;
        double chiSquare = frequency.Sum(f => (f - expected) * (f - expected) / expected);
        Assert.InRange(chiSquare, 0, 45);
        // With replacement, a batch of 10 from 10 is a permutation with probability 10!/10^10 (0.04 %).
        Assert.InRange(batchesWithRepeats, batches * 99 / 100, batches);
    }

    [Fact]
    public void A_shuffled_epoch_draws_every_sample_exactly_once_with_a_short_last_batch()
    {
        const int count = 103, batchSize = 10;
        BatchSampler sampler = CreateSampler(count, seed: 5);
        float[] features = new float[batchSize * FeatureSize];
        int[] labels = new int[batchSize];
        var epochs = new List<int[]>();

        for (int epoch = 0; epoch < 2; epoch++)
        {
            sampler.BeginEpoch();
            var seen = new List<int>();
            var sizes = new List<int>();
            int drawn;
            while ((drawn = sampler.NextShuffledBatch(features, labels)) > 0)
            {
                AssertConsistent(features, labels, drawn);
                sizes.Add(drawn);
                seen.AddRange(labels[..drawn]);
            }

            Assert.Equal([10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 3], sizes);
            Assert.Equal(Enumerable.Range(0, count), seen.Order());
            Assert.NotEqual(Enumerable.Range(0, count), seen);
            Assert.Equal(0, sampler.NextShuffledBatch(features, labels));
            epochs.Add([.. seen]);
        }
        Assert.NotEqual(epochs[0], epochs[1]);
    }

    [Fact]
    public void A_batch_larger_than_the_set_takes_it_all_at_once()
    {
        BatchSampler sampler = CreateSampler(4, seed: 9);
        float[] features = new float[8 * FeatureSize];
        int[] labels = new int[8];

        sampler.BeginEpoch();

        Assert.Equal(4, sampler.NextShuffledBatch(features, labels));
        Assert.Equal([0, 1, 2, 3], labels[..4].Order());
        Assert.Equal(0, sampler.NextShuffledBatch(features, labels));
    }

    [Fact]
    public void Drawing_batches_allocates_nothing()
    {
        BatchSampler sampler = CreateSampler(1000, seed: 3);
        float[] features = new float[32 * FeatureSize];
        int[] labels = new int[32];
        RunEpochAndRandomBatches(); // warm up, so JIT work is not counted

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++)
        {
            RunEpochAndRandomBatches();
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);

        void RunEpochAndRandomBatches()
        {
            sampler.BeginEpoch();
            while (sampler.NextShuffledBatch(features, labels) > 0)
            {
            }
            for (int i = 0; i < 50; i++)
            {
                sampler.NextRandomBatch(features, labels);
            }
        }
    }

    [Fact]
    public void Shuffled_batches_need_an_epoch()
    {
        BatchSampler sampler = CreateSampler(4, seed: 1);

        Assert.Throws<InvalidOperationException>(() => sampler.NextShuffledBatch(new float[FeatureSize], new int[1]));
    }

    [Fact]
    public void Buffers_and_arrays_are_checked()
    {
        BatchSampler sampler = CreateSampler(4, seed: 1);

        Assert.Throws<ArgumentException>(() => sampler.NextRandomBatch(new float[2 * FeatureSize - 1], new int[2]));
        Assert.Throws<ArgumentException>(() => new BatchSampler(new float[10], new int[3], FeatureSize, new SeededRandom(1)));
        Assert.Throws<ArgumentException>(() => new BatchSampler(Array.Empty<float>(), [], FeatureSize, new SeededRandom(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BatchSampler(Array.Empty<float>(), [], 0, new SeededRandom(1)));
        Assert.Throws<ArgumentException>(() => new BatchSampler(new byte[10], new int[3], FeatureSize, new SeededRandom(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BatchSampler(new byte[3], new int[3], 1, new SeededRandom(1), divisor: 0f));
    }

    [Fact]
    public void Works_on_genuine_mnist()
    {
        MnistDataset mnist = MnistDataset.Load(TestFiles.MnistFolder, maxTrain: 500, maxTest: 0);
        var sampler = new BatchSampler(mnist.TrainImages, mnist.TrainLabels, MnistDataset.ImageSize, new SeededRandom(11));
        float[] images = new float[100 * MnistDataset.ImageSize];
        int[] labels = new int[100];

        sampler.NextRandomBatch(images, labels);

        Assert.All(labels, label => Assert.InRange(label, 0, 9));
        Assert.All(images, pixel => Assert.InRange(pixel, 0f, 1f));
    }

    [Fact]
    public void Byte_features_give_bit_identical_batches_to_the_float_images()
    {
        // The compact path divides each byte by 255 while gathering; the float set divided up front. Same quotients.
        MnistDataset mnist = MnistDataset.Load(TestFiles.MnistFolder, maxTrain: 3000, maxTest: 0);
        var floats = new BatchSampler(mnist.TrainImages, mnist.TrainLabels, MnistDataset.ImageSize, new SeededRandom(5));
        var bytes = new BatchSampler(mnist.TrainPixels, mnist.TrainLabels, MnistDataset.ImageSize, new SeededRandom(5));
        float[] a = new float[100 * MnistDataset.ImageSize], b = new float[a.Length];
        int[] la = new int[100], lb = new int[100];
        for (int batch = 0; batch < 20; batch++)
        {
            floats.NextRandomBatch(a, la);
            bytes.NextRandomBatch(b, lb);
            Assert.Equal(la, lb);
            Assert.True(a.AsSpan().SequenceEqual(b), $"random batch {batch} differs");
        }
        floats.BeginEpoch();
        bytes.BeginEpoch();
        int n;
        while ((n = floats.NextShuffledBatch(a, la)) > 0)
        {
            Assert.Equal(n, bytes.NextShuffledBatch(b, lb));
            Assert.True(a.AsSpan().SequenceEqual(b), "shuffled batch differs");
        }
        // Every byte value maps to the float the dataset gives it.
        byte[] all = Enumerable.Range(0, 256).Select(v => (byte)v).ToArray();
        float[] expected = all.Select(v => (float)v / 255f).ToArray();
        Assert.Equal(expected.Select(BitConverter.SingleToInt32Bits), MnistDataset.ToFloats(all).Select(BitConverter.SingleToInt32Bits));
    }

    [Theory]
    [InlineData(255f)]
    [InlineData(3f)]
    [InlineData(0.7f)]
    public void Scaling_bytes_gives_the_correctly_rounded_quotient_at_every_length(float divisor)
    {
        // The vector loop (16 or 8 bytes a step) and its scalar tail, against one division per value.
        var random = new Random(3);
        foreach (int length in new[] { 0, 1, 7, 8, 15, 16, 17, 33, 256, 784 })
        {
            byte[] source = new byte[length];
            random.NextBytes(source);
            if (length >= 256)
                for (int v = 0; v < 256; v++)
                    source[v] = (byte)v;
            float[] actual = Enumerable.Repeat(float.NaN, length + 3).ToArray();
            BatchSampler.ScaleBytes(source, actual.AsSpan(0, length), divisor);
            for (int i = 0; i < length; i++)
                Assert.Equal(BitConverter.SingleToInt32Bits((float)source[i] / divisor), BitConverter.SingleToInt32Bits(actual[i]));
            Assert.True(actual.Skip(length).All(float.IsNaN), $"length {length}: wrote past the destination");
        }
    }

    [Fact]
    public void Drawing_byte_batches_allocates_nothing()
    {
        var sampler = new BatchSampler(new byte[50 * FeatureSize], new int[50], FeatureSize, new SeededRandom(3));
        float[] images = new float[10 * FeatureSize];
        int[] labels = new int[10];
        sampler.NextRandomBatch(images, labels);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
            sampler.NextRandomBatch(images, labels);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
