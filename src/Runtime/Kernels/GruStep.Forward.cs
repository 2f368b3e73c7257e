using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using static SourceNet.Kernels.RecurrentTiles;

namespace SourceNet.Kernels;

// The fused forward step. A tile is up to 4 rows x 3 vectors (12 accumulators + 3 weight vectors + 1 broadcast of
// AVX2's 16 registers), the three vectors being the r, z and n gates of one block of eight units, so the epilogue has
// everything the cell needs in one pass: n needs r, h' needs z and n. Unit blocks outer, row tiles inner: a block's
// packed weights (units x 24 floats) stay in L1 while every row tile of the block uses them.
public static partial class GruStep
{
    /// <summary>
    /// Step <paramref name="step"/> of the forward pass: on entry <c>gates[step]</c> holds the input projection (with
    /// <c>b_ih</c>); with <c>s = h·W_hh + b_hh</c>, r = σ(x_r + s_r), z = σ(x_z + s_z) and
    /// n = tanh(x_n + r·s_n) are stored over it, s_n at step <paramref name="step"/> of <paramref name="resetHidden"/>,
    /// and <c>h' = (1 − z)·n + z·h</c> at step + 1 of <paramref name="hidden"/>; when <paramref name="sequence"/> is not
    /// empty, h' is also written to it sample-major ([batch, steps, units]).
    /// </summary>
    /// <param name="batch">Samples.</param>
    /// <param name="units">Units of the state.</param>
    /// <param name="steps">Steps of the sequence.</param>
    /// <param name="step">This step.</param>
    /// <param name="packedWeights">W_hh packed by <see cref="PackForwardWeights"/>.</param>
    /// <param name="biasHh">b_hh, 3·units.</param>
    /// <param name="gates">[steps, batch, 3·units].</param>
    /// <param name="resetHidden">[steps, batch, units]: <c>W_hn h + b_hn</c> of each step.</param>
    /// <param name="hidden">[steps + 1, batch, units].</param>
    /// <param name="sequence">[batch, steps, units], or empty.</param>
    /// <exception cref="ArgumentException">A span is shorter than the sizes need.</exception>
    public static unsafe void Forward(int batch, int units, int steps, int step, ReadOnlySpan<float> packedWeights, ReadOnlySpan<float> biasHh,
        Span<float> gates, Span<float> resetHidden, Span<float> hidden, Span<float> sequence)
    {
        CheckStep(batch, units, steps, step, gates.Length, resetHidden.Length, hidden.Length);
        CheckLength(nameof(packedWeights), packedWeights.Length, ForwardWeightsLength(units));
        CheckLength(nameof(biasHh), biasHh.Length, 3L * units);
        if (!sequence.IsEmpty)
            CheckLength(nameof(sequence), sequence.Length, (long)batch * steps * units);
        if (batch == 0)
            return;
        (int parts, int rowsPerBlock) = Split(batch, units);
        fixed (float* pw = packedWeights)
        fixed (float* pb = biasHh)
        fixed (float* pg = gates)
        fixed (float* pr = resetHidden)
        fixed (float* ph = hidden)
        fixed (float* ps = sequence)
        {
            nint state = (nint)step * batch * units;
            var work = new ForwardWork
            {
                Weights = pw,
                BiasHh = pb,
                Gates = pg + (nint)step * batch * 3 * units,
                ResetHidden = pr + state,
                HiddenIn = ph + state,
                ZeroState = IsZero(ph + state, (nint)batch * units),
                HiddenOut = ph + state + (nint)batch * units,
                Sequence = sequence.IsEmpty ? null : ps + (nint)step * units,
                SequenceStride = steps * units,
                Batch = batch,
                Units = units,
                RowsPerBlock = rowsPerBlock,
            };
            BlockRunner.Run(work, parts);
        }
    }

    private unsafe struct ForwardWork : IBlockWork
    {
        public float* Weights;
        public float* BiasHh;
        public float* Gates;
        public float* ResetHidden;
        public float* HiddenIn;
        /// <summary>Whether every value of h is zero (the first step from a zero initial state): h·W_hh is then +0 in
        /// every sum wherever W_hh is finite (each chain adds ±0 to +0), and the tiles skip it.</summary>
        public bool ZeroState;
        public float* HiddenOut;
        public float* Sequence;
        public int SequenceStride;
        public int Batch;
        public int Units;
        public int RowsPerBlock;

