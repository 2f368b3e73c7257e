using System.Threading;
using SourceNet.Data;
using SourceNet.Training;

namespace SourceNet.Samples.Tests;

/// <summary>A small classifier compiled by the real generator; declaring IClassifier is all it takes to train it with Trainer.</summary>
[Network(Input = 8, Loss = Loss.SoftmaxCrossEntropy)]
public sealed partial class TinyNet : IClassifier
{
    [Dense(16, Activation.ReLU)] public partial DenseLayer Hidden { get; }
    [Dense(3)] public partial DenseLayer Output { get; }
}

/// <summary>SourceNet.Training.Trainer: the loop one writes by hand, with its bookkeeping, and nothing allocated per step.</summary>
public class TrainerTests
{
    private const int Samples = 200, Features = 8, Batch = 16;

    private static (float[] Features, int[] Labels) Data(int seed = 5)
    {
        var random = new SeededRandom(seed);
        var features = new float[Samples * Features];
        var labels = new int[Samples];
        random.FillNormal(features, 0, 1);
        for (int i = 0; i < Samples; i++)
        {
            labels[i] = features[i * Features] > 0.5f ? 2 : features[i * Features + 1] > 0 ? 1 : 0;
        }
        return (features, labels);
    }

    [Fact]
    public void Trainer_trains_exactly_as_the_hand_written_loop()
    {
        (float[] x, int[] y) = Data();
        var options = new TrainerOptions { Epochs = 3, BatchSize = Batch, BatchesPerEpoch = 25 };

        var viaTrainer = new TinyNet(seed: 1, maxBatchSize: Batch);
        IReadOnlyList<EpochResult> results = new Trainer(viaTrainer, new Adam(1e-2f), options)
            .Fit(new BatchSampler(x, y, Features, new SeededRandom(2)), x, y);

        var byHand = new TinyNet(seed: 1, maxBatchSize: Batch);
        var adam = new Adam(1e-2f);
        var sampler = new BatchSampler(x, y, Features, new SeededRandom(2));
        var bx = new float[Batch * Features];
        var by = new int[Batch];
        var losses = new List<double>();
        for (int epoch = 0; epoch < 3; epoch++)
        {
            double sum = 0;
            for (int step = 0; step < 25; step++)
            {
                sampler.NextRandomBatch(bx, by);
                sum += byHand.TrainStep(bx, by, adam);
            }
            losses.Add(sum / 25);
        }

        Assert.Equal(losses, results.Select(r => r.MeanLoss));
        Assert.Equal(byHand.Parameters.SelectMany(p => p.Value), viaTrainer.Parameters.SelectMany(p => p.Value));
        Assert.Equal(byHand.Evaluate(x, y), results[^1].TestAccuracy, 6);
        Assert.All(results, r => Assert.Equal(25, r.Steps));
        Assert.True(results[^1].MeanLoss < results[0].MeanLoss, "The loss did not fall.");
    }

    [Fact]
    public void Shuffled_epochs_see_every_sample_once_with_a_short_last_batch()
    {
        var recorder = new RecordingClassifier();
        var features = new float[Samples * Features];
        int[] labels = Enumerable.Range(0, Samples).ToArray(); // the label names the sample
        var options = new TrainerOptions { Epochs = 2, BatchSize = 64, Sampling = BatchSampling.ShuffledEpochs };

        IReadOnlyList<EpochResult> results = new Trainer(recorder, new Sgd(0.1f), options)
            .Fit(new BatchSampler(features, labels, Features, new SeededRandom(3)));

        Assert.All(results, r => Assert.Equal(4, r.Steps)); // 64 + 64 + 64 + 8
        Assert.Equal([64, 64, 64, 8, 64, 64, 64, 8], recorder.BatchSizes);
        Assert.Equal(labels, recorder.Seen.Take(Samples).Order());
        Assert.Equal(labels, recorder.Seen.Skip(Samples).Order());
        Assert.NotEqual(recorder.Seen.Take(Samples), recorder.Seen.Skip(Samples)); // a new order each epoch
        Assert.All(results, r => Assert.True(double.IsNaN(r.TestAccuracy)));
    }

    [Fact]
    public void Progress_is_throttled_and_always_reports_the_end_of_an_epoch()
    {
        (float[] x, int[] y) = Data();
        var progress = new CountingProgress();
        var trainer = new Trainer(new TinyNet(1, Batch), new Adam(1e-3f),
            new TrainerOptions { Epochs = 2, BatchSize = Batch, BatchesPerEpoch = 50, ProgressInterval = TimeSpan.FromHours(1) })
        {
            Progress = progress,
        };
        IReadOnlyList<EpochResult> results = trainer.Fit(new BatchSampler(x, y, Features, new SeededRandom(2)));

        Assert.Equal(2, progress.Reports); // the interval never passes: only each epoch's last step
        Assert.Equal(50, progress.Last.Step);
        Assert.Equal((2, 2, 50), (progress.Last.Epoch, progress.Last.Epochs, progress.Last.StepsPerEpoch));
        Assert.Equal(results[^1].MeanLoss, progress.Last.RunningLoss);
        Assert.Equal(TimeSpan.Zero, progress.Last.Remaining);
        Assert.True(progress.Last.StepsPerSecond > 0);
    }

