using System;
using System.Numerics.Tensors;
using static SourceNet.Kernels.RecurrentTiles;

namespace SourceNet.Kernels;

// Rows that share their first steps. From a zero initial state, every sequence whose first inputs are zeros has the
// same state through them (a sequential MNIST image's blank top rows: 4.8 on average). The forward step computes such
// rows once and copies them (LstmStep.ForwardFromInputs.cs); backpropagation through time carries them once: at the
// last step a row shares, it hands dZ and dLoss/dc to the group's first row, and the steps before run for that row
// alone.
public static partial class LstmStep
{
    /// <summary>
    /// For each row, how many first steps it shares with other rows, into <paramref name="sharedSteps"/>: step s is
    /// shared by the rows that shared steps 0 to s − 1, whose input at s is all zeros (+0 or −0) and whose state entering
    /// s (h and c) has the bits of the first of them; where that leaves one row alone, no row shares step s or any later
    /// step. One group: the rows with the state of the first row whose input is zero (a row that starts from a state of
    /// its own shares nothing with it). Rows sharing steps 0 to s have the same forward values there (the same operations
    /// on the same bits, but for the sign of a zero where an input of −0 stands for +0), which is what <see cref="Backward(int, int, int, int, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, ReadOnlySpan{int})"/>
    /// relies on. A batch of more than <see cref="RecurrentTiles.ListedRows"/> rows shares none (all zeros).
    /// </summary>
    /// <param name="batch">Samples.</param>
    /// <param name="units">Units of the state.</param>
    /// <param name="inputs">Inputs per step.</param>
    /// <param name="steps">Steps of the sequence.</param>
    /// <param name="stepInputs">[steps, batch, inputs].</param>
    /// <param name="hidden">[steps + 1, batch, units], after the forward steps.</param>
    /// <param name="cells">[steps + 1, batch, units], after the forward steps.</param>
    /// <param name="sharedSteps">Receives one count per row, from 0 to <paramref name="steps"/>.</param>
    /// <exception cref="ArgumentException">A span is shorter than the sizes need.</exception>
    public static unsafe void FindSharedSteps(int batch, int units, int inputs, int steps, ReadOnlySpan<float> stepInputs, ReadOnlySpan<float> hidden,
        ReadOnlySpan<float> cells, Span<int> sharedSteps)
    {
        if (batch < 0 || units <= 0 || inputs <= 0 || steps <= 0)
            throw new ArgumentOutOfRangeException(nameof(batch), $"Shared steps need batch ≥ 0, units, inputs and steps > 0; got batch {batch}, units {units}, inputs {inputs}, steps {steps}.");
        CheckLength(nameof(stepInputs), stepInputs.Length, (long)steps * batch * inputs);
        CheckLength(nameof(hidden), hidden.Length, ((long)steps + 1) * batch * units);
        CheckLength(nameof(cells), cells.Length, ((long)steps + 1) * batch * units);
        CheckLength(nameof(sharedSteps), sharedSteps.Length, batch);
        Span<int> shared = sharedSteps[..batch];
        shared.Clear();
        if (batch > ListedRows)
            return;
        fixed (float* px = stepInputs)
        fixed (float* ph = hidden)
        fixed (float* pc = cells)
        {
            for (int s = 0; s < steps; s++)
            {
                float* x = px + (nint)s * batch * inputs;
                nint state = (nint)s * batch * units;
                int first = -1, members = 0;
                for (int row = 0; row < batch; row++)
                {
                    if (shared[row] != s || !IsZero(x + (nint)row * inputs, inputs))
                        continue;
                    if (first >= 0
                        && !(SameBits(ph + state + (nint)row * units, ph + state + (nint)first * units, units)
                            && SameBits(pc + state + (nint)row * units, pc + state + (nint)first * units, units)))
                        continue;
                    if (first < 0)
                        first = row;
                    shared[row] = s + 1;
                    members++;
                }
                if (members < 2)
                {
                    // One row alone shares nothing: it and every later step stay its own.
                    if (first >= 0)
                        shared[first] = s;
                    return;
                }
            }
        }
    }

    private static void CheckSharedSteps(int batch, int steps, ReadOnlySpan<int> sharedSteps, bool noOutputGradient)
    {
        if (!noOutputGradient)
            throw new ArgumentException("Shared steps need a layer that returns its last state alone: each step's share of the output's gradient is a row's own.", nameof(sharedSteps));
        CheckLength(nameof(sharedSteps), sharedSteps.Length, batch);
        foreach (int count in sharedSteps[..batch])
        {
            if ((uint)count > (uint)steps)
                throw new ArgumentException($"sharedSteps holds {count}; a row shares 0 to {steps} steps.", nameof(sharedSteps));
        }
    }

    /// <summary>The first row sharing more than <paramref name="step"/> steps (0 to step), or −1.</summary>
    private static int FirstSharing(ReadOnlySpan<int> sharedSteps, int batch, int step)
    {
        for (int row = 0; row < batch; row++)
        {
            if (sharedSteps[row] > step)
                return row;
        }
        return -1;
    }

    /// <summary>Lists in <paramref name="rows"/> the rows step <paramref name="step"/> carries, and returns their count:
    /// all but those that shared step + 1 and handed it over (every row that shared it but the first,
    /// <paramref name="keeperOfStepAfter"/>).</summary>
    private static unsafe int CarriedRows(int batch, int step, ReadOnlySpan<int> sharedSteps, int keeperOfStepAfter, int* rows)
    {
        int count = 0;
        for (int row = 0; row < batch; row++)
        {
            if (sharedSteps[row] <= step + 1 || row == keeperOfStepAfter)
                rows[count++] = row;
        }
        return count;
    }

    /// <summary>
    /// After step <paramref name="step"/>: each row that shares it but the first adds its dZ and dLoss/dc (of the step
    /// before) to the first's, in increasing row order, then leaves zeros in both; a row that handed over at a later
    /// step gets zeros in its dZ here (the weights' gradients sum every row's dZ).
    /// </summary>
    private static unsafe void HandOverSharedRows(int batch, int units, int step, ReadOnlySpan<int> sharedSteps, int keeperOfStepAfter, float* cellGradient,
        float* gateGradients)
    {
        int keeper = FirstSharing(sharedSteps, batch, step);
        if (keeper < 0)
            return;
        int width = 4 * units;
        var keeperGates = new Span<float>(gateGradients + (nint)keeper * width, width);
        var keeperCell = new Span<float>(cellGradient + (nint)keeper * units, units);
        for (int row = keeper + 1; row < batch; row++)
        {
            if (sharedSteps[row] <= step)
                continue;
            var gates = new Span<float>(gateGradients + (nint)row * width, width);
            // Carried by this step (CarriedRows): it shared no step after this one, or kept the group's for it.
            bool carried = sharedSteps[row] == step + 1 || row == keeperOfStepAfter;
            if (carried)
            {
                var cell = new Span<float>(cellGradient + (nint)row * units, units);
                TensorPrimitives.Add(keeperGates, gates, keeperGates);
                TensorPrimitives.Add(keeperCell, cell, keeperCell);
                cell.Clear();
            }
            gates.Clear();
        }
    }
}