        public readonly int Blocks => (Batch + RowsPerBlock - 1) / RowsPerBlock;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public readonly unsafe void RunBlock(int block)
        {
            int first = block * RowsPerBlock, end = Math.Min(Batch, first + RowsPerBlock);
            int blocks = UnitBlocks(Units);
            Vector256<float>* sums = stackalloc Vector256<float>[12];
            if (end - first == 1)
            {
                // One sample (inference on a single sequence): 3 vectors of one row would be three FMA chains, too few
                // for two pipes. Four unit blocks fill the 12 accumulators instead.
                int u = 0;
                for (; u + 4 <= blocks; u += 4)
                    ForwardRow<Count4>(this, first, u, sums);
                switch (blocks - u)
                {
                    case 1: ForwardRow<Count1>(this, first, u, sums); break;
                    case 2: ForwardRow<Count2>(this, first, u, sums); break;
                    case 3: ForwardRow<Count3>(this, first, u, sums); break;
                }
                return;
            }
            for (int u = 0; u < blocks; u++)
            {
                int row = first;
                for (; row + ForwardTileRows <= end; row += ForwardTileRows)
                    ForwardTile<Count4>(this, row, u, sums);
                switch (end - row)
                {
                    case 1: ForwardTile<Count1>(this, row, u, sums); break;
                    case 2: ForwardTile<Count2>(this, row, u, sums); break;
                    case 3: ForwardTile<Count3>(this, row, u, sums); break;
                }
            }
        }
    }

    /// <summary>Rows [row, row + TRows) of unit block <paramref name="unitBlock"/>, its three gates.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void ForwardTile<TRows>(in ForwardWork w, int row, int unitBlock, Vector256<float>* sums)
        where TRows : struct, ITileCount
    {
        int rows = TRows.Value, units = w.Units;
        // The sums start from zero; the epilogue adds b_hh and the input projection.
        Vector256<float> c00 = default, c01 = default, c02 = default, c10 = default, c11 = default, c12 = default;
        Vector256<float> c20 = default, c21 = default, c22 = default, c30 = default, c31 = default, c32 = default;
        float* b = w.Weights + (nint)unitBlock * units * 24;
        float* a0 = w.HiddenIn + (nint)row * units;
        float* a1 = a0 + units, a2 = a1 + units, a3 = a2 + units;
        for (nint k = 0, depth = w.ZeroState ? 0 : units; k < depth; k++, b += 24)
        {
            Vector256<float> br = Vector256.Load(b), bz = Vector256.Load(b + 8), bn = Vector256.Load(b + 16);
            Vector256<float> a = Vector256.Create(a0[k]);
            c00 = MultiplyAdd.Vector(a, br, c00); c01 = MultiplyAdd.Vector(a, bz, c01); c02 = MultiplyAdd.Vector(a, bn, c02);
            if (rows > 1)
            {
                a = Vector256.Create(a1[k]);
                c10 = MultiplyAdd.Vector(a, br, c10); c11 = MultiplyAdd.Vector(a, bz, c11); c12 = MultiplyAdd.Vector(a, bn, c12);
            }
            if (rows > 2)
            {
                a = Vector256.Create(a2[k]);
                c20 = MultiplyAdd.Vector(a, br, c20); c21 = MultiplyAdd.Vector(a, bz, c21); c22 = MultiplyAdd.Vector(a, bn, c22);
            }
            if (rows > 3)
            {
                a = Vector256.Create(a3[k]);
                c30 = MultiplyAdd.Vector(a, br, c30); c31 = MultiplyAdd.Vector(a, bz, c31); c32 = MultiplyAdd.Vector(a, bn, c32);
            }
        }
        // Through memory, so no accumulator is live across the epilogue's calls.
        sums[0] = c00; sums[1] = c01; sums[2] = c02; sums[3] = c10; sums[4] = c11; sums[5] = c12;
        sums[6] = c20; sums[7] = c21; sums[8] = c22; sums[9] = c30; sums[10] = c31; sums[11] = c32;
        Epilogue(w, row, rows, unitBlock, sums);
    }

