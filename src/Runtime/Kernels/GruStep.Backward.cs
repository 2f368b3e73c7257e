using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using static SourceNet.Kernels.RecurrentTiles;

namespace SourceNet.Kernels;

// The fused backward step. dLoss/dh of this step is dZ_hidden(t+1)·W_hhᵀ plus the direct path z(t+1)·dh(t+1) (plus this
// step's share of the output's gradient), computed in tiles of up to 6 rows x 16 units (RecurrentTiles.SumPanel) over
// k = 0 .. 3·units − 1 in order, the direct path added in the tile's epilogue; the cell's derivatives then run over the
// same rows (on the same thread, while dLoss/dh is in L1) and write this step's gate gradients of both sides and the
// direct path to the step before. Unit panels outer, row tiles inner, as in the forward kernel.
public static partial class GruStep
{
    /// <summary>
    /// Step <paramref name="step"/> of backpropagation through time. dLoss/dh of this step is
    /// <c>dZ_hidden(step + 1)·W_hhᵀ + direct</c> (dZ_hidden of the step after, read from
    /// <paramref name="hiddenGateGradients"/>; <paramref name="directGradient"/> holds z·dh of the step after), or, at
    /// the last step, <paramref name="lastHiddenGradient"/> ([batch, units], empty for zeros; the direct path is not
    /// read); when <paramref name="outputGradient"/> is not empty (the layer returns sequences) this step's share of it,
    /// sample-major [batch, steps, units], is added. Writes dLoss/d(pre-activation) of the input side
    /// (<c>W_ih x + b_ih</c>: dr, dz, dn) to <paramref name="inputGateGradients"/> and of the hidden side
    /// (<c>W_hh h + b_hh</c>: dr, dz, r·dn) to <paramref name="hiddenGateGradients"/>, both at step
    /// <paramref name="step"/> of [steps, batch, 3·units], and z·dh of this step over <paramref name="directGradient"/>.
    /// </summary>
    /// <param name="batch">Samples.</param>
    /// <param name="units">Units of the state.</param>
    /// <param name="steps">Steps of the sequence.</param>
    /// <param name="step">This step.</param>
    /// <param name="packedWeights">W_hh packed by <see cref="PackBackwardWeights"/>.</param>
    /// <param name="gates">The activated gates, [steps, batch, 3·units].</param>
    /// <param name="resetHidden">[steps, batch, units]: <c>W_hn h + b_hn</c> of each step.</param>
    /// <param name="hidden">[steps + 1, batch, units].</param>
    /// <param name="lastHiddenGradient">dLoss/dh of the last step, [batch, units], or empty.</param>
    /// <param name="outputGradient">[batch, steps, units], or empty.</param>
    /// <param name="directGradient">[batch, units].</param>
    /// <param name="inputGateGradients">[steps, batch, 3·units].</param>
    /// <param name="hiddenGateGradients">[steps, batch, 3·units].</param>
    /// <exception cref="ArgumentException">A span is shorter than the sizes need.</exception>
    public static unsafe void Backward(int batch, int units, int steps, int step, ReadOnlySpan<float> packedWeights, ReadOnlySpan<float> gates,
        ReadOnlySpan<float> resetHidden, ReadOnlySpan<float> hidden, ReadOnlySpan<float> lastHiddenGradient, ReadOnlySpan<float> outputGradient,
        Span<float> directGradient, Span<float> inputGateGradients, Span<float> hiddenGateGradients)
    {
        CheckStep(batch, units, steps, step, gates.Length, resetHidden.Length, hidden.Length);
        CheckLength(nameof(packedWeights), packedWeights.Length, BackwardWeightsLength(units));
        CheckLength(nameof(inputGateGradients), inputGateGradients.Length, (long)steps * batch * 3 * units);
        CheckLength(nameof(hiddenGateGradients), hiddenGateGradients.Length, (long)steps * batch * 3 * units);
        CheckLength(nameof(directGradient), directGradient.Length, (long)batch * units);
        if (!lastHiddenGradient.IsEmpty)
            CheckLength(nameof(lastHiddenGradient), lastHiddenGradient.Length, (long)batch * units);
        if (!outputGradient.IsEmpty)
            CheckLength(nameof(outputGradient), outputGradient.Length, (long)batch * steps * units);
        if (batch == 0)
            return;
        bool last = step == steps - 1;
        (int parts, int rowsPerBlock) = last ? (1, batch) : Split(batch, units);
        fixed (float* pw = packedWeights)
        fixed (float* pg = gates)
        fixed (float* pr = resetHidden)
        fixed (float* ph = hidden)
        fixed (float* pl = lastHiddenGradient)
        fixed (float* po = outputGradient)
        fixed (float* pd = directGradient)
        fixed (float* pi = inputGateGradients)
        fixed (float* pz = hiddenGateGradients)
        {
            nint gateBlock = (nint)step * batch * 3 * units, state = (nint)step * batch * units;
            var work = new BackwardWork
            {
                Weights = pw,
                NextHiddenGateGradients = last ? null : pz + gateBlock + (nint)batch * 3 * units,
                LastHidden = last && !lastHiddenGradient.IsEmpty ? pl : null,
                Output = outputGradient.IsEmpty ? null : po + (nint)step * units,
                OutputStride = steps * units,
                Gates = pg + gateBlock,
                ResetHidden = pr + state,
                HiddenIn = ph + state,
                Direct = pd,
                InputGateGradients = pi + gateBlock,
                HiddenGateGradients = pz + gateBlock,
                Batch = batch,
                Units = units,
                RowsPerBlock = rowsPerBlock,
            };
            BlockRunner.Run(work, parts);
        }
    }

