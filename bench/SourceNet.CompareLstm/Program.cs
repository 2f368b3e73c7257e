// SourceNet's side of bench/compare-lstm.sh: the row-by-row MNIST LSTM (samples/MnistLstm/MnistLstm.cs: 28 steps of 28
// pixels, LSTM(128), dense 10), trained with Adam 1e-3 on random batches, as bench/peers/pytorch_lstm.py trains it.
// Prints one line: RESULT {json}.
//
// Usage: SourceNet.CompareLstm --data <folder> [--threads N] [--epochs N] [--batch N] [--steps N] [--seed N] [--eval 0|1] [--warmup N]
//                              [--cell lstm|gru]
//   --threads sets KernelThreads.Count (default: SOURCENET_THREADS, read by the runtime, else min(cores, 2));
//   --steps 0 (the default) means 60000 / batch steps per epoch; --eval 0 skips the test-set accuracy;
//   --warmup: untimed training steps before the first epoch (tiered compilation, first touches), default 0;
//   --cell gru trains the same network with a GRU of 128 units instead (MnistGru.cs), and also times the unfused GRU
//   path (the product, then GruCell) on the same rows, the code the fused GruStep kernels replaced.
//   --breakdown N (LSTM only): after the runs, each phase of one sample chunk timed on its own, N repeats (StepBreakdown.cs).
//   --split-phases N: instead of the runs, the 2-thread step split by samples, phase by phase (bench/Shared/SplitPhases.cs),
//   N rounds of --steps steps (default 20) each.
//   --serve 1: instead of the runs, train one step each time a line "step" arrives on stdin and answer with its
//   milliseconds (Serve.cs): bench/peers/lockstep_lstm.py alternates it with PyTorch in blocks of steps.
//
// Besides the step time it reports the GFLOP/s of the LSTM's products in a training step (the FLOPs of its six
// products, over the mean step time: everything else in the step counts against it) and of the recurrent step's
// fused kernels alone (LstmStep.ForwardFromInputs: x_t x W_ih + h x W_hh with the cell in its epilogue; LstmStep.Backward: dZ x W_hh^T with
// the cell's derivatives in its epilogue; the fastest single call on a batch of 50, the chunk each thread runs in a
// split training step of 100, on one thread), each as a fraction of the FMA peak measured in this
// process (bench/Shared/FmaPeak.cs), before and after the runs (the higher is used). The kernels' fractions are of one
// core's peak: they run on one thread per chunk.
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using SourceNet;
using SourceNet.Bench;
using SourceNet.Bench.Peers;
using SourceNet.Data;
using SourceNet.Kernels;
using SourceNet.Samples.MnistLstm;

namespace SourceNet.Bench.CompareLstm;

internal static class Program
{
    private const int Steps = 28, Inputs = 28, Units = 128;

