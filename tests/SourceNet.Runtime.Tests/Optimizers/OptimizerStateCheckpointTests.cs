using SourceNet.Checkpoints;
using SourceNet.Runtime.Tests.Checkpoints;
using SourceNet.Runtime.Tests.Data;

namespace SourceNet.Runtime.Tests.Optimizers;

/// <summary>AdamW's moments, the schedule and the step phase's settings go through a checkpoint's optimizer
/// section: a resumed run continues bit for bit, and a changed setting is refused by name.</summary>
public sealed class OptimizerStateCheckpointTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly string _path;

    public OptimizerStateCheckpointTests() => _path = _temp.File("run.sncp");

    public void Dispose() => _temp.Dispose();

    private static AdamW Make(int totalSteps = 20, float weightDecay = 0.1f) =>
        new(2e-2f, weightDecay) { Schedule = new CosineSchedule(2, totalSteps, 1e-3f), MaxGradientNorm = 1f, AccumulationSteps = 2 };

    private static void Train(TestNetwork network, Optimizer optimizer, int firstBatch, int batches)
    {
        for (int b = firstBatch; b < firstBatch + batches; b++)
        {
            var random = new SeededRandom(1000 + b);
            foreach (Parameter parameter in network.Parameters)
                random.FillNormal(parameter.Gradient, 0f, 1f);
            optimizer.Step(network.Parameters);
        }
    }

    [Fact]
    public void AdamW_with_a_schedule_resumes_bit_for_bit()
    {
        TestNetwork straight = TestNetwork.Small().Randomize(1);
        AdamW straightOptimizer = Make();
        Train(straight, straightOptimizer, 0, 12);

        TestNetwork first = TestNetwork.Small().Randomize(1);
        AdamW firstOptimizer = Make();
        Train(first, firstOptimizer, 0, 6); // three whole groups of two: nothing pending
        Checkpoint.Save(_path, first, firstOptimizer);
        TestNetwork resumed = TestNetwork.Small();
        AdamW resumedOptimizer = Make();
        Checkpoint.Load(_path, resumed, resumedOptimizer);
        Assert.Equal(3, resumedOptimizer.StepCount);
        Train(resumed, resumedOptimizer, 6, 6);

        Assert.Equal(straight.Bits(), resumed.Bits());
        Assert.Equal(straightOptimizer.CurrentLearningRate, resumedOptimizer.CurrentLearningRate);
    }

    [Fact]
    public void A_changed_schedule_or_decay_is_refused_by_name()
    {
        TestNetwork network = TestNetwork.Small().Randomize(1);
        AdamW optimizer = Make();
        Train(network, optimizer, 0, 2);
        Checkpoint.Save(_path, network, optimizer);
        float[] bits = [.. network.Parameters.SelectMany(p => p.Value)];

        var schedule = Assert.Throws<CheckpointFormatException>(() => Checkpoint.Load(_path, TestNetwork.Small(), Make(totalSteps: 30)));
        Assert.Contains("cosine_total_steps = 30", schedule.Message);
        var decay = Assert.Throws<CheckpointFormatException>(() => Checkpoint.Load(_path, TestNetwork.Small(), Make(weightDecay: 0.2f)));
        Assert.Contains("weight_decay = 0.2", decay.Message);
        var clipping = Assert.Throws<CheckpointFormatException>(() => Checkpoint.Load(_path, TestNetwork.Small(), new AdamW(2e-2f, 0.1f)));
        Assert.Contains("hyper-parameters", clipping.Message);
        var kind = Assert.Throws<CheckpointFormatException>(() => Checkpoint.Load(_path, TestNetwork.Small(), new Adam(2e-2f)));
        Assert.Contains("AdamW", kind.Message);
        Assert.Equal(bits, network.Parameters.SelectMany(p => p.Value));
    }
}
