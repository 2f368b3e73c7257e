using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using static SourceNet.Kernels.RecurrentTiles;

namespace SourceNet.Kernels;

// The fused backward step. dLoss/dh of this step is dZ(t+1)·W_hhᵀ (plus this step's share of the output's gradient),
// computed in tiles of up to 6 rows x 16 units (12 accumulators, two vectors of the packed W_hhᵀ, one broadcast of
// dZ), over k = 0 .. 4·units − 1 in order; the cell's derivatives then run on the sums in registers and write this
// step's dZ and dLoss/dc of the step before. Unit panels outer, row tiles inner, as in the forward kernel.
public static partial class LstmStep
{
    /// <summary>
    /// Step <paramref name="step"/> of backpropagation through time. dLoss/dh of this step is
    /// <c>dZ(step + 1)·W_hhᵀ</c> (dZ of the step after, read from <paramref name="gateGradients"/>), or, at the last
    /// step, <paramref name="lastHiddenGradient"/> ([batch, units], empty for zeros); when
    /// <paramref name="outputGradient"/> is not empty (the layer returns sequences) this step's share of it,
    /// sample-major [batch, steps, units], is added. <paramref name="cellGradient"/> holds dLoss/dc from the step after
    /// (zeros at the last step) and leaves with dLoss/dc of the step before. Writes dLoss/dz of the four gates'
    /// pre-activations to step <paramref name="step"/> of <paramref name="gateGradients"/> ([steps, batch, 4·units]).
    /// <paramref name="gateGradients"/> may be <paramref name="gates"/> itself: each value of dZ is written after the
    /// gates of its row and units are read, and only by the tile that read them; a step's product reads dZ of the step
    /// after, already written. The generated code does so, which keeps a 4·units-per-step buffer out of the caches.
    /// </summary>
    /// <param name="batch">Samples.</param>
    /// <param name="units">Units of the state.</param>
    /// <param name="steps">Steps of the sequence.</param>
    /// <param name="step">This step.</param>
    /// <param name="packedWeights">W_hh packed by <see cref="PackBackwardWeights"/>.</param>
    /// <param name="gates">The activated gates, [steps, batch, 4·units].</param>
    /// <param name="cells">[steps + 1, batch, units].</param>
    /// <param name="cellTanh">[steps, batch, units].</param>
    /// <param name="lastHiddenGradient">dLoss/dh of the last step, [batch, units], or empty.</param>
    /// <param name="outputGradient">[batch, steps, units], or empty.</param>
    /// <param name="cellGradient">[batch, units].</param>
    /// <param name="gateGradients">[steps, batch, 4·units].</param>
    /// <exception cref="ArgumentException">A span is shorter than the sizes need.</exception>
    public static void Backward(int batch, int units, int steps, int step, ReadOnlySpan<float> packedWeights, ReadOnlySpan<float> gates,
        ReadOnlySpan<float> cells, ReadOnlySpan<float> cellTanh, ReadOnlySpan<float> lastHiddenGradient, ReadOnlySpan<float> outputGradient,
        Span<float> cellGradient, Span<float> gateGradients) =>
        Backward(batch, units, steps, step, packedWeights, gates, cells, cellTanh, lastHiddenGradient, outputGradient, cellGradient, gateGradients, default);