    private static int Main(string[] args)
    {
        var options = Options.Parse(args);
        if (options.Threads > 0)
        {
            KernelThreads.Count = options.Threads;
        }
        if (options.Serve)
            return Serve.Run(options.Data, options.Cell, options.Seed, options.Batch, options.Warmup);
        if (options.SplitPhases > 0)
        {
            SplitPhases.Run(new MnistLstm(seed: options.Seed, maxBatchSize: options.Batch), MnistDataset.Load(options.Data), options.Batch,
                options.SplitPhases, options.Steps > 0 ? options.Steps : 20);
            return 0;
        }
        FmaPeak peakBefore = FmaPeak.Measure();
        int steps = options.Steps > 0 ? options.Steps : 60000 / options.Batch;
        MnistDataset data = MnistDataset.Load(options.Data);
        const int ImageSize = MnistDataset.ImageSize;

        IClassifier model = options.Cell == "gru"
            ? new MnistGru(seed: options.Seed, maxBatchSize: options.Batch)
            : new MnistLstm(seed: options.Seed, maxBatchSize: options.Batch);
        int gates = options.Cell == "gru" ? 3 : 4;
        string cell = options.Cell.ToUpperInvariant();
        var adam = new Adam(learningRate: 1e-3f);
        // Its own stream for the batches (as the samples do), so the initial weights do not depend on it.
        var sampler = new BatchSampler(data.TrainImages, data.TrainLabels, ImageSize, new SeededRandom(options.Seed + 1));
        var images = new float[options.Batch * ImageSize];
        var labels = new int[options.Batch];

        for (int step = 0; step < options.Warmup; step++)
        {
            sampler.NextRandomBatch(images, labels);
            model.TrainStep(images, labels, adam);
        }

        var epochSeconds = new List<double>(options.Epochs);
        var stepSeconds = new List<double>(options.Epochs * steps); // sized up front: growing it would count as the steps' allocation
        double allocPerStep = double.NaN, allocAllThreadsPerStep = double.NaN;
        double lastLoss = double.NaN, cpuPerStepMs = double.NaN;
        for (int epoch = 0; epoch < options.Epochs; epoch++)
        {
            double lossSum = 0;
            // Read before the allocation counters start (it allocates): every thread's CPU time, the kernel workers'
            // waits included; on a shared machine, what the step cost the cores apart from the time it waited for one.
            TimeSpan cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
            // Every thread of the process: the kernel workers too (nothing else runs in this process meanwhile).
            long allThreadsBefore = GC.GetTotalAllocatedBytes(precise: true);
            long start = Stopwatch.GetTimestamp();
            for (int step = 0; step < steps; step++)
            {
                // Timed with the batch's sampling, as bench/peers/pytorch_lstm.py times its step (index_select included).
                long stepStart = Stopwatch.GetTimestamp();
                sampler.NextRandomBatch(images, labels);
                lossSum += model.TrainStep(images, labels, adam);
                stepSeconds.Add(Stopwatch.GetElapsedTime(stepStart).TotalSeconds);
            }
            epochSeconds.Add(Stopwatch.GetElapsedTime(start).TotalSeconds);
            allocPerStep = (double)(GC.GetAllocatedBytesForCurrentThread() - allocatedBefore) / steps;
            allocAllThreadsPerStep = (double)(GC.GetTotalAllocatedBytes(precise: true) - allThreadsBefore) / steps;
            cpuPerStepMs = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMilliseconds / steps;
            lastLoss = lossSum / steps;
        }

        long evalStart = Stopwatch.GetTimestamp();
        double accuracy = options.Eval ? model.Evaluate(data.TestImages, data.TestLabels) : double.NaN;
        double evalSeconds = Stopwatch.GetElapsedTime(evalStart).TotalSeconds;

        int chunk = Math.Max(1, options.Batch / SampleChunks.TrainingChunksFor(options.Batch));
        if (options.Breakdown > 0 && model is MnistLstm lstmModel)
        {
            sampler.NextRandomBatch(images, labels);
            StepBreakdown.Print(lstmModel, chunk, options.Breakdown, images, labels);
        }

        double forwardStepGflops, backwardStepGflops, unfusedForwardGflops = double.NaN, unfusedBackwardGflops = double.NaN;
        if (model is MnistGru gru)
            (forwardStepGflops, backwardStepGflops, unfusedForwardGflops, unfusedBackwardGflops) = GruStepTiming.Gflops(gru.Rows, chunk, Steps, Units);
        else
            (forwardStepGflops, backwardStepGflops) = RecurrentStepGflops((MnistLstm)model, chunk);
        FmaPeak peakAfter = FmaPeak.Measure();
        double peak = Math.Max(peakBefore.GflopsFor(KernelThreads.Count), peakAfter.GflopsFor(KernelThreads.Count));
        double corePeak = Math.Max(peakBefore.GflopsFor(1), peakAfter.GflopsFor(1));

        double medianEpoch = Measure.Median(epochSeconds);
        double epochStepSeconds = medianEpoch / steps;
        double lstmGflops = TrainingFlops(options.Batch, gates) / epochStepSeconds / 1e9;
        var result = new Dictionary<string, object?>
        {
            ["system"] = "SourceNet",
            ["cell"] = options.Cell,
            ["version"] = "SourceNet " + typeof(Adam).Assembly.GetName().Version + ", .NET " + Environment.Version,
            // What the kernels actually used, whichever way it was set.
            ["threads"] = KernelThreads.Count,
            ["epochs"] = options.Epochs,
            ["steps_per_epoch"] = steps,
            ["warmup_steps"] = options.Warmup,
            ["batch"] = options.Batch,
            ["epoch_s"] = epochSeconds,
            ["epoch_median_s"] = medianEpoch,
            ["epoch_min_s"] = Measure.Min(epochSeconds),
            ["epoch_max_s"] = Measure.Max(epochSeconds),
            // The report's figure, as PyTorch's RESULT gives it: the median single step (sampling the batch, then
            // TrainStep). Also the median epoch over its steps (the mean step), and the fastest single step.
            ["step_ms"] = Measure.Median(stepSeconds) * 1e3,
            ["step_mean_ms"] = epochStepSeconds * 1e3,
            ["steps_per_s"] = 1 / epochStepSeconds,
            ["step_best_ms"] = Measure.Min(stepSeconds) * 1e3,
            ["step_median_ms"] = Measure.Median(stepSeconds) * 1e3,
            // The spread of the single steps: on a shared machine the slow tenth is other tenants (and the split
            // controller's looks), the fast tenth what the code does undisturbed.
            ["step_p10_ms"] = Quantile(stepSeconds, 0.1) * 1e3,
            ["step_p90_ms"] = Quantile(stepSeconds, 0.9) * 1e3,
            // The last epoch's process CPU time (all threads, sampling included) per step.
            ["step_cpu_ms"] = cpuPerStepMs,
            ["eval_s"] = evalSeconds,
            // Last epoch, the calling thread: the steady state after tiered compilation.
            ["alloc_step_bytes"] = allocPerStep,
            ["alloc_step_bytes_all_threads"] = allocAllThreadsPerStep,
            ["peak_rss_mib"] = Measure.PeakRssMiB(),
            ["accuracy"] = double.IsNaN(accuracy) ? null : accuracy,
            ["final_loss"] = lastLoss,
            ["fma_peak_gflops"] = peak,
            ["fma_vector"] = peakAfter.Vector,
            ["lstm_training_gflop_per_step"] = TrainingFlops(options.Batch, gates) / 1e9,
            ["lstm_training_gflops"] = lstmGflops,
            ["lstm_training_fraction_of_peak"] = lstmGflops / peak,
            ["fma_peak_one_core_gflops"] = corePeak,
            ["recurrent_step_gflops"] = forwardStepGflops,
            ["recurrent_step_fraction_of_peak"] = forwardStepGflops / corePeak,
            ["recurrent_backward_step_gflops"] = backwardStepGflops,
            ["recurrent_backward_step_fraction_of_peak"] = backwardStepGflops / corePeak,
            ["unfused_step_gflops"] = double.IsNaN(unfusedForwardGflops) ? null : unfusedForwardGflops,
            ["unfused_backward_step_gflops"] = double.IsNaN(unfusedBackwardGflops) ? null : unfusedBackwardGflops,
        };
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Format(inv, "FMA peak measured in this run: {0:F1} GFLOP/s on 1 core, {1:F1} on {2} thread(s) ({3})", corePeak, peak, KernelThreads.Count, peakAfter.Vector));
        Console.WriteLine(string.Format(inv, "Fused {5} step kernels, batch {0}, 1 thread: forward {1:F1} GFLOP/s = {2:P0} of one core's FMA peak, backward {3:F1} GFLOP/s = {4:P0}",
            chunk, forwardStepGflops, forwardStepGflops / corePeak, backwardStepGflops, backwardStepGflops / corePeak, cell));
        if (!double.IsNaN(unfusedForwardGflops))
            Console.WriteLine(string.Format(inv, "Unfused {5} step (the product, then the cell's kernel), batch {0}, 1 thread: forward {1:F1} GFLOP/s = {2:P0} of one core's FMA peak, backward {3:F1} GFLOP/s = {4:P0}",
                chunk, unfusedForwardGflops, unfusedForwardGflops / corePeak, unfusedBackwardGflops, unfusedBackwardGflops / corePeak, cell));
        Console.WriteLine(string.Format(inv, "{4} products in a training step ({0:F2} GFLOP over the mean step, every product counted in full though blank inputs and copied rows skip some, everything else counted against them): {1:F1} GFLOP/s = {2:P0} of the FMA peak on {3} thread(s)",
            TrainingFlops(options.Batch, gates) / 1e9, lstmGflops, lstmGflops / peak, KernelThreads.Count, cell));
        Console.WriteLine(string.Format(inv, "Managed bytes allocated per training step (last epoch): {0:F1} on the calling thread, {1:F1} on every thread", allocPerStep, allocAllThreadsPerStep));
        Console.WriteLine("RESULT " + JsonSerializer.Serialize(result));
        return 0;
    }

    /// <summary>The value a fraction <paramref name="q"/> of the way up the sorted values (nearest rank).</summary>
    private static double Quantile(List<double> values, double q)
    {
        var sorted = new List<double>(values);
        sorted.Sort();
        return sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Round(q * (sorted.Count - 1)), 0, sorted.Count - 1)];
    }

    /// <summary>
    /// Multiply-adds x 2 of the recurrent layer's products in one training step: forward, the input projection
    /// [B·T, I] x [I, G·H] and T recurrent products [B, H] x [H, G·H]; backward, T − 1 products for dLoss/dh, dW_ih, dW_hh
    /// and dLoss/dInput (the first layer needs none, so it is not counted). G is 4 for an LSTM, 3 for a GRU.
    /// </summary>
    private static double TrainingFlops(int batch, int gateCount)
    {
        double rows = (double)batch * Steps, gates = (double)gateCount * Units;
        double forward = rows * Inputs * gates + rows * Units * gates;
        double backward = (double)batch * (Steps - 1) * gates * Units + rows * Inputs * gates + rows * Units * gates;
        return 2 * (forward + backward);
    }

    /// <summary>
    /// GFLOP/s of the fused step kernels on <paramref name="batch"/> rows, on this thread alone (as inside a training
    /// chunk): the fastest single call of each over 20 loops of the 28 steps. FLOPs are the products' (forward 2 x
    /// batch x (inputs + units) x 4·units per step, its own input projection included; backward 2 x batch x units x
    /// 4·units); the epilogues count against them.
    /// </summary>
    private static (double Forward, double Backward) RecurrentStepGflops(MnistLstm model, int batch)
    {
        LstmLayer lstm = model.Rows;
        int width = 4 * Units;
        var hidden = new float[(Steps + 1) * batch * Units];
        var cells = new float[(Steps + 1) * batch * Units];
        var cellTanh = new float[Steps * batch * Units];
        var stepInputs = new float[Steps * batch * Inputs];
        var gates = new float[Steps * batch * width];
        var cellGradient = new float[batch * Units];
        var lastGradient = new float[batch * Units];
        var forwardWeights = new float[LstmStep.ForwardFromInputsWeightsLength(Units, Inputs)];
        var backwardWeights = new float[LstmStep.BackwardWeightsLength(Units)];
        var random = new SeededRandom(9);
        random.FillNormal(stepInputs, 0f, 0.5f);
        random.FillNormal(lastGradient, 0f, 0.1f);
        LstmStep.PackForwardFromInputsWeights(Units, Inputs, lstm.WeightIh.Value, lstm.BiasIh.Value, lstm.WeightHh.Value, forwardWeights);
        LstmStep.PackBackwardWeights(Units, lstm.WeightHh.Value, backwardWeights);
        int savedThreads = KernelThreads.Count;
        KernelThreads.Count = 1;
        // The fastest single call of each (the same work every step): on a shared machine a loop of many calls is
        // almost always interrupted, a single call of about 100 µs often is not.
        double bestForward = double.MaxValue, bestBackward = double.MaxValue;
        for (int loop = 0; loop < 20; loop++)
        {
            for (int t = 0; t < Steps; t++)
            {
                long start = Stopwatch.GetTimestamp();
                LstmStep.ForwardFromInputs(batch, Units, Inputs, Steps, t, stepInputs, forwardWeights, lstm.BiasHh.Value, gates, cells, cellTanh, hidden, default);
                // Step 0 starts from the zero state and skips h·W_hh; every other step runs the whole product.
                if (t > 0)
                    bestForward = Math.Min(bestForward, Stopwatch.GetElapsedTime(start).TotalSeconds);
            }
            Array.Clear(cellGradient);
            for (int t = Steps - 1; t >= 0; t--)
            {
                long start = Stopwatch.GetTimestamp();
                // dZ over the activated gates, as the generated code writes it (the next loop's forward overwrites them).
                LstmStep.Backward(batch, Units, Steps, t, backwardWeights, gates, cells, cellTanh, lastGradient, default, cellGradient, gates);
                // The last step has no product.
                if (t < Steps - 1)
                    bestBackward = Math.Min(bestBackward, Stopwatch.GetElapsedTime(start).TotalSeconds);
            }
        }
        // The forward step's products: its own input projection ([batch, 28] x [28, 512]) and h x W_hh.
        double forwardFlops = 2.0 * batch * (Inputs + Units) * width, backwardFlops = 2.0 * batch * Units * width;
        KernelThreads.Count = savedThreads;
        return (forwardFlops / bestForward / 1e9, backwardFlops / bestBackward / 1e9);
    }

    private sealed record Options(string Data, int Threads, int Epochs, int Batch, int Steps, int Seed, bool Eval, int Warmup, string Cell, int Breakdown, int SplitPhases, bool Serve)
    {
        public static Options Parse(string[] args)
        {
            var o = new Options("data/mnist", 0, 1, 100, 0, 1, true, 0, "lstm", 0, 0, false);
            for (int i = 0; i < args.Length; i += 2)
            {
                if (i + 1 >= args.Length)
                {
                    throw new ArgumentException("Option " + args[i] + " needs a value.");
                }
                int Int() => int.Parse(args[i + 1], NumberStyles.Integer, CultureInfo.InvariantCulture);
                o = args[i] switch
                {
                    "--data" => o with { Data = args[i + 1] },
                    "--threads" => o with { Threads = Int() },
                    "--epochs" => o with { Epochs = Int() },
                    "--batch" => o with { Batch = Int() },
                    "--steps" => o with { Steps = Int() },
                    "--seed" => o with { Seed = Int() },
                    "--eval" => o with { Eval = Int() != 0 },
                    "--warmup" => o with { Warmup = Int() },
                    "--cell" when args[i + 1] is "lstm" or "gru" => o with { Cell = args[i + 1] },
                    "--cell" => throw new ArgumentException("--cell takes lstm or gru; got " + args[i + 1]),
                    "--breakdown" => o with { Breakdown = Int() },
                    "--split-phases" => o with { SplitPhases = Int() },
                    "--serve" => o with { Serve = Int() != 0 },
                    _ => throw new ArgumentException("Unknown option " + args[i]),
                };
            }
            return o;
        }
    }
}
