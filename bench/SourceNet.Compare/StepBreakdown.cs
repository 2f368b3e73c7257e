// SourceNet.Compare --breakdown: where a training step's time goes. Times, alternating in one process so every
// figure sees the same machine state:
//   - the generated network's TrainStep on pre-gathered batches (the step without sampling);
//   - the same sequence of runtime kernels the generated code calls, on buffers of the same shapes, each timed
//     (forward products, column sums, the input gradient, ReLU backward, the fused weight gradients + Adam);
//   - the batch sampler over the float images and over the byte pixels.
// "Glue" is the step minus its kernels: the input check, softmax + cross-entropy + its gradient, the loss check
// and the calls. The generated code is being redesigned, so this measures it only through its public API.
using System;
using System.Diagnostics;
using System.Globalization;
using System.Collections.Generic;
using SourceNet.Bench.Peers;
using SourceNet.Data;
using SourceNet.Kernels;

namespace SourceNet.Bench.Compare;

internal static class StepBreakdown
{
    private const int Batch = 100, In = MnistDataset.ImageSize, Hidden = 300, Out = MnistDataset.ClassCount;

    public static void Run(MnistDataset data, int rounds)
    {
        var model = new MnistMlp(seed: 1, maxBatchSize: Batch);
        var adam = new Adam(learningRate: 1e-3f);
        // 64 real batches, gathered once, cycled through by the step timings.
        const int Batches = 64;
        var sampler = new BatchSampler(data.TrainPixels, data.TrainLabels, In, new SeededRandom(1));
        var images = new float[Batches][];
        var labels = new int[Batches][];
        for (int i = 0; i < Batches; i++)
        {
            images[i] = new float[Batch * In];
            labels[i] = new int[Batch];
            sampler.NextRandomBatch(images[i], labels[i]);
        }
        var kernels = new Kernels();
        var floatSampler = new BatchSampler(data.TrainImages, data.TrainLabels, In, new SeededRandom(2));
        var byteSampler = new BatchSampler(data.TrainPixels, data.TrainLabels, In, new SeededRandom(2));
        float[] sampleImages = new float[Batch * In];
        int[] sampleLabels = new int[Batch];

        const int Steps = 200;
        bool sparseDefault = Gemm.SparseInputs;
        // Index 0: dense inputs (Gemm.SparseInputs off), 1: sparse inputs allowed; alternated within each round.
        var step = new double[2][] { new double[rounds], new double[rounds] };
        var kernelSum = new double[2][] { new double[rounds], new double[rounds] };
        var perKernel = new double[2][,] { new double[rounds, Kernels.Names.Length], new double[rounds, Kernels.Names.Length] };
        var floatSample = new double[rounds];
        var byteSample = new double[rounds];
        for (int r = -2; r < rounds; r++) // two warm-up rounds
        {
            for (int mode = 0; mode < 2; mode++)
            {
                Gemm.SparseInputs = mode == 1;
                long t0 = Stopwatch.GetTimestamp();
                for (int s = 0; s < Steps; s++)
                    model.TrainStep(images[s % Batches], labels[s % Batches], adam);
                double stepUs = Stopwatch.GetElapsedTime(t0).TotalMicroseconds / Steps;
                kernels.Reset();
                t0 = Stopwatch.GetTimestamp();
                for (int s = 0; s < Steps; s++)
                    kernels.Step(images[s % Batches], adam);
                double kernelUs = Stopwatch.GetElapsedTime(t0).TotalMicroseconds / Steps;
                if (r < 0)
                    continue;
                step[mode][r] = stepUs;
                kernelSum[mode][r] = kernelUs;
                for (int k = 0; k < Kernels.Names.Length; k++)
                    perKernel[mode][r, k] = kernels.Ticks[k] * 1e6 / Stopwatch.Frequency / Steps;
            }
            Gemm.SparseInputs = sparseDefault;

            long u0 = Stopwatch.GetTimestamp();
            for (int s = 0; s < Steps; s++)
                floatSampler.NextRandomBatch(sampleImages, sampleLabels);
            double floatUs = Stopwatch.GetElapsedTime(u0).TotalMicroseconds / Steps;
            u0 = Stopwatch.GetTimestamp();
            for (int s = 0; s < Steps; s++)
                byteSampler.NextRandomBatch(sampleImages, sampleLabels);
            double byteUs = Stopwatch.GetElapsedTime(u0).TotalMicroseconds / Steps;
            if (r < 0)
                continue;
            floatSample[r] = floatUs;
            byteSample[r] = byteUs;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Step breakdown: {rounds} rounds of {Steps} steps, threads {KernelThreads.Count}, adaptive split {(KernelThreads.Adaptive ? "on" : "off")}; median (min) in µs per step"));
        for (int mode = 0; mode < 2; mode++)
        {
            Console.WriteLine(mode == 0 ? "-- dense inputs (SOURCENET_SPARSE=0)" : "-- sparse inputs allowed (the default)");
            Print("TrainStep (generated, no sampling)", step[mode]);
            Print("  its kernels, called directly", kernelSum[mode]);
            for (int k = 0; k < Kernels.Names.Length; k++)
            {
                var column = new double[rounds];
                for (int r = 0; r < rounds; r++)
                    column[r] = perKernel[mode][r, k];
                Print("    " + Kernels.Names[k], column);
            }
            var glue = new double[rounds];
            for (int r = 0; r < rounds; r++)
                glue[r] = step[mode][r] - kernelSum[mode][r];
            Print("  glue = step - kernels", glue);
        }
        Console.WriteLine("-- sampling one batch of 100");
        Print("Sampler, float images (per batch)", floatSample);
        Print("Sampler, byte pixels (per batch)", byteSample);
        Func<double[], double> median = Measure.Median;
        double stepMedian = median(step[sparseDefault ? 1 : 0]);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Sampler share of step + sampler: float {100 * median(floatSample) / (median(floatSample) + stepMedian):F1}%, bytes {100 * median(byteSample) / (median(byteSample) + stepMedian):F1}%"));
    }

    private static void Print(string name, double[] values)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-40} {Measure.Median(values),9:F1} ({Measure.Min(values):F1})"));
    }

    /// <summary>The kernel calls of the generated TrainStep for 784-300-10, in its order, each timed.</summary>
    private sealed class Kernels
    {
        public static readonly string[] Names =
        [
            "Fwd1 X·W1+b1, ReLU", "Fwd2 H·W2+b2", "db2 column sums", "dH dZ2·W2ᵀ", "ReLU backward",
            "dW2 Hᵀ·dZ2 + Adam(W2), Adam(b2)", "db1 column sums", "dW1 Xᵀ·dZ1 + Adam(W1), Adam(b1)",
        ];

        public readonly long[] Ticks = new long[Names.Length];
        private readonly DenseLayer _hidden = new("Hidden", In, Hidden);
        private readonly DenseLayer _output = new("Output", Hidden, Out);
        private readonly float[] _h = new float[Batch * Hidden], _dh = new float[Batch * Hidden];
        private readonly float[] _z = new float[Batch * Out], _dz = new float[Batch * Out];

        public Kernels()
        {
            var random = new SeededRandom(3);
            _hidden.Weight.InitializeNormal(random, 0.03f);
            _output.Weight.InitializeNormal(random, 0.03f);
            random.FillNormal(_dz, 0f, 0.01f);
        }

        public void Reset() => Array.Clear(Ticks);

        public void Step(float[] x, Optimizer optimizer)
        {
            long t = Stopwatch.GetTimestamp();
            Gemm.MatMulBias<ReluActivation>(Batch, Hidden, In, x, _hidden.Weight.Value, _hidden.Bias.Value, _h);
            t = Lap(0, t);
            Gemm.MatMulBias<IdentityActivation>(Batch, Out, Hidden, _h, _output.Weight.Value, _output.Bias.Value, _z);
            t = Lap(1, t);
            optimizer.BeginStep();
            Gemm.ColumnSums(Batch, Out, _dz, _output.Bias.Gradient);
            t = Lap(2, t);
            Gemm.MatMulTransposeB(Batch, Hidden, Out, _dz, _output.Weight.Value, _dh);
            t = Lap(3, t);
            Activations.BackwardInPlace<ReluActivation>(_h, _dh);
            t = Lap(4, t);
            Gemm.WeightGradient(Hidden, Out, Batch, _h, _dz, _output.Weight, optimizer);
            optimizer.Update(_output.Bias);
            t = Lap(5, t);
            Gemm.ColumnSums(Batch, Hidden, _dh, _hidden.Bias.Gradient);
            t = Lap(6, t);
            Gemm.WeightGradient(In, Hidden, Batch, x, _dh, _hidden.Weight, optimizer);
            optimizer.Update(_hidden.Bias);
            Lap(7, t);
        }

        private long Lap(int kernel, long since)
        {
            long now = Stopwatch.GetTimestamp();
            Ticks[kernel] += now - since;
            return now;
        }
    }
}