    /// <summary>
    /// <see cref="Backward(int, int, int, int, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float})"/>
    /// for rows that share their first steps (<paramref name="sharedSteps"/>, from <see cref="FindSharedSteps"/>; empty
    /// for none): at step t, the rows sharing steps 0 to t with the first of them hand it what they carry, and the
    /// steps before run for it alone. dZ of step t is linear in dLoss/dh and dLoss/dc with coefficients that only
    /// depend on the step's forward values, which those rows share; so after the step, each such row's dZ is added to
    /// the first row's and set to zero, and its dLoss/dc likewise, and the steps before skip it (its dZ there is zero).
    /// The gradients of the weights and biases (sums over rows of dZ, or of a shared input or state times dZ) are then
    /// those of the whole batch, rounded differently; each row's own dZ is not, so this is for a layer whose input
    /// gradient nothing reads, and whose output is the last state alone (<paramref name="outputGradient"/> empty). A
    /// batch of more than <see cref="RecurrentTiles.ListedRows"/> rows runs every row (FindSharedSteps gives
    /// it none to share).
    /// </summary>
    /// <exception cref="ArgumentException">A span is shorter than the sizes need, a shared row count is out of range,
    /// or <paramref name="outputGradient"/> is given with <paramref name="sharedSteps"/>.</exception>
    public static unsafe void Backward(int batch, int units, int steps, int step, ReadOnlySpan<float> packedWeights, ReadOnlySpan<float> gates,
        ReadOnlySpan<float> cells, ReadOnlySpan<float> cellTanh, ReadOnlySpan<float> lastHiddenGradient, ReadOnlySpan<float> outputGradient,
        Span<float> cellGradient, Span<float> gateGradients, ReadOnlySpan<int> sharedSteps)
    {
        CheckStep(batch, units, steps, step, gates.Length, cells.Length, cellTanh.Length);
        CheckLength(nameof(packedWeights), packedWeights.Length, BackwardWeightsLength(units));
        CheckLength(nameof(gateGradients), gateGradients.Length, (long)steps * batch * 4 * units);
        CheckLength(nameof(cellGradient), cellGradient.Length, (long)batch * units);
        if (!lastHiddenGradient.IsEmpty)
            CheckLength(nameof(lastHiddenGradient), lastHiddenGradient.Length, (long)batch * units);
        if (!outputGradient.IsEmpty)
            CheckLength(nameof(outputGradient), outputGradient.Length, (long)batch * steps * units);
        bool sharing = !sharedSteps.IsEmpty && batch <= ListedRows;
        if (!sharedSteps.IsEmpty)
            CheckSharedSteps(batch, steps, sharedSteps, outputGradient.IsEmpty);
        if (batch == 0)
            return;
        bool last = step == steps - 1;
        // The rows this step carries: all of them, or those not handed to another row at a later step.
        int* carried = stackalloc int[sharing ? batch : 1];
        // The row that kept the shared rows' share at the step after this one (−1 for none).
        int keeperOfStepAfter = sharing ? FirstSharing(sharedSteps, batch, step + 1) : -1;
        int count = sharing ? CarriedRows(batch, step, sharedSteps, keeperOfStepAfter, carried) : batch;
        (int parts, int rowsPerBlock) = last ? (1, count) : Split(count, units);
        fixed (float* pw = packedWeights)
        fixed (float* pg = gates)
        fixed (float* pc = cells)
        fixed (float* pt = cellTanh)
        fixed (float* pl = lastHiddenGradient)
        fixed (float* po = outputGradient)
        fixed (float* pdc = cellGradient)
        fixed (float* pdz = gateGradients)
        {
            nint gateBlock = (nint)step * batch * 4 * units, state = (nint)step * batch * units;
            var work = new BackwardWork
            {
                Weights = pw,
                NextGateGradients = last ? null : pdz + gateBlock + (nint)batch * 4 * units,
                LastHidden = last && !lastHiddenGradient.IsEmpty ? pl : null,
                Output = outputGradient.IsEmpty ? null : po + (nint)step * units,
                OutputStride = steps * units,
                Gates = pg + gateBlock,
                CellsIn = pc + state,
                CellTanh = pt + state,
                CellGradient = pdc,
                GateGradients = pdz + gateBlock,
                Rows = sharing ? carried : null,
                Batch = count,
                Units = units,
                RowsPerBlock = rowsPerBlock,
            };
            if (parts <= 1 && OfferRows<BackwardWork>(count) is int half and > 0)
            {
                work.RowsPerBlock = half;
                ChunkHelp.RunOffered(work);
            }
            else
                BlockRunner.Run(work, parts);
            if (sharing)
                HandOverSharedRows(batch, units, step, sharedSteps, keeperOfStepAfter, pdc, pdz + gateBlock);
        }
    }

    private unsafe struct BackwardWork : IBlockWork, IBackwardEpilogue
    {
        public float* Weights;
        public float* NextGateGradients;
        public float* LastHidden;
        public float* Output;
        public int OutputStride;
        public float* Gates;
        public float* CellsIn;
        public float* CellTanh;
        public float* CellGradient;
        public float* GateGradients;
        /// <summary>The rows the step carries (<see cref="Batch"/> of them), or null for rows 0 to Batch − 1.</summary>
        public int* Rows;
        public int Batch;
        public int Units;
        public int RowsPerBlock;