    private unsafe struct BackwardWork : IBlockWork, IBackwardEpilogue
    {
        public float* Weights;
        public float* NextHiddenGateGradients;
        public float* LastHidden;
        public float* Output;
        public int OutputStride;
        public float* Gates;
        public float* ResetHidden;
        public float* HiddenIn;
        public float* Direct;
        public float* InputGateGradients;
        public float* HiddenGateGradients;
        public int Batch;
        public int Units;
        public int RowsPerBlock;

        public readonly int Blocks => (Batch + RowsPerBlock - 1) / RowsPerBlock;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public readonly unsafe void RunBlock(int block)
        {
            int first = block * RowsPerBlock, end = Math.Min(Batch, first + RowsPerBlock);
            // The product, its epilogue leaving dLoss/dh in the direct path's buffer (at the last step, the cell's
            // derivatives from the given dLoss/dh, row by row).
            RunBackwardRows(this, first, end, Units, 3 * Units, Weights, NextHiddenGateGradients, LastHidden);
            if (NextHiddenGateGradients == null)
                return;
            // The cell's derivatives on the block's rows, one row after the other: each row's gates, states and both
            // sides' gradients are contiguous, so the loads and stores stream. In the tiles' epilogue (6 rows x 16
            // units at a time, a dozen cache lines of as many arrays per row) they took as long as the product.
            for (int row = first; row < end; row++)
            {
                float* dh = Direct + (nint)row * Units;
                for (int unit = 0; unit < Units; unit += 8)
                {
                    int valid = Math.Min(8, Units - unit);
                    BackwardRow(this, row, unit, valid, LoadUnits(dh + unit, valid));
                }
            }
        }

        // The last step has no direct path: dLoss/dh is given.
        public readonly void Row(int row, int unit, int valid, Vector256<float> dh) => BackwardRow(this, row, unit, valid, dh);

        public readonly unsafe void Pair(int row, int unit, int valid0, int valid1, Vector256<float>* sums) => BackwardPair(this, row, unit, valid0, valid1, sums);

        // The tile's epilogue reads one row of dLoss/dh' and z*dh, written by the step just before: still in cache.
        public readonly unsafe void Prefetch(int* rows, int count, int unit)
        {
        }
    }

    /// <summary>The epilogue of one row's two vectors of units (the second may be partly or wholly past the last unit):
    /// the product's sums plus the direct path are dLoss/dh (less this step's share of the output's gradient), stored
    /// over the direct path for <see cref="BackwardRow"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void BackwardPair(in BackwardWork w, int row, int unit, int valid0, int valid1, Vector256<float>* sums)
    {
        float* direct = w.Direct + (nint)row * w.Units + unit;
        StoreUnits(sums[0] + LoadUnits(direct, valid0), direct, valid0);
        if (valid1 > 0)
            StoreUnits(sums[1] + LoadUnits(direct + 8, valid1), direct + 8, valid1);
    }

    /// <summary>
    /// The cell's derivatives for eight units of one row, from dLoss/dh (plus this step's share of the output's
    /// gradient): dn = dh·(1 − z)·(1 − n²), dz = dh·(h − n)·z(1 − z), dr = dn·s_n·r(1 − r); the input side gets
    /// (dr, dz, dn), the hidden side (dr, dz, r·dn), and the direct path to the step before z·dh.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void BackwardRow(in BackwardWork w, int row, int unit, int valid, Vector256<float> dh)
    {
        int units = w.Units, width = 3 * units;
        nint state = (nint)row * units + unit;
        if (w.Output != null)
            dh += LoadUnits(w.Output + (nint)row * w.OutputStride + unit, valid);
        float* gates = w.Gates + (nint)row * width + unit;
        float* input = w.InputGateGradients + (nint)row * width + unit;
        float* fromHidden = w.HiddenGateGradients + (nint)row * width + unit;
        Vector256<float> one = Vector256<float>.One;
        Vector256<float> r = LoadUnits(gates, valid), z = LoadUnits(gates + units, valid), n = LoadUnits(gates + 2 * units, valid);
        Vector256<float> dn = dh * (one - z) * (one - n * n);
        Vector256<float> dz = dh * (LoadUnits(w.HiddenIn + state, valid) - n) * z * (one - z);
        Vector256<float> dr = dn * LoadUnits(w.ResetHidden + state, valid) * r * (one - r);
        StoreUnits(dr, input, valid);
        StoreUnits(dz, input + units, valid);
        StoreUnits(dn, input + 2 * units, valid);
        StoreUnits(dr, fromHidden, valid);
        StoreUnits(dz, fromHidden + units, valid);
        StoreUnits(dn * r, fromHidden + 2 * units, valid);
        StoreUnits(dh * z, w.Direct + state, valid);
    }
}
