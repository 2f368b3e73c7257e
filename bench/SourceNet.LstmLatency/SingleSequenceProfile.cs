using System;
using System.Diagnostics;
using SourceNet.Kernels;
using SourceNet.Samples.MnistLstm;

namespace SourceNet.Bench.LstmLatency;

/// <summary>
/// Where SourceNet's single-sequence time goes (--profile-calls): the kernels the generated <c>RunForward</c> calls for a
/// batch of 1, each timed alone (the median of single calls) on the network's own weights, at the current <see cref="KernelThreads.Count"/>,
/// next to the whole <c>Predict</c>. The parts' sum against the whole shows what the calls around the kernels cost.
/// </summary>
internal static class SingleSequenceProfile
{
    private const int Steps = 28, Inputs = 28, Units = 128, Width = 4 * Units, Classes = 10;

    public static void Print(MnistLstm network, float[] images, int calls)
    {
        LstmLayer lstm = network.Rows;
        var stepInputs = new float[Steps * Inputs];
        var gates = new float[Steps * Width];
        var recurrent = new float[Width];
        var hidden = new float[(Steps + 1) * Units];
        var cells = new float[(Steps + 1) * Units];
        var cellTanh = new float[Steps * Units];
        var logits = new float[Classes];
        // A realistic state for the recurrent product: the hidden states of image 0.
        RunAll();

        double projection = MedianPerCall(() =>
        {
            RecurrentLayout.ToStepMajor(1, Steps, Inputs, images.AsSpan(0, Steps * Inputs), stepInputs);
            Gemm.MatMulBias<IdentityActivation>(Steps, Width, Inputs, stepInputs, lstm.WeightIh.Value, lstm.BiasIh.Value, gates);
        }, calls);
        double products = MedianPerCall(() =>
        {
            for (int t = 0; t < Steps; t++)
                Gemm.MatMulBias<IdentityActivation>(1, Width, Units, hidden.AsSpan(t * Units, Units), lstm.WeightHh.Value, lstm.BiasHh.Value, recurrent);
        }, calls);
        double cell = MedianPerCall(() =>
        {
            // The cell turns its step's gates into activations in place; repeated, it reruns on its own output, which
            // costs the same (TensorPrimitives' sigmoid and tanh take no data-dependent branches).
            for (int t = 0; t < Steps; t++)
                LstmCell.Forward(1, Units, Steps, t, recurrent, gates, cells, cellTanh, hidden, default);
        }, calls);
        // The yardstick: the same 28 products with 8 accumulators, and how far its result is from Gemm's.
        double yardstick = double.NaN;
        float yardstickDifference = float.NaN;
        if (ReferenceMatVec.Supported)
        {
            var mine = new float[Width];
            ReferenceMatVec.Run(hidden.AsSpan(Steps * Units, Units), lstm.WeightHh.Value, lstm.BiasHh.Value, mine, Units, Width);
            Gemm.MatMulBias<IdentityActivation>(1, Width, Units, hidden.AsSpan(Steps * Units, Units), lstm.WeightHh.Value, lstm.BiasHh.Value, recurrent);
            yardstickDifference = 0f;
            for (int j = 0; j < Width; j++)
                yardstickDifference = Math.Max(yardstickDifference, Math.Abs(mine[j] - recurrent[j]));
            yardstick = MedianPerCall(() =>
            {
                for (int t = 0; t < Steps; t++)
                    ReferenceMatVec.Run(hidden.AsSpan(t * Units, Units), lstm.WeightHh.Value, lstm.BiasHh.Value, mine, Units, Width);
            }, calls);
        }
        double dense = MedianPerCall(() =>
            Gemm.MatMulBias<IdentityActivation>(1, Classes, Units, hidden.AsSpan(Steps * Units, Units), network.Output.Weight.Value, network.Output.Bias.Value, logits), calls);
        double predict = MedianPerCall(() => network.Predict(images.AsSpan(0, Steps * Inputs)), calls);
        // The same weights in a network whose buffers hold one sample, not a training batch of 100.
        MnistLstm single = new(seed: 0, maxBatchSize: 1);
        for (int i = 0; i < single.Parameters.Count; i++)
            network.Parameters[i].Value.CopyTo(single.Parameters[i].Value, 0);
        double predictSingle = MedianPerCall(() => single.Predict(images.AsSpan(0, Steps * Inputs)), calls);
        double forward = MedianPerCall(() => network.Forward(images.AsSpan(0, Steps * Inputs), logits), calls);
        double parts = projection + products + cell + dense;
        Console.WriteLine($"PROFILE threads {KernelThreads.Count}: input projection [28,28]x[28,512] {projection:F1} µs, " +
            $"28 recurrent products [1,128]x[128,512] {products:F1} µs ({2.0 * Steps * Units * Width / (products * 1e3):F1} GFLOP/s), " +
            $"(the same with 8 accumulators per tile, bench/SourceNet.LstmLatency/ReferenceMatVec.cs: {yardstick:F1} µs, {2.0 * Steps * Units * Width / (yardstick * 1e3):F1} GFLOP/s, max |difference| {yardstickDifference:G2}), " +
            $"28 cell updates {cell:F1} µs, dense {dense:F1} µs; sum {parts:F1} µs; " +
            $"Predict {predict:F1} µs (built for batches of 1: {predictSingle:F1} µs), Forward {forward:F1} µs");

        void RunAll()
        {
            RecurrentLayout.ToStepMajor(1, Steps, Inputs, images.AsSpan(0, Steps * Inputs), stepInputs);
            Gemm.MatMulBias<IdentityActivation>(Steps, Width, Inputs, stepInputs, lstm.WeightIh.Value, lstm.BiasIh.Value, gates);
            for (int t = 0; t < Steps; t++)
            {
                Gemm.MatMulBias<IdentityActivation>(1, Width, Units, hidden.AsSpan(t * Units, Units), lstm.WeightHh.Value, lstm.BiasHh.Value, recurrent);
                LstmCell.Forward(1, Units, Steps, t, recurrent, gates, cells, cellTanh, hidden, default);
            }
        }
    }

    // µs per call: the median of calls timed one by one after calls / 10 untimed (robust to the other tenants' bursts).
    private static double MedianPerCall(Action action, int calls)
    {
        for (int i = 0; i < calls / 10; i++)
            action();
        var ticks = new long[calls];
        for (int i = 0; i < calls; i++)
        {
            long start = Stopwatch.GetTimestamp();
            action();
            ticks[i] = Stopwatch.GetTimestamp() - start;
        }
        Array.Sort(ticks);
        return ticks[calls / 2] * 1e6 / Stopwatch.Frequency;
    }
}
