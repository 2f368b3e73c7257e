using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using static SourceNet.Kernels.RecurrentTiles;

namespace SourceNet.Kernels;

// The fused forward step. A tile is up to 6 rows x 2 vectors (12 accumulators + 2 weight vectors + 1 broadcast of
// AVX2's 16 registers), the two vectors being one gate pair of eight units. Pass 0 sums the (i, f) pair, adds
// the input projection and b_hh in the epilogue, and stores σ of both; pass 1 sums (g, o) and finishes the cell with the i and f
// just stored (still in L1). Unit blocks outer, row tiles inner: a block's packed weights (units x 16 floats per
// pass) stay in L1 while every row tile of the block uses them. From the inputs (LstmStep.ForwardFromInputs.cs), a
// pass's panel starts with b_ih and W_ih's rows, and the tile sums its projection before h·W_hh.
public static partial class LstmStep
{
    /// <summary>
    /// Step <paramref name="step"/> of the forward pass: on entry <c>gates[step]</c> holds the input projection
    /// (with <c>b_ih</c>); <c>z = gates[step] + h·W_hh + b_hh</c>, then i, f, o = σ(z) and g = tanh(z) are stored over
    /// it, <c>c' = f·c + i·g</c> and <c>h' = o·tanh(c')</c> at step + 1 of <paramref name="cells"/> and
    /// <paramref name="hidden"/>, tanh c' at step <paramref name="step"/> of <paramref name="cellTanh"/>; when
    /// <paramref name="sequence"/> is not empty, h' is also written to it sample-major ([batch, steps, units]).
    /// </summary>
    /// <param name="batch">Samples.</param>
    /// <param name="units">Units of the state.</param>
    /// <param name="steps">Steps of the sequence.</param>
    /// <param name="step">This step.</param>
    /// <param name="packedWeights">W_hh packed by <see cref="PackForwardWeights"/>.</param>
    /// <param name="biasHh">b_hh, 4·units.</param>
    /// <param name="gates">[steps, batch, 4·units].</param>
    /// <param name="cells">[steps + 1, batch, units].</param>
    /// <param name="cellTanh">[steps, batch, units].</param>
    /// <param name="hidden">[steps + 1, batch, units].</param>
    /// <param name="sequence">[batch, steps, units], or empty.</param>
    /// <exception cref="ArgumentException">A span is shorter than the sizes need.</exception>
    public static unsafe void Forward(int batch, int units, int steps, int step, ReadOnlySpan<float> packedWeights, ReadOnlySpan<float> biasHh,
        Span<float> gates, Span<float> cells, Span<float> cellTanh, Span<float> hidden, Span<float> sequence)
    {
        CheckStep(batch, units, steps, step, gates.Length, cells.Length, cellTanh.Length);
        CheckLength(nameof(packedWeights), packedWeights.Length, ForwardWeightsLength(units));
        CheckLength(nameof(biasHh), biasHh.Length, 4L * units);
        CheckLength(nameof(hidden), hidden.Length, ((long)steps + 1) * batch * units);
        if (!sequence.IsEmpty)
            CheckLength(nameof(sequence), sequence.Length, (long)batch * steps * units);
        if (batch == 0)
            return;
        fixed (float* pw = packedWeights)
        {
            var work = new ForwardWork { Weights = pw, PanelFloats = (nint)units * 16 };
            RunForward(ref work, batch, units, steps, step, biasHh, gates, cells, cellTanh, hidden, sequence);
        }
    }

