using SourceNet.Data;

namespace SourceNet.Runtime.Tests.Rng;

public sealed class StateTests
{
    [Fact]
    public void A_restored_generator_continues_the_same_sequence()
    {
        var original = new SeededRandom(42);
        original.NextNormal(); // leaves a spare normal sample behind: part of the state
        byte[] state = original.GetState();
        var copy = new SeededRandom(1);

        copy.RestoreState(state);

        for (int i = 0; i < 100; i++)
        {
            Assert.Equal(BitConverter.SingleToInt32Bits(original.NextNormal()), BitConverter.SingleToInt32Bits(copy.NextNormal()));
        }
        Assert.Equal(original.NextUInt64(), copy.NextUInt64());
    }

    [Fact]
    public void Bad_generator_states_are_rejected_and_leave_it_unchanged()
    {
        var random = new SeededRandom(3);
        byte[] before = random.GetState();

        Assert.Contains("37 bytes", Assert.Throws<ArgumentException>(() => random.RestoreState(new byte[5])).Message);
        Assert.Contains("all zeros", Assert.Throws<ArgumentException>(() => random.RestoreState(new byte[SeededRandom.StateSize])).Message);
        byte[] badFlag = (byte[])before.Clone();
        badFlag[36] = 7;
        Assert.Throws<ArgumentException>(() => random.RestoreState(badFlag));

        Assert.Equal(before, random.GetState());
    }

    [Fact]
    public void A_restored_sampler_draws_the_same_batches_mid_epoch()
    {
        float[] features = [.. Enumerable.Range(0, 50).Select(i => (float)i)];
        int[] labels = [.. Enumerable.Range(0, 50)];
        var original = new BatchSampler(features, labels, 1, new SeededRandom(8));
        original.BeginEpoch();
        var x = new float[7];
        var y = new int[7];
        original.NextShuffledBatch(x, y);
        byte[] state = original.GetState();
        var copy = new BatchSampler(features, labels, 1, new SeededRandom(99));

        copy.RestoreState(state);

        var x2 = new float[7];
        var y2 = new int[7];
        for (int batch = 0; batch < 12; batch++)
        {
            int n1 = original.NextShuffledBatch(x, y), n2 = copy.NextShuffledBatch(x2, y2);
            Assert.Equal(n1, n2);
            Assert.Equal(y, y2);
            if (n1 == 0)
            {
                original.BeginEpoch();
                copy.BeginEpoch();
            }
        }
    }

    [Fact]
    public void A_sampler_state_from_another_data_set_is_rejected()
    {
        var small = new BatchSampler(new float[10], new int[10], 1, new SeededRandom(1));
        small.BeginEpoch();
        var large = new BatchSampler(new float[20], new int[20], 1, new SeededRandom(1));
        byte[] before = large.GetState();

        var error = Assert.Throws<ArgumentException>(() => large.RestoreState(small.GetState()));

        Assert.Contains("20 samples", error.Message);
        Assert.Equal(before, large.GetState());
    }
}
