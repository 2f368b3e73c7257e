using SourceNet.Checkpoints;
using SourceNet.Data;

namespace SourceNet.Interop.Tests.Networks;

/// <summary>
/// The generated tutorial network, trained as the sample trains it (random batches, Adam, the fused
/// weight-gradient-and-update kernels), stopped half-way, saved, and resumed in fresh objects: the same bits
/// as the run that never stopped.
/// </summary>
public sealed class GeneratedResumeTests
{
    private const int Steps = 12, Batch = 100;

    private static readonly Lazy<MnistDataset> s_train = new(() => MnistDataset.Load(Path.Combine(TestData.Root, "data", "mnist"), 2_000, 0));

    private sealed class Run(int seed)
    {
        public MnistMlp Model { get; } = new(seed: seed, maxBatchSize: Batch);
        public Adam Optimizer { get; } = new(learningRate: 1e-3f);
        public BatchSampler Sampler { get; } = new(s_train.Value.TrainImages, s_train.Value.TrainLabels, MnistDataset.ImageSize, new SeededRandom(seed + 1));
        private readonly float[] _images = new float[Batch * MnistDataset.ImageSize];
        private readonly int[] _labels = new int[Batch];

        public void Train(int steps)
        {
            for (int step = 0; step < steps; step++)
            {
                Sampler.NextRandomBatch(_images, _labels);
                Model.TrainStep(_images, _labels, Optimizer);
            }
        }

        public int[] Bits() => [.. Model.Parameters.SelectMany(p => p.Value).Select(BitConverter.SingleToInt32Bits)];
    }

    [Fact]
    public void A_resumed_run_matches_the_uninterrupted_one_bit_for_bit()
    {
        using var temp = new TempDirectory();
        string path = temp.File("mnist.sncp");
        var straight = new Run(seed: 1);
        straight.Train(Steps);

        var first = new Run(seed: 1);
        first.Train(Steps / 2);
        int epoch = 1;
        // The sample's --save would be this one line.
        Checkpoint.Save(path, first.Model, first.Optimizer, new CheckpointMetadata { { "epoch", epoch }, { "sampler", first.Sampler.GetState() } });

        var resumed = new Run(seed: 9);
        CheckpointMetadata loaded = Checkpoint.Load(path, resumed.Model, resumed.Optimizer);
        resumed.Sampler.RestoreState(loaded.GetBytes("sampler"));
        resumed.Train(Steps - Steps / 2);

        Assert.Equal(straight.Bits(), resumed.Bits());
        Assert.Equal(1L, loaded.GetInt64("epoch"));
        // And it can fail: resuming without the optimizer's moments gives other weights.
        var forgetful = new Run(seed: 9);
        Checkpoint.Load(path, forgetful.Model);
        forgetful.Sampler.RestoreState(loaded.GetBytes("sampler"));
        forgetful.Train(Steps - Steps / 2);
        Assert.NotEqual(straight.Bits(), forgetful.Bits());
    }
}