        public readonly int Blocks => (Batch + RowsPerBlock - 1) / RowsPerBlock;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public readonly unsafe void RunBlock(int block)
        {
            int first = block * RowsPerBlock, end = Math.Min(Batch, first + RowsPerBlock);
            if (Rows != null)
                RunBackwardRows(this, Rows + first, end - first, Units, 4 * Units, Weights, NextGateGradients, LastHidden);
            else
                RunBackwardRows(this, first, end, Units, 4 * Units, Weights, NextGateGradients, LastHidden);
        }

        public readonly void Row(int row, int unit, int valid, Vector256<float> dh) => BackwardRow(this, row, unit, valid, dh);

        public readonly unsafe void Pair(int row, int unit, int valid0, int valid1, Vector256<float>* sums) => BackwardPair(this, row, unit, valid0, valid1, sums);

        public readonly unsafe void Prefetch(int* rows, int count, int unit) => PrefetchBackwardEpilogue(this, rows, count, unit);
    }

    /// <summary>The lines <see cref="BackwardRow"/> reads and writes for 16 units of the listed rows: the gates, dZ,
    /// tanh c', c and dLoss/dc (see <see cref="Prefetch"/>).</summary>
    // Out of line, so its loop does not take registers from the tile's sums.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static unsafe void PrefetchBackwardEpilogue(in BackwardWork w, int* rows, int listed, int unit)
    {
        int units = w.Units, count = Math.Min(16, units - unit);
        for (int i = 0; i < listed; i++)
        {
            int r = rows[i];
            float* gates = w.Gates + (nint)r * 4 * units + unit;
            float* dz = w.GateGradients + (nint)r * 4 * units + unit;
            for (int gate = 0; gate < 4; gate++)
            {
                Prefetch(gates + gate * units, count);
                Prefetch(dz + gate * units, count);
            }
            nint state = (nint)r * units + unit;
            Prefetch(w.CellTanh + state, count);
            Prefetch(w.CellsIn + state, count);
            Prefetch(w.CellGradient + state, count);
        }
    }

    /// <summary>The epilogue of one row's two vectors of units (the second may be partly or wholly past the last unit).</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static unsafe void BackwardPair(in BackwardWork w, int row, int unit, int valid0, int valid1, Vector256<float>* sums)
    {
        BackwardRow(w, row, unit, valid0, sums[0]);
        if (valid1 > 0)
            BackwardRow(w, row, unit + 8, valid1, sums[1]);
    }

    /// <summary>
    /// The cell's derivatives for eight units of one row, from dLoss/dh of the product (or the last step's):
    /// dc += dh·o·(1 − tanh²c'), then dz_i = dc·g·i(1 − i), dz_f = dc·c·f(1 − f), dz_g = dc·i·(1 − g²),
    /// dz_o = dh·tanh c'·o(1 − o), and dc of the step before = dc·f.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void BackwardRow(in BackwardWork w, int row, int unit, int valid, Vector256<float> dh)
    {
        int units = w.Units;
        nint state = (nint)row * units + unit;
        if (w.Output != null)
            dh += LoadUnits(w.Output + (nint)row * w.OutputStride + unit, valid);
        float* gates = w.Gates + (nint)row * 4 * units + unit;
        float* dz = w.GateGradients + (nint)row * 4 * units + unit;
        Vector256<float> one = Vector256<float>.One;
        Vector256<float> i = LoadUnits(gates, valid), f = LoadUnits(gates + units, valid);
        Vector256<float> g = LoadUnits(gates + 2 * units, valid), o = LoadUnits(gates + 3 * units, valid);
        Vector256<float> tanhC = LoadUnits(w.CellTanh + state, valid);
        Vector256<float> dc = LoadUnits(w.CellGradient + state, valid) + dh * o * (one - tanhC * tanhC);
        StoreUnits(dc * g * i * (one - i), dz, valid);
        StoreUnits(dc * LoadUnits(w.CellsIn + state, valid) * f * (one - f), dz + units, valid);
        StoreUnits(dc * i * (one - g * g), dz + 2 * units, valid);
        StoreUnits(dh * tanhC * o * (one - o), dz + 3 * units, valid);
        StoreUnits(dc * f, w.CellGradient + state, valid);
    }
}
