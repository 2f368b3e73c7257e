// bench/compare-lstm-latency.sh's process: single-sequence inference latency of samples/MnistLstm (28 steps of 28 pixels,
// LSTM(128), dense 10), SourceNet against ONNX Runtime running the same weights, both in this process (ONNX Runtime
// loaded once). The network is trained briefly (--train-steps batches of 100, Adam 2e-3, as
// tests/SourceNet.Interop.Tests' MnistLstmOnnxTests does: weights that tell digits apart), exported to
// <out>/mnist_lstm.onnx, and both systems' logits are compared (one by one on the timed images, then as a batch on all
// 10,000 test images): more than 1e-4 apart, or a different digit, and nothing is timed (exit 1).
// Then, in each of --rounds rounds, every setting in turn (SourceNet Forward and Predict at each of --threads,
// ONNX Runtime at each of --ort-threads intra-op threads, 0 for its default; a SourceNet setting is followed by ONNX
// Runtime's at the same count) runs --warmup untimed and --calls timed single-image calls, cycling through the first
// --images test images, then one timed call on all 10,000 (Forward and ONNX Runtime only).
// Last, unless --profile-calls is 0, SingleSequenceProfile times the kernels of SourceNet's single-sequence path one
// by one at each of --threads (lines PROFILE).
// Writes <out>/results.jsonl (one line per setting and round) and <out>/table.md, and prints the table.
//
// Usage: SourceNet.LstmLatency [--data data/mnist] [--out DIR] [--rounds 3] [--warmup 500] [--calls 5000] [--images 1000]
//                              [--train-steps 150] [--threads "1 2"] [--ort-threads "1 2 0"] [--profile-calls 1500]
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using SourceNet.Data;
using SourceNet.Kernels;
using SourceNet.Onnx;
using SourceNet.Samples.MnistLstm;

namespace SourceNet.Bench.LstmLatency;

internal static class Program
{
    private const float Tolerance = 1e-4f;

    private static int Main(string[] args)
    {
        Options options;
        int[] threads, ortThreads;
        try
        {
            options = Options.Parse(args);
            threads = Options.Counts(options.Threads, 1);
            ortThreads = Options.Counts(options.OrtThreads, 0);
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine("SourceNet.LstmLatency: " + e.Message);
            return 2;
        }
        string loadStart = Measurement.LoadAverage();
        FmaPeak peakBefore = FmaPeak.Measure();
        MnistDataset data = MnistDataset.Load(options.Data, options.TrainSteps > 0 ? int.MaxValue : 0, int.MaxValue);
        int images = Math.Min(options.Images, data.TestCount);
        MnistLstm network = Trained(data, options.TrainSteps);
        Directory.CreateDirectory(options.Out);
        string modelPath = Path.Combine(options.Out, "mnist_lstm.onnx");
        OnnxExporter.Export(modelPath, network);
        Console.Error.WriteLine($"Trained {options.TrainSteps} steps of 100, exported to {modelPath}");

        List<ISequenceRunner> runners = Runners(network, data.TestImages, images, threads, ortThreads, modelPath);
        try
        {
            if (!Agree(runners, images, data))
            {
                return 1;
            }
            var measurements = new List<Measurement>();
            var batchLogits = new float[data.TestCount * MnistLstm.OutputCount];
            for (int round = 1; round <= options.Rounds; round++)
            {
                foreach (ISequenceRunner runner in runners)
                {
                    runner.Activate();
                    string before = Measurement.LoadAverage();
                    Latency latency = LatencyTimer.Time(runner, images, options.Warmup, options.Calls);
                    double? batchMs = runner.TimesBatch ? LatencyTimer.TimeBatch(runner, batchLogits) : null;
                    var m = new Measurement(runner.System, runner.Setting, ThreadsOf(runner), round, latency, batchMs, before, Measurement.LoadAverage());
                    measurements.Add(m);
                    Console.WriteLine("RESULT " + m.ToJson());
                    Console.Error.WriteLine($"round {round}: {runner.System}, {runner.Setting}: median {Measurement.Us(latency.MedianUs)} µs, " +
                        $"p10 {Measurement.Us(latency.P10Us)}, p90 {Measurement.Us(latency.P90Us)}, {latency.AllocatedBytesPerCall:F0} B/call" +
                        (batchMs is double b ? $", 10,000 images {b:F0} ms" : "") + $"; load {before} -> {m.LoadAfter}");
                }
            }
            if (options.ProfileCalls > 0)
            {
                foreach (int t in threads)
                {
                    KernelThreads.Count = t;
                    SingleSequenceProfile.Print(network, data.TestImages, options.ProfileCalls);
                }
            }
            FmaPeak peakAfter = FmaPeak.Measure();
            var peak = new FmaPeak(peakAfter.Vector, Math.Max(peakBefore.OneThreadGflops, peakAfter.OneThreadGflops),
                Math.Max(peakBefore.TwoThreadGflops, peakAfter.TwoThreadGflops));
            string table = MarkdownTable.Write(measurements, peak) + Environment.NewLine +
                $"FMA peak ({peak.Vector}, best of before and after): {peak.OneThreadGflops:F1} GFLOP/s on 1 thread, {peak.TwoThreadGflops:F1} on 2  " + Environment.NewLine +
                $"Load average at start {loadStart}, at end {Measurement.LoadAverage()}; {options.Rounds} round(s) of {options.Warmup} warm-up and {options.Calls} timed calls per setting over the first {images} test images  " + Environment.NewLine;
            File.WriteAllLines(Path.Combine(options.Out, "results.jsonl"), measurements.Select(m => m.ToJson()));
            File.WriteAllText(Path.Combine(options.Out, "table.md"), table);
            Console.WriteLine();
            Console.Write(table);
            return 0;
        }
        finally
        {
            foreach (ISequenceRunner runner in runners)
            {
                runner.Dispose();
            }
        }
    }

