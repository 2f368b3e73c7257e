using System;
using System.ComponentModel;
using System.Runtime.Intrinsics;
using static SourceNet.Kernels.RecurrentTiles;

namespace SourceNet.Kernels;

/// <summary>
/// One step of an LSTM over a batch with the recurrent product and the cell fused: the forward kernel computes
/// <c>h·W_hh</c> for the gates of eight units at a time (after their input projection <c>x_t·W_ih + b_ih</c>, in
/// <see cref="ForwardFromInputs"/>) and applies the activations and the state update to the sums while they are in
/// registers; the backward kernel computes <c>dLoss/dh = dZ(t+1)·W_hhᵀ</c> for sixteen units at
/// a time and the cell's derivatives in the same pass. Called by generated code (see docs/recurrent.md); the
/// unfused <see cref="LstmCell"/> is the reference the tests compare them with.
/// </summary>
/// <remarks>
/// Buffers are those of <see cref="LstmCell"/>: step-major, gates in PyTorch's order i, f, g, o. W_hh is packed once
/// per pass (<see cref="PackForwardWeights"/>, or with W_ih and b_ih <see cref="PackForwardFromInputsWeights"/>, and
/// <see cref="PackBackwardWeights"/>) into panels a tile reads in order.
/// Rows (samples) are cut into blocks over <see cref="KernelThreads.Count"/> threads; a row's values are computed by
/// the same operations in the same order in any block, so results do not depend on the thread count.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static partial class LstmStep
{
    /// <summary>Floats of W_hh packed for <see cref="Forward"/>: per block of eight units, the gate pairs (i, f) and (g, o) of every k.</summary>
    public static int ForwardWeightsLength(int units) => checked(UnitBlocks(units) * 8 * 4 * units);

    /// <summary>Floats of W_hh packed for <see cref="Backward(int, int, int, int, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, ReadOnlySpan{int})"/>: per panel of sixteen units, W_hhᵀ's 4·units rows.</summary>
    public static int BackwardWeightsLength(int units) => RecurrentTiles.TransposedLength(units, 4);

    /// <summary>
    /// Packs W_hh ([units, 4·units], row-major) for <see cref="Forward"/>: block u (units 8u to 8u + 7), gate pair
    /// p ((i, f) then (g, o)), step k hold 16 floats, the pair's first gate's eight columns then the second's; units past
    /// the last are zeros.
    /// </summary>
    /// <exception cref="ArgumentException">A span is shorter than the sizes need.</exception>
    public static unsafe void PackForwardWeights(int units, ReadOnlySpan<float> weightHh, Span<float> packed)
    {
        CheckLength(nameof(weightHh), weightHh.Length, (long)units * 4 * units);
        CheckLength(nameof(packed), packed.Length, ForwardWeightsLength(units));
        // Every call of a single-sequence inference packs again: eight floats at a time, a copy of W_hh's row.
        fixed (float* weights = weightHh)
        fixed (float* start = packed)
        {
            float* to = start;
            for (int block = 0; block < UnitBlocks(units); block++)
            {
                for (int pair = 0; pair < 2; pair++)
                    to = PackPairRows(units, weights, units, block, pair, to);
            }
        }
    }

    /// <summary>
    /// Packs W_hh ([units, 4·units], row-major) for <see cref="Backward(int, int, int, int, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, ReadOnlySpan{int})"/> as W_hhᵀ in panels: panel q (units 16q to
    /// 16q + 15), row k of 4·units holds the panel's 16 values <c>W_hh[16q + lane, k]</c>; units past the last are zeros.
    /// </summary>
    /// <exception cref="ArgumentException">A span is shorter than the sizes need.</exception>
    public static void PackBackwardWeights(int units, ReadOnlySpan<float> weightHh, Span<float> packed)
    {
        CheckLength(nameof(weightHh), weightHh.Length, (long)units * 4 * units);
        CheckLength(nameof(packed), packed.Length, BackwardWeightsLength(units));
        RecurrentTiles.PackTransposed(units, 4, weightHh, packed);
    }

    private static void CheckLength(string name, int length, long needed)
    {
        if (length < needed)
            throw new ArgumentException($"{name} holds {length} values; the LSTM step needs {needed}.", name);
    }

    /// <summary>Checks the buffers every step kernel shares (step-major, as <see cref="LstmCell"/> describes).</summary>
    private static void CheckStep(int batch, int units, int steps, int step, int gates, int cells, int cellTanh)
    {
        if (batch < 0 || units <= 0 || steps <= 0 || (uint)step >= (uint)steps)
            throw new ArgumentOutOfRangeException(nameof(step), $"An LSTM step needs batch ≥ 0, units > 0 and 0 ≤ step < steps; got batch {batch}, units {units}, step {step} of {steps}.");
        long rows = (long)steps * batch;
        CheckLength(nameof(gates), gates, rows * 4 * units);
        CheckLength(nameof(cells), cells, (rows + batch) * units);
        CheckLength(nameof(cellTanh), cellTanh, rows * units);
    }

    /// <summary>Threads for a step of <paramref name="batch"/> rows, and the row blocks they share (multiples of six rows).</summary>
    private static (int Parts, int RowsPerBlock) Split(int batch, int units) =>
        RecurrentTiles.Split(batch, (long)batch * units * 4 * units, 6);
}
