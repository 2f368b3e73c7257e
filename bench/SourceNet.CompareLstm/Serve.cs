// SourceNet.CompareLstm --serve 1: one training step per request, for bench/peers/lockstep_lstm.py, which alternates
// blocks of SourceNet's steps with blocks of PyTorch's so that both see the same stretches of a shared machine (a run of
// each in turn, as compare-lstm.sh does, lets one system's run meet a quiet minute and the other's a busy one).
//
// Protocol, one line each way: after the warm-up steps it prints "READY"; then for every line "step" on stdin it samples
// a batch, trains one step (both timed, as the runs time them) and prints the milliseconds; "end" or the end of stdin
// prints "LOSS <mean of the last 50 steps>" and exits. Nothing else is printed on stdout.
using System;
using System.Diagnostics;
using System.Globalization;
using SourceNet.Bench.Peers;
using SourceNet.Data;
using SourceNet.Samples.MnistLstm;

namespace SourceNet.Bench.CompareLstm;

internal static class Serve
{
    public static int Run(string dataFolder, string cell, int seed, int batch, int warmup)
    {
        MnistDataset data = MnistDataset.Load(dataFolder);
        IClassifier model = cell == "gru" ? new MnistGru(seed: seed, maxBatchSize: batch) : new MnistLstm(seed: seed, maxBatchSize: batch);
        var adam = new Adam(learningRate: 1e-3f);
        var sampler = new BatchSampler(data.TrainImages, data.TrainLabels, MnistDataset.ImageSize, new SeededRandom(seed + 1));
        var images = new float[batch * MnistDataset.ImageSize];
        var labels = new int[batch];
        for (int step = 0; step < warmup; step++)
        {
            sampler.NextRandomBatch(images, labels);
            model.TrainStep(images, labels, adam);
        }
        var losses = new double[50];
        int steps = 0;
        Console.Out.WriteLine("READY");
        Console.Out.Flush();
        for (string? line = Console.In.ReadLine(); line is not null and not "end"; line = Console.In.ReadLine())
        {
            if (line != "step")
            {
                Console.Error.WriteLine($"--serve: unknown request '{line}' (expected 'step' or 'end')");
                return 2;
            }
            long start = Stopwatch.GetTimestamp();
            sampler.NextRandomBatch(images, labels);
            losses[steps++ % losses.Length] = model.TrainStep(images, labels, adam);
            double ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            Console.Out.WriteLine(ms.ToString("R", CultureInfo.InvariantCulture));
            Console.Out.Flush();
        }
        double sum = 0;
        int kept = Math.Min(steps, losses.Length);
        for (int i = 0; i < kept; i++)
            sum += losses[i];
        Console.Out.WriteLine("LOSS " + (kept > 0 ? sum / kept : double.NaN).ToString("R", CultureInfo.InvariantCulture));
        return 0;
    }
}