    // Deterministic: the sample's network at seed 1, trained on batches drawn by a generator of seed 2.
    private static MnistLstm Trained(MnistDataset data, int steps)
    {
        const int Batch = 100;
        var network = new MnistLstm(seed: 1, maxBatchSize: Batch);
        var optimizer = new Adam(learningRate: 2e-3f);
        if (steps == 0)
        {
            return network;
        }
        var sampler = new BatchSampler(data.TrainImages, data.TrainLabels, MnistDataset.ImageSize, new SeededRandom(2));
        var images = new float[Batch * MnistDataset.ImageSize];
        var labels = new int[Batch];
        for (int step = 0; step < steps; step++)
        {
            sampler.NextRandomBatch(images, labels);
            network.TrainStep(images, labels, optimizer);
        }
        return network;
    }

    // In timing order: SourceNet at a count, then ONNX Runtime at the same count; ONNX Runtime's others (its default) last.
    private static List<ISequenceRunner> Runners(MnistLstm network, float[] testImages, int images, int[] threads, int[] ortThreads, string modelPath)
    {
        var runners = new List<ISequenceRunner>();
        foreach (int t in threads)
        {
            runners.Add(new SourceNetRunner(network, testImages, t, predict: false));
            runners.Add(new SourceNetRunner(network, testImages, t, predict: true));
            if (ortThreads.Contains(t))
            {
                runners.Add(new OrtRunner(modelPath, testImages, images, t));
            }
        }
        foreach (int t in ortThreads.Where(t => !threads.Contains(t)))
        {
            runners.Add(new OrtRunner(modelPath, testImages, images, t));
        }
        return runners;
    }

    private static Agreement Worse(Agreement? a, Agreement b) =>
        a is null || b.DigitMismatches > a.DigitMismatches || (b.DigitMismatches == a.DigitMismatches && !(b.MaxDifference <= a.MaxDifference)) ? b : a;

    private static int ThreadsOf(ISequenceRunner runner) => runner switch
    {
        SourceNetRunner s => s.Threads,
        OrtRunner o => o.IntraOpThreads,
        _ => 0,
    };

    // Every SourceNet Forward setting against every ONNX Runtime one: the timed images one by one, then all 10,000.
    // Each pair goes to the progress output; the worst of all pairs is the line AGREEMENT.
    private static bool Agree(List<ISequenceRunner> runners, int images, MnistDataset data)
    {
        bool ok = true;
        Agreement? worstOne = null, worstAll = null;
        int pairs = 0;
        foreach (ISequenceRunner mine in runners.Where(r => r is SourceNetRunner && r.TimesBatch))
        {
            foreach (ISequenceRunner theirs in runners.Where(r => r is OrtRunner))
            {
                Agreement one = Agreement.OneByOne(mine, theirs, images);
                Agreement all = Agreement.Batch(mine, theirs, data.TestCount);
                Console.Error.WriteLine($"{mine.Setting} vs {theirs.Setting}: one by one, {one}; batch, {all}");
                ok &= one.Within(Tolerance) && all.Within(Tolerance);
                worstOne = Worse(worstOne, one);
                worstAll = Worse(worstAll, all);
                pairs++;
            }
        }
        Console.WriteLine($"AGREEMENT worst of {pairs} pairs (SourceNet Forward at each thread count, ONNX Runtime at each): " +
            $"single-image calls, {worstOne}; 10,000-image batch, {worstAll}");
        // The weights mean something only if they tell digits apart.
        var logits = new float[data.TestCount * MnistLstm.OutputCount];
        runners[0].Activate();
        runners[0].InferAll(logits);
        int correct = 0;
        for (int n = 0; n < data.TestCount; n++)
        {
            correct += ArgMax.Of(logits.AsSpan(n * MnistLstm.OutputCount, MnistLstm.OutputCount)) == data.TestLabels[n] ? 1 : 0;
        }
        Console.WriteLine($"ACCURACY SourceNet's test accuracy with these weights: {100.0 * correct / data.TestCount:F2}%");
        if (!ok)
        {
            Console.Error.WriteLine($"SourceNet.LstmLatency: the logits differ by more than {Tolerance} or a digit differs; nothing timed.");
        }
        return ok;
    }
}
