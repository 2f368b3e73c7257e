using System;
using System.Diagnostics;
using System.Globalization;
using SourceNet;
using SourceNet.Checkpoints;
using SourceNet.Data;
using SourceNet.Samples.Mnist;

// The TensorFlow 2 tutorial's training loop: 600 random batches of 100 (drawn with replacement) per epoch,
// Adam, then the test-set accuracy after each epoch.
TrainingOptions options;
try
{
    if (Array.IndexOf(args, "--help") >= 0)
    {
        Console.WriteLine(TrainingOptions.Usage);
        return 0;
    }
    options = TrainingOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(TrainingOptions.Usage);
    return 2;
}

MnistDataset data;
try
{
    data = MnistDataset.Load(options.DataFolder);
}
catch (Exception e) when (e is FileFormatException or System.IO.FileNotFoundException or System.IO.DirectoryNotFoundException)
{
    Console.Error.WriteLine($"Cannot load MNIST from '{options.DataFolder}': {e.Message}");
    return 1;
}

var model = new MnistMlp(seed: options.Seed, maxBatchSize: options.BatchSize);
var optimizer = new Adam(learningRate: options.LearningRate);
var sampler = new BatchSampler(data.TrainImages, data.TrainLabels, MnistDataset.ImageSize, new SeededRandom(options.Seed + 1));
float[] batchImages = new float[options.BatchSize * MnistDataset.ImageSize];
int[] batchLabels = new int[options.BatchSize];

Console.WriteLine(MnistMlp.Summary());
Console.WriteLine($"Training on {data.TrainCount:N0} images, testing on {data.TestCount:N0}; {options.Epochs} epochs of {options.BatchesPerEpoch} batches of {options.BatchSize}, Adam lr={options.LearningRate.ToString(CultureInfo.InvariantCulture)}, seed {options.Seed}.");
Console.WriteLine();

var clock = new Stopwatch();
for (int epoch = 1; epoch <= options.Epochs; epoch++)
{
    double lossSum = 0;
    clock.Restart();
    for (int step = 0; step < options.BatchesPerEpoch; step++)
    {
        sampler.NextRandomBatch(batchImages, batchLabels);
        lossSum += model.TrainStep(batchImages, batchLabels, optimizer);
    }
    double seconds = clock.Elapsed.TotalSeconds; // training time only: the test pass below is not counted
    float accuracy = model.Evaluate(data.TestImages, data.TestLabels);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"Epoch: {epoch}, loss={lossSum / options.BatchesPerEpoch:F3}, test set accuracy={accuracy * 100:F3}%, time={seconds:F3}s"));
}

Console.WriteLine();
Console.WriteLine("Training complete!");

if (options.CheckpointPath is not null)
{
    Checkpoint.Save(options.CheckpointPath, model);
    Console.WriteLine($"Saved the trained network to {options.CheckpointPath}.");
}
return 0;
