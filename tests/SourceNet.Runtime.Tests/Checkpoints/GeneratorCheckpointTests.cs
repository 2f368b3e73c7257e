using SourceNet.Checkpoints;
using SourceNet.Runtime.Tests.Data;

namespace SourceNet.Runtime.Tests.Checkpoints;

/// <summary>A dropout layer's generator, when the network exposes it, is saved and restored with the weights.</summary>
public sealed class GeneratorCheckpointTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly string _path;

    public GeneratorCheckpointTests() => _path = _temp.File("dropout.sncp");

    public void Dispose() => _temp.Dispose();

    /// <summary>Dense 3 → 2 then dropout, the dropout's generator exposed as a generated network exposes it.</summary>
    private sealed class DropoutNetwork : INetwork
    {
        private readonly DenseLayer _dense = new("Dense", 3, 2);

        public DropoutNetwork(long seed, bool exposeGenerator = true)
        {
            Random = new SeededRandom(seed);
            _dense.Weight.InitializeNormal(Random, 1f);
            Drop = new DropoutLayer("Drop", LayerShape.Features(2), 0.5f, exposeGenerator ? Random : null);
        }

        public SeededRandom Random { get; }

        public DropoutLayer Drop { get; }

        public int InputSize => 3;

        public int OutputSize => 2;

        public int MaxBatchSize => 1;

        public IReadOnlyList<Parameter> Parameters => _dense.Parameters;

        public IReadOnlyList<Layer> Layers => [_dense, Drop];
    }

    [Fact]
    public void The_masks_after_a_resume_are_the_masks_of_the_run_that_did_not_stop()
    {
        var original = new DropoutNetwork(seed: 1);
        original.Random.NextUInt64();
        Checkpoint.Save(_path, original);
        var resumed = new DropoutNetwork(seed: 2);

        Checkpoint.Load(_path, resumed);

        for (int i = 0; i < 10; i++)
        {
            Assert.Equal(original.Random.NextSingle(), resumed.Random.NextSingle());
        }
    }

    [Fact]
    public void A_checkpoint_without_the_generator_is_refused_and_changes_nothing()
    {
        Checkpoint.Save(_path, new DropoutNetwork(seed: 1, exposeGenerator: false));
        var target = new DropoutNetwork(seed: 2);
        byte[] state = target.Random.GetState();
        float[] weights = [.. target.Parameters[0].Value];

        var error = Assert.Throws<CheckpointFormatException>(() => Checkpoint.Load(_path, target));

        Assert.Equal("1 generators, as in the network's layers", error.Expected);
        Assert.Equal("0", error.Found);
        Assert.Equal(state, target.Random.GetState());
        Assert.Equal(weights, target.Parameters[0].Value);
    }
}
