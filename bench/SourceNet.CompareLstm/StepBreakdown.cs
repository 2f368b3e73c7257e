// Where a training step of the MNIST LSTM goes (SourceNet.CompareLstm --breakdown 1): the phases of one sample
// chunk's forward and backward pass, called one by one through the same public kernels, in the same order and on
// buffers of the same sizes as the generated code's RunForward/RunBackward (tests/SourceNet.Generator.Tests/Snapshots/
// MnistLstm.verified.cs), then the gradients' sum and Adam's update; each phase's median and fastest over the repeats.
// Kernels run on one thread (as inside a chunk of a split step). Timed in the calling thread's CPU time on Linux
// (bench/Shared/ThreadClock.cs): on a machine shared with other jobs, time the thread waited for a core is
// left out; elsewhere in wall time.
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Numerics.Tensors;
using SourceNet.Kernels;
using SourceNet.Samples.MnistLstm;

namespace SourceNet.Bench.CompareLstm;

internal static class StepBreakdown
{
    private const int Steps = 28, Inputs = 28, Units = 128, Classes = 10, Width = 4 * Units;

    /// <summary>Prints each phase's median time (ms) for one chunk of <paramref name="batch"/> samples, over <paramref name="repeats"/> repeats.</summary>
    public static void Print(MnistLstm model, int batch, int repeats, float[] images, int[] batchLabels)
    {
        LstmLayer lstm = model.Rows;
        DenseLayer dense = model.Output;
        var stepInputs = new float[batch * Steps * Inputs];
        var gates = new float[batch * Steps * Width];
        var hidden = new float[batch * (Steps + 1) * Units];
        var cells = new float[batch * (Steps + 1) * Units];
        var cellTanh = new float[batch * Steps * Units];
        var activations = new float[batch * Units];
        var logits = new float[batch * Classes];
        var logitGradient = new float[batch * Classes];
        var hiddenGradient = new float[batch * Units];
        // dZ is written over the activated gates, as in the generated code.
        float[] gateGradients = gates;
        var cellGradient = new float[batch * Units];
        var sharedSteps = new int[batch];
        var forwardWeights = new float[LstmStep.ForwardFromInputsWeightsLength(Units, Inputs)];
        var hiddenForwardWeights = new float[LstmStep.ForwardWeightsLength(Units)];
        var backwardWeights = new float[LstmStep.BackwardWeightsLength(Units)];
        var biasGradient = new float[Width];
        var denseBiasGradient = new float[Classes];
        var replicaGradient = new float[lstm.WeightHh.Length];
        var random = new SeededRandom(5);
        random.FillNormal(logitGradient, 0f, 0.01f);
        var adam = new Adam(learningRate: 1e-9f);
        // Copies of the parameters, so the breakdown's updates leave the model as it was.
        var weightIh = Copy(lstm.WeightIh);
        var weightHh = Copy(lstm.WeightHh);
        var denseWeight = Copy(dense.Weight);

        var phases = new List<(string Name, Action Run)>
        {
            ("input to step-major", () => RecurrentLayout.ToStepMajor(batch, Steps, Inputs, images.AsSpan(0, batch * Steps * Inputs), stepInputs)),
            ("clear initial state", () => { Array.Clear(hidden, 0, batch * Units); Array.Clear(cells, 0, batch * Units); }),
            ("pack b_ih, W_ih, W_hh forward", () => LstmStep.PackForwardFromInputsWeights(Units, Inputs, lstm.WeightIh.Value, lstm.BiasIh.Value, lstm.WeightHh.Value, forwardWeights)),
            ("forward steps with projection (28)", () =>
            {
                for (int t = 0; t < Steps; t++)
                    LstmStep.ForwardFromInputs(batch, Units, Inputs, Steps, t, stepInputs, forwardWeights, lstm.BiasHh.Value, gates, cells, cellTanh, hidden, default);
            }),
            ("dense forward + copy", () =>
            {
                new ReadOnlySpan<float>(hidden, Steps * batch * Units, batch * Units).CopyTo(activations);
                Gemm.MatMulBias<IdentityActivation>(batch, Classes, Units, activations, dense.Weight.Value, dense.Bias.Value, logits);
            }),
            ("dense backward (no update)", () =>
            {
                Gemm.ColumnSums(batch, Classes, logitGradient, denseBiasGradient);
                Gemm.MatMulTransposeB(batch, Units, Classes, logitGradient, dense.Weight.Value, hiddenGradient);
                Gemm.WeightGradient(Units, Classes, batch, activations, logitGradient, denseWeight, null);
            }),
            ("clear dc + pack W_hh backward", () =>
            {
                Array.Clear(cellGradient, 0, batch * Units);
                LstmStep.PackBackwardWeights(Units, lstm.WeightHh.Value, backwardWeights);
            }),
            ("rows sharing their first steps", () => LstmStep.FindSharedSteps(batch, Units, Inputs, Steps, stepInputs, hidden, cells, sharedSteps)),
            ("backward steps (28)", () =>
            {
                for (int t = Steps - 1; t >= 0; t--)
                    LstmStep.Backward(batch, Units, Steps, t, backwardWeights, gates, cells, cellTanh, hiddenGradient, default, cellGradient, gateGradients, sharedSteps);
            }),
            ("dW_ih + dW_hh + bias, one pass over dZ", () => RecurrentWeightGradient.ComputeBothSides(Inputs, Units, Width, batch * Steps, stepInputs, hidden, gateGradients, weightIh, weightHh, biasGradient, null)),
            ("sum of 2 chunks' W_hh gradient", () => TensorPrimitives.Add(weightHh.Gradient, replicaGradient, weightHh.Gradient)),
            ("Adam update, W_hh", () => { adam.BeginStep(); adam.Update(weightHh); }),
        };
        int counted = phases.Count;
        // For comparison, not in the sum: the forward pass as it ran before the steps projected their own inputs (the
        // same values), timed in the same repeats as the phases above; then the whole step: every chunk (two of 50
        // for a batch of 100), the sum and the update, on this thread (learning rate 1e-9: the model hardly moves).
        phases.Add(("before: projection, pack, steps (28)", () =>
        {
            Gemm.MatMulBias<IdentityActivation>(batch * Steps, Width, Inputs, stepInputs, lstm.WeightIh.Value, lstm.BiasIh.Value, gates);
            LstmStep.PackForwardWeights(Units, lstm.WeightHh.Value, hiddenForwardWeights);
            for (int t = 0; t < Steps; t++)
                LstmStep.Forward(batch, Units, Steps, t, hiddenForwardWeights, lstm.BiasHh.Value, gates, cells, cellTanh, hidden, default);
        }));
        phases.Add(("whole TrainStep (all chunks), for comparison", () => model.TrainStep(images, batchLabels, adam)));

        int savedThreads = KernelThreads.Count;
        KernelThreads.Count = 1;
        var times = new double[phases.Count][];
        for (int p = 0; p < phases.Count; p++)
            times[p] = new double[repeats];
        for (int warm = 0; warm < 3; warm++)
            foreach ((string _, Action run) in phases)
                run();
        for (int r = 0; r < repeats; r++)
        {
            for (int p = 0; p < phases.Count; p++)
            {
                double start = NowMs();
                phases[p].Run();
                times[p][r] = NowMs() - start;
            }
        }
        KernelThreads.Count = savedThreads;

        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Format(inv, "Breakdown of one chunk of {0} samples, 1 thread, median (min) of {1} repeats, ms of {2}:", batch, repeats, ThreadClock.IsCpuTime ? "thread CPU time" : "wall time"));
        double total = 0, totalMin = 0;
        for (int p = 0; p < phases.Count; p++)
        {
            double median = Median(times[p]);
            if (p < counted)
            {
                total += median;
                totalMin += Min(times[p]);
            }
            Console.WriteLine(string.Format(inv, "  {0,-40} {1,8:F3} ({2:F3})", phases[p].Name, median, Min(times[p])));
        }
        Console.WriteLine(string.Format(inv, "  {0,-40} {1,8:F3} ({2:F3})", "sum of the phases (one chunk)", total, totalMin));
    }

    private static double NowMs() => ThreadClock.Now() * 1e-6;

    private static Parameter Copy(Parameter source)
    {
        var copy = new Parameter(source.Name + " (copy)", source.Rows, source.Columns);
        source.Value.CopyTo(copy.Value, 0);
        return copy;
    }

    private static double Median(double[] values)
    {
        var sorted = (double[])values.Clone();
        Array.Sort(sorted);
        return sorted[sorted.Length / 2];
    }

    private static double Min(double[] values)
    {
        double min = double.MaxValue;
        foreach (double v in values)
            min = Math.Min(min, v);
        return min;
    }
}
