// --split-phases (SourceNet.Compare for the MLP, SourceNet.CompareCnn for the CNN, SourceNet.CompareLstm for the LSTM): where a 2-thread training step
// split by samples goes. TrainingChunks runs a step as two chunks (one per core, SampleChunks.TrainingChunksFor), then
// a sum-and-update pass on both cores (the deferred weight gradient by blocks of rows, the chunks' sum, Adam). This
// times, alternating within each round on pre-gathered batches so all see the same machine:
//   step 1t      TrainStep at 1 thread;
//   step 2t      TrainStep at 2 threads, always split by samples (the adaptive choice off);
//   chunk        one chunk's forward, loss and backward (TrainChunk) alone on this thread;
//   chunks ||    both chunks at once, chunk 0 here and chunk 1 on a spinning thread of this benchmark (no
//                KernelWorkers): what the cores cost each other;
//   rows 1t      the deferred weight gradient of both chunks (WeightGradientRows over all rows), one thread (0 for a
//                network that defers none, as the LSTM);
//   adam 1t      Adam's update of every parameter, one thread.
// Then the 2-thread step's remainder after the parallel chunks and half the serial sum work: the hand-offs and
// whatever the sum-and-update pass pays on two cores beyond its share.
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Threading;
using SourceNet.Bench.Peers;
using SourceNet.Data;
using SourceNet.Kernels;

namespace SourceNet.Bench;

internal static class SplitPhases
{
    private const int ImageSize = MnistDataset.ImageSize;
    private static readonly string[] Names = ["step 1t", "step 2t", "chunk", "chunks ||", "rows 1t", "adam 1t"];

