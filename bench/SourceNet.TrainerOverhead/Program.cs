using System;
using System.Diagnostics;
using System.Globalization;
using System.Collections.Generic;
using SourceNet;
using SourceNet.Data;
using SourceNet.Samples;
using SourceNet.Samples.Mnist;
using SourceNet.Training;

// Usage: dotnet run -c Release --project bench/SourceNet.TrainerOverhead [-- ROUNDS STEPS]
// Alternates the two loops (hand first in odd rounds, Trainer first in even ones) on the same seed and data,
// so drift in the machine's speed hits both; prints each round and the medians.
int rounds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10;
int steps = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 600;
MnistDataset data = MnistDataset.Load(DataFolders.FindDefault());
const int Batch = 100;

(double MsPerStep, long Bytes, double Loss) ByHand(int steps)
{
    var model = new MnistMlp(seed: 1, maxBatchSize: Batch);
    var adam = new Adam(1e-3f);
    var sampler = new BatchSampler(data.TrainImages, data.TrainLabels, MnistDataset.ImageSize, new SeededRandom(2));
    var images = new float[Batch * MnistDataset.ImageSize];
    var labels = new int[Batch];
    double loss = 0;
    long bytes = GC.GetTotalAllocatedBytes(precise: true);
    long start = Stopwatch.GetTimestamp();
    for (int step = 0; step < steps; step++)
    {
        sampler.NextRandomBatch(images, labels);
        loss += model.TrainStep(images, labels, adam);
    }
    double ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    return (ms / steps, GC.GetTotalAllocatedBytes(precise: true) - bytes, loss / steps);
}

(double MsPerStep, long Bytes, double Loss) WithTrainer(int steps)
{
    var model = new MnistMlp(seed: 1, maxBatchSize: Batch);
    var progress = new LastProgress();
    var trainer = new Trainer(model, new Adam(1e-3f), new TrainerOptions { Epochs = 1, BatchSize = Batch, BatchesPerEpoch = steps })
    {
        Progress = progress,
    };
    var sampler = new BatchSampler(data.TrainImages, data.TrainLabels, MnistDataset.ImageSize, new SeededRandom(2));
    long bytes = GC.GetTotalAllocatedBytes(precise: true);
    long start = Stopwatch.GetTimestamp();
    IReadOnlyList<EpochResult> results = trainer.Fit(sampler); // no validation: the hand loop has none either
    double ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    return (ms / steps, GC.GetTotalAllocatedBytes(precise: true) - bytes, results[0].MeanLoss);
}

// Bytes per step: the difference between a run of 3N and one of N steps, over 2N steps, so that what a run
// allocates once (Adam's moments on the first step, the Trainer's batch buffers) cancels out.
double PerStep(Func<int, (double, long Bytes, double)> run) => (run(3 * steps).Bytes - run(steps).Bytes) / (2.0 * steps);

ByHand(steps);
WithTrainer(steps); // warm-up: JIT, tiering
var hand = new double[rounds];
var helper = new double[rounds];
Console.WriteLine($"{rounds} rounds of {steps} steps, batch {Batch}, MnistMlp, Adam; {Environment.ProcessorCount} cores");
Console.WriteLine("round  hand ms/step  trainer ms/step  ratio  mean loss");
for (int round = 0; round < rounds; round++)
{
    var a = round % 2 == 0 ? ByHand(steps) : default;
    var b = WithTrainer(steps);
    if (round % 2 == 1)
    {
        a = ByHand(steps);
    }
    hand[round] = a.MsPerStep;
    helper[round] = b.MsPerStep;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{round + 1,5}  {a.MsPerStep,12:F4}  {b.MsPerStep,15:F4}  {b.MsPerStep / a.MsPerStep,5:F3}  {(a.Loss == b.Loss ? "equal" : "DIFFERENT")}"));
}
Array.Sort(hand);
Array.Sort(helper);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"median: hand {hand[rounds / 2]:F4} ms/step, trainer {helper[rounds / 2]:F4} ms/step, ratio {helper[rounds / 2] / hand[rounds / 2]:F3}"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"allocated per step (GC.GetTotalAllocatedBytes(true), runs of {3 * steps} vs {steps} steps): hand {PerStep(ByHand):F2} B, trainer {PerStep(WithTrainer):F2} B"));

/// <summary>Keeps the last report, as a display would.</summary>
internal sealed class LastProgress : IProgress<TrainingProgress>
{
    public TrainingProgress Last;

    public void Report(TrainingProgress value) => Last = value;
}