    /// <summary>Runs the step's row blocks over the kernel threads: <paramref name="work"/> comes with its weights
    /// (and, for <see cref="ForwardFromInputs"/>, its inputs); the state's pointers are filled in here.</summary>
    private static unsafe void RunForward(ref ForwardWork work, int batch, int units, int steps, int step, ReadOnlySpan<float> biasHh,
        Span<float> gates, Span<float> cells, Span<float> cellTanh, Span<float> hidden, Span<float> sequence)
    {
        (int parts, int rowsPerBlock) = Split(batch, units);
        fixed (float* pb = biasHh)
        fixed (float* pg = gates)
        fixed (float* pc = cells)
        fixed (float* pt = cellTanh)
        fixed (float* ph = hidden)
        fixed (float* ps = sequence)
        {
            nint state = (nint)step * batch * units;
            work.BiasHh = pb;
            work.Gates = pg + (nint)step * batch * 4 * units;
            work.CellsIn = pc + state;
            work.CellsOut = pc + state + (nint)batch * units;
            work.CellTanh = pt + state;
            work.HiddenIn = ph + state;
            work.ZeroState = IsZero(work.HiddenIn, (nint)batch * units);
            work.HiddenOut = ph + state + (nint)batch * units;
            work.Sequence = sequence.IsEmpty ? null : ps + (nint)step * units;
            work.SequenceStride = steps * units;
            work.Batch = batch;
            work.Units = units;
            work.RowsPerBlock = rowsPerBlock;
            if (parts <= 1 && OfferRows<ForwardWork>(batch) is int half and > 0)
            {
                work.RowsPerBlock = half;
                ChunkHelp.RunOffered(work);
                return;
            }
            BlockRunner.Run(work, parts);
        }
    }

    /// <summary>
    /// Rows per block when a step of <paramref name="batch"/> rows on one thread offers them to a helper
    /// (<see cref="ChunkHelp.CanOfferWork{TWork}"/>: another thread of the step has finished its chunks and waits), else 0: two
    /// blocks of half the rows. A sample's steps depend on its own rows alone, and each row's values are the same in
    /// any block, so a helper may take either. Each step then waits for the other's block, which happens only when
    /// one core lags the other. On the shared 2-core VM, alternating with and without every ten steps in one process
    /// (fourteen runs of 400 training steps of sequential MNIST at 2 threads), the median step was 2-7% shorter with
    /// it in ten runs and the same (within 0.03 ms) in the other four.
    /// </summary>
    private static int OfferRows<TWork>(int batch)
        where TWork : struct, IBlockWork =>
        batch >= 12 && ChunkHelp.CanOfferWork<TWork>() ? (batch + 1) / 2 : 0;

    private unsafe struct ForwardWork : IBlockWork
    {
        /// <summary>The packed weights: a panel of <see cref="PanelFloats"/> per unit block and gate pair, W_hh's
        /// rows at <see cref="HiddenOffset"/> in it (after b_ih and W_ih's rows when <see cref="Inputs"/> is set).</summary>
        public float* Weights;
        public nint PanelFloats;
        public nint HiddenOffset;
        /// <summary>Row <c>step</c> of the step-major inputs ([batch, <see cref="InputCount"/>]), or null when the
        /// gates hold the input projection on entry (<see cref="Forward"/>).</summary>
        public float* Inputs;
        public int InputCount;
        public float* BiasHh;
        public float* Gates;
        public float* CellsIn;
        public float* CellsOut;
        public float* CellTanh;
        public float* HiddenIn;
        /// <summary>Whether every value of the state h is zero (the first step from a zero initial state): the
        /// product h·W_hh is then +0 in every sum wherever W_hh is finite, and the tiles skip it.</summary>
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
            // The tile's sums, then (from the inputs) its input projection.
            Vector256<float>* sums = stackalloc Vector256<float>[24];
            if (end - first == 1)
            {
                // One sample (inference on a single sequence): 2 vectors of one row would be two FMA chains, a
                // quarter of what two pipes need. Three unit blocks, both passes, fill the 12 accumulators instead.
                // The row's input projection first, for all its gates, so the steps below find it where Forward does.
                if (Inputs != null)
                    ProjectRow(this, first);
                int u = 0;
                for (; u + 3 <= blocks; u += 3)
                    ForwardRow<Count3>(this, first, u, sums);
                if (blocks - u == 2)
                    ForwardRow<Count2>(this, first, u, sums);
                else if (blocks - u == 1)
                    ForwardRow<Count1>(this, first, u, sums);
                return;
            }
            int size = Math.Min(end - first, ListedRows);
            int* rows = stackalloc int[size];
            ulong* columns = stackalloc ulong[(size + 5) / 6];
            for (int from = first; from < end; from += size)
                RunRows(from, Math.Min(end, from + size), rows, columns, sums);
        }