    /// <summary>Times <paramref name="model"/>'s step on batches of <paramref name="batch"/> (two chunks), <paramref name="rounds"/>
    /// rounds of <paramref name="steps"/> calls per phase.</summary>
    public static void Run<TNetwork>(TNetwork model, MnistDataset data, int batch, int rounds, int steps)
        where TNetwork : IClassifier, ITrainingChunk
    {
        if (SampleChunks.TrainingChunksFor(batch) != 2)
            throw new ArgumentException($"A batch of {batch} trains as {SampleChunks.TrainingChunksFor(batch)} chunks; this breakdown times two.", nameof(batch));
        int chunk = batch / 2; // where TrainingChunks cuts a batch in two
        var replica = model.CreateTrainingReplica(batch - chunk);
        var adam = new Adam(learningRate: 1e-3f);
        const int Batches = 64;
        var sampler = new BatchSampler(data.TrainPixels, data.TrainLabels, ImageSize, new SeededRandom(1));
        var images = new float[Batches][];
        var labels = new int[Batches][];
        for (int i = 0; i < Batches; i++)
        {
            images[i] = new float[batch * ImageSize];
            labels[i] = new int[batch];
            sampler.NextRandomBatch(images[i], labels[i]);
        }
        // The LSTM defers no weight gradient: its "rows 1t" phase is then empty (0 µs).
        Parameter? deferred = model.DeferredWeight;
        var rowsOut = new float[deferred?.Length ?? 0];

        (int savedThreads, bool savedAdaptive) = (KernelThreads.Count, KernelThreads.Adaptive);
        KernelThreads.Adaptive = false; // two threads always split by samples
        var times = new double[Names.Length][];
        for (int n = 0; n < Names.Length; n++)
            times[n] = new double[rounds];

        for (int r = -2; r < rounds; r++) // two warm-up rounds
        {
            double[] us = new double[Names.Length];
            KernelThreads.Count = 1;
            us[0] = PerCall(steps, s => model.TrainStep(images[s % Batches], labels[s % Batches], adam));
            KernelThreads.Count = 2;
            model.TrainStep(images[0], labels[0], adam); // the weights move back between the cores' caches
            us[1] = PerCall(steps, s => model.TrainStep(images[s % Batches], labels[s % Batches], adam));
            KernelThreads.Count = 1;
            us[2] = PerCall(steps, s => model.TrainChunk(0, chunk, batch, images[s % Batches], labels[s % Batches], default));
            // The partner spins only during this phase, so it takes no core from the others.
            using (var partner = new SpinningPartner(s => replica.TrainChunk(chunk, batch - chunk, batch, images[s % Batches], labels[s % Batches], default)))
            {
                us[3] = PerCall(steps, s =>
                {
                    partner.Start(s);
                    model.TrainChunk(0, chunk, batch, images[s % Batches], labels[s % Batches], default);
                    partner.Wait();
                });
            }
            us[4] = deferred is null ? 0 : PerCall(steps, s =>
            {
                model.WeightGradientRows(0, deferred!.Rows, 0, chunk, images[s % Batches], rowsOut);
                replica.WeightGradientRows(0, deferred!.Rows, chunk, batch - chunk, images[s % Batches], rowsOut);
            });
            us[5] = PerCall(steps, s =>
            {
                adam.BeginStep();
                foreach (Parameter p in model.Parameters)
                    adam.Update(p);
            });
            if (r < 0)
                continue;
            for (int n = 0; n < Names.Length; n++)
                times[n][r] = us[n];
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"round {r + 1,2}: load {LoadAverage()} | {string.Join(" | ", Line(us))} | 2t/1t {us[1] / us[0]:F2}"));
        }
        (KernelThreads.Count, KernelThreads.Adaptive) = (savedThreads, savedAdaptive);

        Console.WriteLine();
        Console.WriteLine("medians over the rounds (µs per step):");
        var median = new double[Names.Length];
        for (int n = 0; n < Names.Length; n++)
        {
            median[n] = Measure.Median(new List<double>(times[n]));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {Names[n],-10} {median[n],8:F1}"));
        }
        // What a perfect split would cost: the parallel chunks, then half of the serial sum work on each core.
        double ideal = median[3] + (median[4] + median[5]) / 2;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  2t/1t {median[1] / median[0]:F2}; chunks || / chunk {median[3] / median[2]:F2} (1.00 = the cores cost each other nothing); "
            + $"chunks || + (rows + adam) / 2 = {ideal:F1} µs, ratio {ideal / median[0]:F2}; the 2t step's remainder {median[1] - ideal:F1} µs"));
    }

    private static IEnumerable<string> Line(double[] us)
    {
        for (int n = 0; n < Names.Length; n++)
            yield return string.Create(CultureInfo.InvariantCulture, $"{Names[n]} {us[n]:F0}");
    }

    private static string LoadAverage() =>
        OperatingSystem.IsLinux() ? System.IO.File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";

    private static double PerCall(int calls, Action<int> call)
    {
        long start = Stopwatch.GetTimestamp();
        for (int s = 0; s < calls; s++)
            call(s);
        return Stopwatch.GetElapsedTime(start).TotalMicroseconds / calls;
    }

    /// <summary>A thread of this benchmark that spins waiting for work, so a chunk handed to it starts within
    /// microseconds, as it would on a spinning kernel worker, without the runtime's hand-off code.</summary>
    private sealed class SpinningPartner : IDisposable
    {
        private readonly Thread _thread;
        private readonly Action<int> _work;
        private int _step;
        private volatile bool _busy, _stop;

        public SpinningPartner(Action<int> work)
        {
            _work = work;
            _thread = new Thread(Loop) { IsBackground = true, Name = "split-phases partner" };
            _thread.Start();
        }

        public void Start(int step)
        {
            _step = step;
            _busy = true;
        }

        public void Wait()
        {
            while (_busy)
                Thread.SpinWait(1);
        }

        private void Loop()
        {
            while (!_stop)
            {
                if (!_busy)
                {
                    Thread.SpinWait(1);
                    continue;
                }
                _work(_step);
                _busy = false;
            }
        }

        public void Dispose()
        {
            _stop = true;
            _thread.Join();
        }
    }
}
