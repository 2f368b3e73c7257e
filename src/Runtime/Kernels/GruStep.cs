using System;
using System.ComponentModel;
using static SourceNet.Kernels.RecurrentTiles;

namespace SourceNet.Kernels;

/// <summary>
/// One step of a GRU over a batch with the recurrent product and the cell fused: the forward kernel computes
/// <c>h·W_hh</c> for the r, z and n gates of eight units at a time and applies the activations and the state update to
/// the sums while they are in registers; the backward kernel computes <c>dLoss/dh = dZ_hidden(t+1)·W_hhᵀ + z·dh(t+1)</c>
/// for sixteen units at a time and the cell's derivatives in the same pass. Called by generated code (see
/// docs/recurrent.md); the unfused <see cref="GruCell"/> after a separate product is the reference the tests compare
/// them with.
/// </summary>
/// <remarks>
/// Buffers are those of <see cref="GruCell"/>: step-major, gates in PyTorch's order r, z, n, the candidate
/// <c>n = tanh(W_in x + b_in + r·(W_hn h + b_hn))</c>. W_hh is packed once per pass (<see cref="PackForwardWeights"/>,
/// <see cref="PackBackwardWeights"/>) into panels a tile reads in order. Rows (samples) are cut into blocks over
/// <see cref="KernelThreads.Count"/> threads; a row's values are computed by the same operations in the same order in
/// any block, so results do not depend on the thread count.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static partial class GruStep
{
    /// <summary>Rows of a forward tile (4 rows x the 3 gates' vectors: 12 accumulators).</summary>
    private const int ForwardTileRows = 4;

    /// <summary>Floats of W_hh packed for <see cref="Forward"/>: per block of eight units, the r, z and n columns of every k.</summary>
    public static int ForwardWeightsLength(int units) => checked(UnitBlocks(units) * 8 * 3 * units);

    /// <summary>Floats of W_hh packed for <see cref="Backward"/>: per panel of sixteen units, W_hhᵀ's 3·units rows.</summary>
    public static int BackwardWeightsLength(int units) => TransposedLength(units, 3);

    /// <summary>
    /// Packs W_hh ([units, 3·units], row-major) for <see cref="Forward"/>: block u (units 8u to 8u + 7), step k hold 24
    /// floats, the r gate's eight columns, then z's, then n's; units past the last are zeros.
    /// </summary>
    /// <exception cref="ArgumentException">A span is shorter than the sizes need.</exception>
    public static void PackForwardWeights(int units, ReadOnlySpan<float> weightHh, Span<float> packed)
    {
        int width = 3 * units;
        CheckLength(nameof(weightHh), weightHh.Length, (long)units * width);
        CheckLength(nameof(packed), packed.Length, ForwardWeightsLength(units));
        int at = 0;
        for (int block = 0; block < UnitBlocks(units); block++)
        {
            for (int k = 0; k < units; k++)
            {
                for (int gate = 0; gate < 3; gate++)
                {
                    int column = gate * units + 8 * block;
                    for (int lane = 0; lane < 8; lane++)
                    {
                        packed[at++] = 8 * block + lane < units ? weightHh[k * width + column + lane] : 0f;
                    }
                }
            }
        }
    }

    /// <summary>
    /// Packs W_hh ([units, 3·units], row-major) for <see cref="Backward"/> as W_hhᵀ in panels: panel q (units 16q to
    /// 16q + 15), row k of 3·units holds the panel's 16 values <c>W_hh[16q + lane, k]</c>; units past the last are zeros.
    /// </summary>
    /// <exception cref="ArgumentException">A span is shorter than the sizes need.</exception>
    public static void PackBackwardWeights(int units, ReadOnlySpan<float> weightHh, Span<float> packed)
    {
        CheckLength(nameof(weightHh), weightHh.Length, (long)units * 3 * units);
        CheckLength(nameof(packed), packed.Length, BackwardWeightsLength(units));
        PackTransposed(units, 3, weightHh, packed);
    }

    private static void CheckLength(string name, int length, long needed)
    {
        if (length < needed)
            throw new ArgumentException($"{name} holds {length} values; the GRU step needs {needed}.", name);
    }

    /// <summary>Checks the buffers every step kernel shares (step-major, as <see cref="GruCell"/> describes).</summary>
    private static void CheckStep(int batch, int units, int steps, int step, int gates, int resetHidden, int hidden)
    {
        if (batch < 0 || units <= 0 || steps <= 0 || (uint)step >= (uint)steps)
            throw new ArgumentOutOfRangeException(nameof(step), $"A GRU step needs batch ≥ 0, units > 0 and 0 ≤ step < steps; got batch {batch}, units {units}, step {step} of {steps}.");
        long rows = (long)steps * batch;
        CheckLength(nameof(gates), gates, rows * 3 * units);
        CheckLength(nameof(resetHidden), resetHidden, rows * units);
        CheckLength(nameof(hidden), hidden, (rows + batch) * units);
    }

    /// <summary>Threads for a step of <paramref name="batch"/> rows, and the row blocks they share: multiples of twelve
    /// rows, whole tiles of both kernels.</summary>
    private static (int Parts, int RowsPerBlock) Split(int batch, int units) =>
        RecurrentTiles.Split(batch, (long)batch * units * 3 * units, 12);
}