        /// <summary>
        /// Rows [first, end) in tiles of up to six listed rows (<see cref="TileRows"/>): the rows a copy of another
        /// stands for are left out of the list (<see cref="ListRows"/>) and copied once the others are done. From the
        /// inputs, which inputs each tile uses is found once for all 32 of its (unit block, pass) tiles.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private readonly unsafe void RunRows(int first, int end, int* rows, ulong* columns, Vector256<float>* sums)
        {
            int listed = ListRows(first, end, rows, out int representative);
            bool masked = Inputs != null && InputCount <= MaskedColumns;
            ulong all = AllColumns(InputCount);
            for (int i = 0, t = 0, count; i < listed; i += count, t++)
            {
                count = TileRows(listed - i);
                columns[t] = masked ? NonZeroColumns(Inputs, rows + i, count, InputCount, InputCount) : all;
            }
            for (int u = 0; u < UnitBlocks(Units); u++)
            {
                for (int pass = 0; pass < 2; pass++)
                {
                    for (int i = 0, t = 0, count; i < listed; i += count, t++)
                    {
                        count = TileRows(listed - i);
                        switch (count)
                        {
                            case 6: ForwardTile<Count6>(this, rows + i, u, pass, sums, columns[t]); break;
                            case 5: ForwardTile<Count5>(this, rows + i, u, pass, sums, columns[t]); break;
                            case 4: ForwardTile<Count4>(this, rows + i, u, pass, sums, columns[t]); break;
                            case 3: ForwardTile<Count3>(this, rows + i, u, pass, sums, columns[t]); break;
                            case 2: ForwardTile<Count2>(this, rows + i, u, pass, sums, columns[t]); break;
                            default: ForwardTile<Count1>(this, rows + i, u, pass, sums, columns[t]); break;
                        }
                    }
                }
            }
            for (int i = listed; i < end - first; i++)
                CopyRow(representative, rows[i]);
        }

        /// <summary>
        /// Lists in <paramref name="rows"/> the rows of [first, end) the step computes, and returns their count; after
        /// them, the rows whose input and state (x_t, h and c) have the bits of <paramref name="representative"/>'s, the
        /// first listed row whose input is zero. Such a row's step would compute the same values by the same operations
        /// (a row's sums do not depend on its tile, but for the sign of a zero where the tile's inputs differ, and
        /// wherever W_ih is finite), so the step copies them. From a zero initial state, every sequence with blank first inputs is one: a sequential
        /// MNIST image's first 4.8 rows on average: a chunk's steps then compute 83% of its rows and 86% of its h·W_hh
        /// products (bench/mnist_input_sparsity.py).
        /// </summary>
        private readonly unsafe int ListRows(int first, int end, int* rows, out int representative)
        {
            int listed = 0, copies = end - first;
            representative = -1;
            for (int row = first; row < end; row++)
            {
                if (Inputs != null)
                {
                    if (representative >= 0 && SameInputAndState(row, representative))
                    {
                        rows[--copies] = row;
                        continue;
                    }
                    if (representative < 0 && IsZero(Inputs + (nint)row * InputCount, InputCount))
                        representative = row;
                }
                rows[listed++] = row;
            }
            return listed;
        }

        /// <summary>Whether rows <paramref name="row"/> and <paramref name="other"/> have the same bits of x_t, h and c.</summary>
        private readonly unsafe bool SameInputAndState(int row, int other) =>
            SameBits(Inputs + (nint)row * InputCount, Inputs + (nint)other * InputCount, InputCount)
            && SameBits(HiddenIn + (nint)row * Units, HiddenIn + (nint)other * Units, Units)
            && SameBits(CellsIn + (nint)row * Units, CellsIn + (nint)other * Units, Units);

        /// <summary>Copies what the step wrote for row <paramref name="from"/> (its activated gates, c', tanh c', h' and
        /// the sequence's h') to row <paramref name="to"/>.</summary>
        private readonly unsafe void CopyRow(int from, int to)
        {
            int units = Units, width = 4 * units;
            Copy(Gates, from, to, width);
            Copy(CellsOut, from, to, units);
            Copy(CellTanh, from, to, units);
            Copy(HiddenOut, from, to, units);
            if (Sequence != null)
                new ReadOnlySpan<float>(Sequence + (nint)from * SequenceStride, units).CopyTo(new Span<float>(Sequence + (nint)to * SequenceStride, units));
        }

