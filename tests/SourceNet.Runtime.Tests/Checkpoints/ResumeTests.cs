using SourceNet.Checkpoints;
using SourceNet.Runtime.Tests.Data;

namespace SourceNet.Runtime.Tests.Checkpoints;

/// <summary>A run stopped, saved and resumed in fresh objects ends bit for bit where the uninterrupted run does.</summary>
public sealed class ResumeTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    public static TheoryData<string> Optimizers => ["adam", "sgd-momentum", "sgd"];

    private static Func<Optimizer> Make(string kind) => kind switch
    {
        "adam" => () => new Adam(1e-2f),
        "sgd-momentum" => () => new Sgd(0.05f, 0.9f),
        _ => () => new Sgd(0.05f),
    };

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void Resuming_from_a_checkpoint_is_bit_exact(string kind)
    {
        const int steps = 40; // 230 samples in batches of 16: the halfway point falls inside the second epoch
        var straight = new LinearTrainer(Make(kind), seed: 3);
        straight.Train(steps);

        var first = new LinearTrainer(Make(kind), seed: 3);
        first.Train(steps / 2);
        var metadata = new CheckpointMetadata();
        metadata.Set("sampler", first.Sampler.GetState());
        metadata.Set("step", steps / 2);
        string path = _temp.File("run.sncp");
        Checkpoint.Save(path, first.Network, first.Optimizer, metadata);

        // Fresh network, optimizer, generator and sampler: a different seed, so only the checkpoint can make them agree.
        var resumed = new LinearTrainer(Make(kind), seed: 77);
        CheckpointMetadata loaded = Checkpoint.Load(path, resumed.Network, resumed.Optimizer);
        resumed.Sampler.RestoreState(loaded.GetBytes("sampler"));
        Assert.Equal(steps / 2, loaded.GetInt64("step"));
        Assert.Equal(steps / 2, resumed.Optimizer.StepCount);
        resumed.Train(steps - steps / 2);

        Assert.Equal(straight.Network.Bits(), resumed.Network.Bits());
        Assert.Equal(straight.Random.GetState(), resumed.Random.GetState());
        AssertSameState(straight.Optimizer, resumed.Optimizer, straight.Network.Parameters, resumed.Network.Parameters);
        // The test can fail: without the optimizer state the resumed run drifts.
        var forgetful = new LinearTrainer(Make(kind), seed: 77);
        Checkpoint.Load(path, forgetful.Network);
        forgetful.Sampler.RestoreState(loaded.GetBytes("sampler"));
        forgetful.Train(steps - steps / 2);
        if (kind != "sgd")
            Assert.NotEqual(straight.Network.Bits(), forgetful.Network.Bits());
    }

    private static void AssertSameState(Optimizer expected, Optimizer actual, IReadOnlyList<Parameter> expectedParameters, IReadOnlyList<Parameter> actualParameters)
    {
        Assert.Equal(expected.StepCount, actual.StepCount);
        for (int i = 0; i < expectedParameters.Count; i++)
        {
            for (int s = 0; s < expected.SlotNames.Count; s++)
            {
                Assert.True(expected.TryGetSlot(expectedParameters[i], s, out ReadOnlySpan<float> a));
                Assert.True(actual.TryGetSlot(actualParameters[i], s, out ReadOnlySpan<float> b));
                Assert.True(a.SequenceEqual(b), $"slot {expected.SlotNames[s]} of {expectedParameters[i].Name} differs");
            }
        }
    }
}