    /// <summary>
    /// Row <paramref name="row"/> alone, over TBlocks unit blocks from <paramref name="unitBlock"/>: 3·TBlocks
    /// accumulators. Each sum is the same chain of FMAs over the state, from zero, as in
    /// <see cref="ForwardTile{TRows}"/>, and the epilogue is the same, so a sample's values equal its row's in a batch.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void ForwardRow<TBlocks>(in ForwardWork w, int row, int unitBlock, Vector256<float>* sums)
        where TBlocks : struct, ITileCount
    {
        int blocks = TBlocks.Value, units = w.Units;
        Vector256<float> c00 = default, c01 = default, c02 = default, c10 = default, c11 = default, c12 = default;
        Vector256<float> c20 = default, c21 = default, c22 = default, c30 = default, c31 = default, c32 = default;
        // Unit block u starts at u · units · 24 and advances 24 floats a step.
        nint next = (nint)units * 24;
        float* b0 = w.Weights + unitBlock * next, b1 = b0 + next, b2 = b1 + next, b3 = b2 + next;
        float* a = w.HiddenIn + (nint)row * units;
        for (nint k = 0, depth = w.ZeroState ? 0 : units; k < depth; k++, b0 += 24, b1 += 24, b2 += 24, b3 += 24)
        {
            Vector256<float> x = Vector256.Create(a[k]);
            c00 = MultiplyAdd.Vector(x, Vector256.Load(b0), c00);
            c01 = MultiplyAdd.Vector(x, Vector256.Load(b0 + 8), c01);
            c02 = MultiplyAdd.Vector(x, Vector256.Load(b0 + 16), c02);
            if (blocks > 1)
            {
                c10 = MultiplyAdd.Vector(x, Vector256.Load(b1), c10);
                c11 = MultiplyAdd.Vector(x, Vector256.Load(b1 + 8), c11);
                c12 = MultiplyAdd.Vector(x, Vector256.Load(b1 + 16), c12);
            }
            if (blocks > 2)
            {
                c20 = MultiplyAdd.Vector(x, Vector256.Load(b2), c20);
                c21 = MultiplyAdd.Vector(x, Vector256.Load(b2 + 8), c21);
                c22 = MultiplyAdd.Vector(x, Vector256.Load(b2 + 16), c22);
            }
            if (blocks > 3)
            {
                c30 = MultiplyAdd.Vector(x, Vector256.Load(b3), c30);
                c31 = MultiplyAdd.Vector(x, Vector256.Load(b3 + 8), c31);
                c32 = MultiplyAdd.Vector(x, Vector256.Load(b3 + 16), c32);
            }
        }
        sums[0] = c00; sums[1] = c01; sums[2] = c02; sums[3] = c10; sums[4] = c11; sums[5] = c12;
        sums[6] = c20; sums[7] = c21; sums[8] = c22; sums[9] = c30; sums[10] = c31; sums[11] = c32;
        // The epilogue reads a one-row tile's three gates from its first three slots.
        for (int j = 0; j < blocks; j++)
            Epilogue(w, row, 1, unitBlock + j, sums + 3 * j);
    }

    /// <summary>The epilogue of a tile, on a full or the last, partial block of units.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Epilogue(in ForwardWork w, int row, int rows, int unitBlock, Vector256<float>* sums)
    {
        int unit = 8 * unitBlock, valid = Math.Min(8, w.Units - unit);
        if (valid == 8)
            Epilogue<FullBlock>(w, row, rows, unit, valid, sums);
        else
            Epilogue<PartialBlock>(w, row, rows, unit, valid, sums);
    }

    /// <summary>
    /// r = σ(x_r + s_r + b_hr), z = σ(x_z + s_z + b_hz), s_n' = s_n + b_hn kept for the backward pass,
    /// n = tanh(x_n + r·s_n'), h' = n + z·(h − n), for each of the tile's rows. Each row's work is independent of the
    /// others', so the core overlaps their chains (σ, then tanh, then h'). Inlined into the two dispatching calls
    /// above only, so the tile's loop keeps its registers for the sums.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Epilogue<TBlock>(in ForwardWork w, int row, int rows, int unit, int valid, Vector256<float>* sums)
        where TBlock : struct, IUnitBlock
    {
        int units = w.Units, width = 3 * units;
        Vector256<float> biasR = LoadUnits<TBlock>(w.BiasHh + unit, valid);
        Vector256<float> biasZ = LoadUnits<TBlock>(w.BiasHh + units + unit, valid);
        Vector256<float> biasN = LoadUnits<TBlock>(w.BiasHh + 2 * units + unit, valid);
        float* gates = w.Gates + (nint)row * width + unit;
        for (int r = 0; r < rows; r++, gates += width)
        {
            nint state = (nint)(row + r) * units + unit;
            Vector256<float> reset = FastMath.Sigmoid(sums[3 * r] + (LoadUnits<TBlock>(gates, valid) + biasR));
            Vector256<float> update = FastMath.Sigmoid(sums[3 * r + 1] + (LoadUnits<TBlock>(gates + units, valid) + biasZ));
            Vector256<float> resetHidden = sums[3 * r + 2] + biasN;
            Vector256<float> candidate = FastMath.Tanh(MultiplyAdd.Vector(reset, resetHidden, LoadUnits<TBlock>(gates + 2 * units, valid)));
            // h' = n + z·(h − n)
            Vector256<float> h = MultiplyAdd.Vector(update, LoadUnits<TBlock>(w.HiddenIn + state, valid) - candidate, candidate);
            StoreUnits<TBlock>(reset, gates, valid);
            StoreUnits<TBlock>(update, gates + units, valid);
            StoreUnits<TBlock>(candidate, gates + 2 * units, valid);
            StoreUnits<TBlock>(resetHidden, w.ResetHidden + state, valid);
            StoreUnits<TBlock>(h, w.HiddenOut + state, valid);
            if (w.Sequence != null)
                StoreUnits<TBlock>(h, w.Sequence + (nint)(row + r) * w.SequenceStride + unit, valid);
        }
    }
}