        private static unsafe void Copy(float* rows, int from, int to, int width) =>
            new ReadOnlySpan<float>(rows + (nint)from * width, width).CopyTo(new Span<float>(rows + (nint)to * width, width));
    }

    /// <summary>The TRows listed rows <paramref name="rows"/> of unit block <paramref name="unitBlock"/>, gate pair
    /// <paramref name="pass"/>; from the inputs, the projection sums the inputs whose bits are set in
    /// <paramref name="inputColumns"/> (those where any of the rows is not zero).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void ForwardTile<TRows>(in ForwardWork w, int* rows, int unitBlock, int pass, Vector256<float>* sums, ulong inputColumns)
        where TRows : struct, ITileCount
    {
        int count = TRows.Value, units = w.Units;
        int unit = 8 * unitBlock;
        int valid = Math.Min(8, units - unit);
        PrefetchForwardEpilogue(w, rows, count, unit, valid, pass);
        float* panel = w.Weights + (2 * unitBlock + pass) * w.PanelFloats;
        Vector256<float>* projection = null;
        if (w.Inputs != null)
        {
            projection = sums + 12;
            ProjectTile<TRows>(w, rows, panel, projection, inputColumns);
        }
        // The sums start from zero; the epilogue adds the input projection and b_hh (its loads of a partial block of
        // units go through memory, which here would keep the accumulators out of registers).
        // A zero state gives +0 in every sum (each chain adds ±0 to +0), so a step from it skips the product.
        SumPanel<TRows>(w.HiddenIn, rows, units, w.ZeroState ? 0 : units, panel + w.HiddenOffset, default, default, sums);
        if (valid == 8)
            ForwardEpilogue<FullBlock>(w, rows, count, unit, valid, pass, sums, projection);
        else
            ForwardEpilogue<PartialBlock>(w, rows, count, unit, valid, pass, sums, projection);
    }

    /// <summary>The lines <see cref="ForwardEpilogue{TBlock}"/> reads and writes for the <paramref name="count"/> listed
    /// rows: the pair's two gates, and in pass 1 the cell state and the three outputs (see <see cref="Prefetch"/>).</summary>
    // Out of line, so its loop does not take registers from the tile's sums.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static unsafe void PrefetchForwardEpilogue(in ForwardWork w, int* rows, int count, int unit, int valid, int pass)
    {
        int units = w.Units, column0 = 2 * pass * units + unit;
        for (int r = 0; r < count; r++)
        {
            float* gates = w.Gates + (nint)rows[r] * 4 * units + column0;
            Prefetch(gates, valid);
            Prefetch(gates + units, valid);
            if (pass == 1)
            {
                nint state = (nint)rows[r] * units + unit;
                Prefetch(w.CellsIn + state, valid);
                Prefetch(w.CellsOut + state, valid);
                Prefetch(w.CellTanh + state, valid);
                Prefetch(w.HiddenOut + state, valid);
            }
        }
    }

    /// <summary>
    /// Row <paramref name="row"/> alone, over TBlocks unit blocks from <paramref name="unitBlock"/> and both gate pairs:
    /// 4·TBlocks accumulators. Each sum is the same chain of FMAs over the state, from zero, as in
    /// <see cref="ForwardTile{TRows}"/>, and the epilogue applies the same operations, so a sample's values equal its row's in a batch.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void ForwardRow<TBlocks>(in ForwardWork w, int row, int unitBlock, Vector256<float>* sums)
        where TBlocks : struct, ITileCount
    {
        int blocks = TBlocks.Value, units = w.Units;
        Vector256<float> c00 = default, c01 = default, c02 = default, c03 = default;
        Vector256<float> c10 = default, c11 = default, c12 = default, c13 = default;
        Vector256<float> c20 = default, c21 = default, c22 = default, c23 = default;
        // Pass p of unit block u starts at (2u + p) · PanelFloats + HiddenOffset and advances 16 floats a step.
        nint pass = w.PanelFloats;
        float* b0 = w.Weights + 2 * unitBlock * pass + w.HiddenOffset, b1 = b0 + 2 * pass, b2 = b1 + 2 * pass;
        float* a = w.HiddenIn + (nint)row * units;
        for (nint k = 0, depth = w.ZeroState ? 0 : units; k < depth; k++, b0 += 16, b1 += 16, b2 += 16)
        {
            Vector256<float> x = Vector256.Create(a[k]);
            c00 = MultiplyAdd.Vector(x, Vector256.Load(b0), c00); c01 = MultiplyAdd.Vector(x, Vector256.Load(b0 + 8), c01);
            c02 = MultiplyAdd.Vector(x, Vector256.Load(b0 + pass), c02); c03 = MultiplyAdd.Vector(x, Vector256.Load(b0 + pass + 8), c03);
            if (blocks > 1)
            {
                c10 = MultiplyAdd.Vector(x, Vector256.Load(b1), c10); c11 = MultiplyAdd.Vector(x, Vector256.Load(b1 + 8), c11);
                c12 = MultiplyAdd.Vector(x, Vector256.Load(b1 + pass), c12); c13 = MultiplyAdd.Vector(x, Vector256.Load(b1 + pass + 8), c13);
            }
            if (blocks > 2)
            {
                c20 = MultiplyAdd.Vector(x, Vector256.Load(b2), c20); c21 = MultiplyAdd.Vector(x, Vector256.Load(b2 + 8), c21);
                c22 = MultiplyAdd.Vector(x, Vector256.Load(b2 + pass), c22); c23 = MultiplyAdd.Vector(x, Vector256.Load(b2 + pass + 8), c23);
            }
        }
        // Gate-major (gate q of block j at q · blocks + j), so each activation is one loop over all the blocks.
        sums[0] = c00; sums[blocks] = c01; sums[2 * blocks] = c02; sums[3 * blocks] = c03;
        if (blocks > 1) { sums[1] = c10; sums[blocks + 1] = c11; sums[2 * blocks + 1] = c12; sums[3 * blocks + 1] = c13; }
        if (blocks > 2) { sums[2] = c20; sums[blocks + 2] = c21; sums[2 * blocks + 2] = c22; sums[3 * blocks + 2] = c23; }
        ForwardRowEpilogue(w, row, unitBlock, blocks, sums);
    }

    /// <summary>
    /// The epilogue of <see cref="ForwardRow{TBlocks}"/>: the same operations on each value as
    /// <see cref="ForwardEpilogue{TBlock}"/>'s, over <paramref name="blocks"/> unit blocks of one row at once (a call
    /// per activation for all of them, not per block and pass), sums gate-major.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static unsafe void ForwardRowEpilogue(in ForwardWork w, int row, int unitBlock, int blocks, Vector256<float>* sums)
    {
        int units = w.Units;
        float* gates = w.Gates + (nint)row * 4 * units;
        for (int gate = 0; gate < 4; gate++)
        {
            for (int j = 0; j < blocks; j++)
            {
                int unit = 8 * (unitBlock + j), valid = Math.Min(8, units - unit), column = gate * units + unit;
                sums[gate * blocks + j] += LoadUnits(gates + column, valid) + LoadUnits(w.BiasHh + column, valid);
            }
        }
        FastMath.SigmoidInPlace(sums, 2 * blocks, 1);
        FastMath.TanhInPlace(sums + 2 * blocks, blocks, 1);
        FastMath.SigmoidInPlace(sums + 3 * blocks, blocks, 1);
        for (int gate = 0; gate < 4; gate++)
        {
            for (int j = 0; j < blocks; j++)
            {
                int unit = 8 * (unitBlock + j);
                StoreUnits(sums[gate * blocks + j], gates + gate * units + unit, Math.Min(8, units - unit));
            }
        }
        // c' = f·c + i·g in g's place, then tanh c' there; h' = o·tanh(c').
        for (int j = 0; j < blocks; j++)
        {
            int unit = 8 * (unitBlock + j), valid = Math.Min(8, units - unit);
            nint state = (nint)row * units + unit;
            Vector256<float> cell = MultiplyAdd.Vector(sums[j], sums[2 * blocks + j], sums[blocks + j] * LoadUnits(w.CellsIn + state, valid));
            StoreUnits(cell, w.CellsOut + state, valid);
            sums[2 * blocks + j] = cell;
        }
        FastMath.TanhInPlace(sums + 2 * blocks, blocks, 1);
        for (int j = 0; j < blocks; j++)
        {
            int unit = 8 * (unitBlock + j), valid = Math.Min(8, units - unit);
            nint state = (nint)row * units + unit;
            Vector256<float> cellTanh = sums[2 * blocks + j];
            Vector256<float> h = sums[3 * blocks + j] * cellTanh;
            StoreUnits(cellTanh, w.CellTanh + state, valid);
            StoreUnits(h, w.HiddenOut + state, valid);
            if (w.Sequence != null)
                StoreUnits(h, w.Sequence + (nint)row * w.SequenceStride + unit, valid);
        }
    }

    /// <summary>
    /// The epilogue of a tile: pass 0 stores i = σ(z_i), f = σ(z_f); pass 1 stores g = tanh(z_g), o = σ(z_o), then
    /// does the cell update. Each activation runs over all the tile's rows in one loop (<see cref="FastMath.SigmoidInPlace"/>)
    /// on the sums in place, so the rows' long chains of dependent operations (exp, a division) overlap and the JIT
    /// keeps each chain in registers. Not inlined, so the tile's loop keeps its registers for the sums.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static unsafe void ForwardEpilogue<TBlock>(in ForwardWork w, int* rowList, int rows, int unit, int valid, int pass, Vector256<float>* sums,
        Vector256<float>* projection)
        where TBlock : struct, IUnitBlock
    {
        int units = w.Units, width = 4 * units;
        // z = h·W_hh + (x·W_ih + b_ih) + b_hh for the pair's two gates, over the sums: sums[2r] and sums[2r + 1]. The
        // input projection is in the gates (Forward), or the tile's own (ForwardFromInputs, zeros past the last unit).
        int column0 = 2 * pass * units + unit, column1 = column0 + units;
        Vector256<float> bias0 = LoadUnits<TBlock>(w.BiasHh + column0, valid), bias1 = LoadUnits<TBlock>(w.BiasHh + column1, valid);
        for (int r = 0; r < rows; r++)
        {
            if (projection != null)
            {
                sums[2 * r] += projection[2 * r] + bias0;
                sums[2 * r + 1] += projection[2 * r + 1] + bias1;
                continue;
            }
            float* gates = w.Gates + (nint)rowList[r] * width;
            sums[2 * r] += LoadUnits<TBlock>(gates + column0, valid) + bias0;
            sums[2 * r + 1] += LoadUnits<TBlock>(gates + column1, valid) + bias1;
        }
        if (pass == 0)
            FastMath.SigmoidInPlace(sums, 2 * rows, 1);
        else
        {
            FastMath.TanhInPlace(sums, rows, 2);
            FastMath.SigmoidInPlace(sums + 1, rows, 2);
        }
        for (int r = 0; r < rows; r++)
        {
            float* gates = w.Gates + (nint)rowList[r] * width;
            StoreUnits<TBlock>(sums[2 * r], gates + column0, valid);
            StoreUnits<TBlock>(sums[2 * r + 1], gates + column1, valid);
        }
        if (pass == 0)
            return;
        // c' = f·c + i·g into sums[2r] (g is no longer needed; o stays in sums[2r + 1]), then tanh c' in place.
        for (int r = 0; r < rows; r++)
        {
            float* gates = w.Gates + (nint)rowList[r] * width + unit;
            Vector256<float> i = LoadUnits<TBlock>(gates, valid), f = LoadUnits<TBlock>(gates + units, valid);
            nint state = (nint)rowList[r] * units + unit;
            Vector256<float> cell = MultiplyAdd.Vector(i, sums[2 * r], f * LoadUnits<TBlock>(w.CellsIn + state, valid));
            StoreUnits<TBlock>(cell, w.CellsOut + state, valid);
            sums[2 * r] = cell;
        }
        FastMath.TanhInPlace(sums, rows, 2);
        for (int r = 0; r < rows; r++)
        {
            // h' = o·tanh(c')
            nint state = (nint)rowList[r] * units + unit;
            Vector256<float> cellTanh = sums[2 * r];
            Vector256<float> h = sums[2 * r + 1] * cellTanh;
            StoreUnits<TBlock>(cellTanh, w.CellTanh + state, valid);
            StoreUnits<TBlock>(h, w.HiddenOut + state, valid);
            if (w.Sequence != null)
                StoreUnits<TBlock>(h, w.Sequence + (nint)rowList[r] * w.SequenceStride + unit, valid);
        }
    }
}