    [Fact]
    public void A_step_allocates_nothing_even_when_reporting_each_step()
    {
        (float[] x, int[] y) = Data();
        var net = new TinyNet(1, Batch);
        var adam = new Adam(1e-3f);
        var progress = new CountingProgress();
        long Allocated(int steps)
        {
            var trainer = new Trainer(net, adam, new TrainerOptions { Epochs = 1, BatchSize = Batch, BatchesPerEpoch = steps, ProgressInterval = TimeSpan.Zero })
            {
                Progress = progress,
                EpochCompleted = progress,
            };
            var sampler = new BatchSampler(x, y, Features, new SeededRandom(2));
            long before = GC.GetAllocatedBytesForCurrentThread();
            trainer.Fit(sampler, x, y);
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }

        Allocated(200); // warm-up: JIT, the optimizer's moment buffers
        long few = Allocated(100), many = Allocated(1100);

        // Any object per step is at least 24 bytes, 24,000 over 1,000 steps; allow under a byte a step for
        // what the runtime itself may allocate once on this thread meanwhile (tiered JIT bookkeeping).
        Assert.True(many - few < 1000, $"1,000 more steps allocated {many - few} more bytes ({few} for 100 steps, {many} for 1,100).");
        Assert.True(progress.Reports >= 1100, "Every step should have been reported.");
    }

    [Fact]
    public void Settings_that_cannot_work_are_rejected_up_front()
    {
        var net = new TinyNet(1, maxBatchSize: 8);
        Assert.Throws<ArgumentException>(() => new Trainer(net, new Adam(), new TrainerOptions { BatchSize = 16 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Trainer(net, new Adam(), new TrainerOptions { Epochs = 0, BatchSize = 8 }));
        var trainer = new Trainer(net, new Adam(), new TrainerOptions { BatchSize = 8 });
        var wrongWidth = new BatchSampler(new float[10 * 5], new int[10], 5, new SeededRandom(1));
        Assert.Throws<ArgumentException>(() => trainer.Fit(wrongWidth));
    }

    [Fact]
    public void Cancellation_stops_before_the_next_step()
    {
        (float[] x, int[] y) = Data();
        using var cancel = new CancellationTokenSource();
        var trainer = new Trainer(new TinyNet(1, Batch), new Adam(), new TrainerOptions { Epochs = 1, BatchSize = Batch, BatchesPerEpoch = 10, ProgressInterval = TimeSpan.Zero })
        {
            Progress = new CancelAt(5, cancel),
        };
        Assert.Throws<OperationCanceledException>(() => trainer.Fit(new BatchSampler(x, y, Features, new SeededRandom(2)), cancellationToken: cancel.Token));
    }

    private sealed class CountingProgress : IProgress<TrainingProgress>, IProgress<EpochResult>
    {
        public int Reports;
        public TrainingProgress Last;

        public void Report(TrainingProgress value)
        {
            Reports++;
            Last = value;
        }

        public void Report(EpochResult value)
        {
        }
    }

    private sealed class CancelAt(int step, CancellationTokenSource cancel) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value)
        {
            if (value.Step == step) cancel.Cancel();
        }
    }

    /// <summary>Records the labels of each batch instead of learning.</summary>
    private sealed class RecordingClassifier : IClassifier
    {
        public List<int> Seen { get; } = [];
        public List<int> BatchSizes { get; } = [];
        public int InputSize => Features;
        public int OutputSize => 3;
        public int MaxBatchSize => 64;
        public IReadOnlyList<Parameter> Parameters => [];

        public IReadOnlyList<Layer> Layers => [];

        public float TrainStep(ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels, Optimizer optimizer)
        {
            Seen.AddRange(labels.ToArray());
            BatchSizes.Add(labels.Length);
            return 1f;
        }

        public float Evaluate(ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels) => 0f;

        public float ComputeLoss(ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels) => throw new NotSupportedException("Only accuracy is watched.");

        public float ComputeGradients(ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels) => throw new NotSupportedException("The trainer takes whole steps.");

        public void Forward(ReadOnlySpan<float> inputs, Span<float> outputs) => throw new NotSupportedException("The trainer only evaluates.");
    }
}
