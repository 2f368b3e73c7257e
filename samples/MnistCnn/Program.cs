using System;
using System.Diagnostics;
using System.Globalization;
using SourceNet;
using SourceNet.Data;
using SourceNet.Samples.MnistCnn;

int epochs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 2;
int batchSize = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 50;
int steps = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 60000 / batchSize;
MnistDataset data = MnistDataset.Load("/work/main/data/mnist");
var model = new MnistCnn(seed: 1, maxBatchSize: batchSize);
var optimizer = new Adam(learningRate: 1e-3f);
var sampler = new BatchSampler(data.TrainImages, data.TrainLabels, MnistDataset.ImageSize, new SeededRandom(2));
float[] x = new float[batchSize * 784];
int[] y = new int[batchSize];
Console.WriteLine(MnistCnn.Summary());
var clock = new Stopwatch();
for (int epoch = 1; epoch <= epochs; epoch++)
{
    double sum = 0;
    clock.Restart();
    for (int s = 0; s < steps; s++)
    {
        sampler.NextRandomBatch(x, y);
        sum += model.TrainStep(x, y, optimizer);
        if (s % 100 == 99) Console.WriteLine($"  step {s + 1}: {sum / (s + 1):F4} {clock.Elapsed.TotalSeconds:F1}s");
    }
    double seconds = clock.Elapsed.TotalSeconds;
    float accuracy = model.Evaluate(data.TestImages, data.TestLabels);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Epoch: {epoch}, loss={sum / steps:F3}, test set accuracy={accuracy * 100:F3}%, time={seconds:F3}s"));
}
return 0;
