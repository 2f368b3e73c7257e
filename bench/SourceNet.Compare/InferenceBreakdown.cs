// SourceNet.Compare --inference-breakdown: where the 10,000-image Predict's time goes. Times, alternating in one
// process so every figure sees the same machine state, at 1 thread, 2 threads adaptive and 2 threads always split:
//   - the generated network's Predict over the whole test set;
//   - the finiteness check over the test set (Predict checks its input before computing anything);
//   - the first layer's product over the test set in the chunks Predict uses (the weights streamed per chunk);
//   - the same product on one chunk, repeated (weights and inputs hot in cache: the kernel alone);
//   - the second layer's product over the chunks.
using System;
using System.Collections.Generic;
using System.Linq;
using System.Diagnostics;
using System.Globalization;
using SourceNet.Bench.Peers;
using SourceNet.Data;
using SourceNet.Kernels;

namespace SourceNet.Bench.Compare;

internal static class InferenceBreakdown
{
    private const int In = MnistDataset.ImageSize, Hidden = 300, Out = MnistDataset.ClassCount;

    private static readonly ThreadSetting[] Settings = ThreadSetting.Compared;

    public static void Run(MnistDataset data, int rounds, int chunk)
    {
        var model = new MnistMlp(seed: 1, maxBatchSize: 100);
        var adam = new Adam(learningRate: 1e-3f);
        var sampler = new BatchSampler(data.TrainPixels, data.TrainLabels, In, new SeededRandom(1));
        var images = new float[100 * In];
        var labels = new int[100];
        for (int step = 0; step < 600; step++) // trained weights: the hidden layer's density is a trained one
        {
            sampler.NextRandomBatch(images, labels);
            model.TrainStep(images, labels, adam);
        }
        float[] w1 = model.Hidden.Weight.Value, b1 = model.Hidden.Bias.Value, w2 = model.Output.Weight.Value, b2 = model.Output.Bias.Value;
        float[] test = data.TestImages;
        int count = data.TestCount;
        var predictions = new int[count];
        var hidden = new float[chunk * Hidden];
        var logits = new float[chunk * Out];

        double Time(Action action)
        {
            action(); // after a switch, the first call moves the weights between caches
            long start = Stopwatch.GetTimestamp();
            action();
            return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        void Layer1Streamed()
        {
            for (int s = 0; s < count; s += chunk)
            {
                int rows = Math.Min(chunk, count - s);
                Gemm.MatMulBias<ReluActivation>(rows, Hidden, In, test.AsSpan(s * In, rows * In), w1, b1, hidden);
            }
        }

        void Layer1Hot()
        {
            for (int s = 0; s < count; s += chunk)
                Gemm.MatMulBias<ReluActivation>(chunk, Hidden, In, test.AsSpan(0, chunk * In), w1, b1, hidden);
        }

        void Layer2Streamed()
        {
            for (int s = 0; s < count; s += chunk)
            {
                int rows = Math.Min(chunk, count - s);
                Gemm.MatMulBias<IdentityActivation>(rows, Out, Hidden, hidden.AsSpan(0, rows * Hidden), w2, b2, logits);
            }
        }

        var hidden2 = new float[chunk * Hidden];
        void Layer1ByChunks()
        {
            // Each thread runs whole products (at 1 kernel thread) on every other chunk, into its own buffer.
            int saved = KernelThreads.Count;
            KernelThreads.Count = 1;
            System.Threading.Tasks.Parallel.Invoke(
                () => { for (int s = 0; s < count; s += 2 * chunk) Gemm.MatMulBias<ReluActivation>(Math.Min(chunk, count - s), Hidden, In, test.AsSpan(s * In, Math.Min(chunk, count - s) * In), w1, b1, hidden); },
                () => { for (int s = chunk; s < count; s += 2 * chunk) Gemm.MatMulBias<ReluActivation>(Math.Min(chunk, count - s), Hidden, In, test.AsSpan(s * In, Math.Min(chunk, count - s) * In), w1, b1, hidden2); });
            KernelThreads.Count = saved;
        }

        void Layer1HotByChunks()
        {
            int saved = KernelThreads.Count;
            KernelThreads.Count = 1;
            System.Threading.Tasks.Parallel.Invoke(
                () => { for (int s = 0; s < count; s += 2 * chunk) Gemm.MatMulBias<ReluActivation>(chunk, Hidden, In, test.AsSpan(0, chunk * In), w1, b1, hidden); },
                () => { for (int s = chunk; s < count; s += 2 * chunk) Gemm.MatMulBias<ReluActivation>(chunk, Hidden, In, test.AsSpan(chunk * In, chunk * In), w1, b1, hidden2); });
            KernelThreads.Count = saved;
        }
        void Dense(Action action)
        {
            bool sparse = Gemm.SparseInputs;
            Gemm.SparseInputs = false;
            action();
            Gemm.SparseInputs = sparse;
        }

        (string Name, Action Run)[] parts =
        [
            ("Predict 10k", () => model.Predict(test, predictions)),
            ("finite check", () => FiniteCheck.IndexOfNonFinite(test)),
            ("layer 1, streamed", Layer1Streamed),
            ("layer 1, one chunk hot", Layer1Hot),
            ("layer 2, streamed", Layer2Streamed),
            ("layer 1, chunks halved between 2 threads", Layer1ByChunks),
            ("layer 1, hot, halved between 2 threads", Layer1HotByChunks),
            ("layer 1 dense, hot", () => Dense(Layer1Hot)),
            ("layer 1 dense, hot, halved between 2 threads", () => Dense(Layer1HotByChunks)),
        ];
        var times = new List<double>[Settings.Length, parts.Length];
        foreach (int s in Enumerable.Range(0, Settings.Length))
            foreach (int p in Enumerable.Range(0, parts.Length))
                times[s, p] = new List<double>(rounds);
        ThreadSetting saved = ThreadSetting.Current();
        for (int r = -1; r < rounds; r++) // round -1 warms up
        {
            for (int s = 0; s < Settings.Length; s++)
            {
                Settings[s].Apply();
                for (int p = 0; p < parts.Length; p++)
                {
                    double ms = Time(parts[p].Run);
                    if (r >= 0)
                        times[s, p].Add(ms);
                }
            }
        }
        saved.Apply();
        Console.WriteLine($"Inference breakdown: the test set ({count} images) in chunks of {chunk}, median of {rounds} alternating rounds (ms)");
        Console.WriteLine();
        Console.WriteLine("| Part | " + string.Join(" | ", Array.ConvertAll(Settings, s => s.Name)) + " |");
        Console.WriteLine("|---|" + string.Concat(Array.ConvertAll(Settings, _ => "---:|")));
        for (int p = 0; p < parts.Length; p++)
        {
            var cells = new string[Settings.Length];
            for (int s = 0; s < Settings.Length; s++)
                cells[s] = Measure.Median(times[s, p]).ToString("F2", CultureInfo.InvariantCulture);
            Console.WriteLine($"| {parts[p].Name} | " + string.Join(" | ", cells) + " |");
        }
    }
}
