using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using static SourceNet.Kernels.RecurrentTiles;

namespace SourceNet.Kernels;

// The forward step with the input projection of its own tiles, as the LSTM's (LstmStep.ForwardFromInputs.cs): each
// tile first sums x_t·W_ih + b_ih for its rows and the r, z and n gates of its eight units (the packed panel's first
// stream, before W_hh's rows) and hands it to the epilogue, which uses it where Forward reads the gates: x_r and x_z
// beside the sums, x_n outside r·(W_hn h + b_hn). Each projection is Gemm.MatMulBias's chain, b_ih first and then one
// fused multiply-add per input in increasing order, so every value is the bits of MatMulBias followed by Forward.
public static partial class GruStep
{
    /// <summary>Floats of a panel of <see cref="PackForwardFromInputsWeights"/>: per unit block, b_ih's 24 values, then
    /// W_ih's and W_hh's rows of 24.</summary>
    private static nint InputPanelFloats(int units, int inputs) => ((nint)1 + inputs + units) * 24;

    /// <summary>Floats of W_ih, b_ih and W_hh packed for <see cref="ForwardFromInputs"/>: per block of eight units,
    /// b_ih's 24 values, then 24 of W_ih per input and 24 of W_hh per unit.</summary>
    public static int ForwardFromInputsWeightsLength(int units, int inputs) =>
        checked(UnitBlocks(units) * (int)InputPanelFloats(units, inputs));

    /// <summary>
    /// Packs b_ih ([3·units]), W_ih ([inputs, 3·units]) and W_hh ([units, 3·units]), row-major, for
    /// <see cref="ForwardFromInputs"/>: block u (units 8u to 8u + 7) holds b_ih's 24 values, then for each input k
    /// W_ih's 24, then for each unit k W_hh's 24, each time the r gate's eight columns, then z's, then n's; units past
    /// the last are zeros. W_hh's part is <see cref="PackForwardWeights"/>'s.
    /// </summary>
    /// <exception cref="ArgumentException">A span is shorter than the sizes need, or <paramref name="inputs"/> is not positive.</exception>
    public static void PackForwardFromInputsWeights(int units, int inputs, ReadOnlySpan<float> weightIh, ReadOnlySpan<float> biasIh,
        ReadOnlySpan<float> weightHh, Span<float> packed)
    {
        CheckInputs(units, inputs);
        long width = 3L * units;
        CheckLength(nameof(weightIh), weightIh.Length, inputs * width);
        CheckLength(nameof(biasIh), biasIh.Length, width);
        CheckLength(nameof(weightHh), weightHh.Length, units * width);
        CheckLength(nameof(packed), packed.Length, ForwardFromInputsWeightsLength(units, inputs));
        int at = 0;
        for (int block = 0; block < UnitBlocks(units); block++)
        {
            at = PackBlockRows(units, biasIh, 1, block, packed, at);
            at = PackBlockRows(units, weightIh, inputs, block, packed, at);
            at = PackBlockRows(units, weightHh, units, block, packed, at);
        }
    }

    /// <summary>
    /// Step <paramref name="step"/> of the forward pass from the inputs: the input projection <c>x_t·W_ih + b_ih</c>
    /// (x_t being row <paramref name="step"/> of <paramref name="stepInputs"/>) is computed tile by tile, then the step
    /// runs as <see cref="Forward"/> does, whose description says what it stores. The same bits as
    /// <see cref="Gemm.MatMulBias{TActivation}(int, int, int, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float})"/>
    /// of every step followed by <see cref="Forward"/>.
    /// </summary>
    /// <param name="batch">Samples.</param>
    /// <param name="units">Units of the state.</param>
    /// <param name="inputs">Features of each step's input.</param>
    /// <param name="steps">Steps of the sequence.</param>
    /// <param name="step">This step.</param>
    /// <param name="stepInputs">[steps, batch, inputs] (step-major, <see cref="RecurrentLayout.ToStepMajor"/>).</param>
    /// <param name="packedWeights">b_ih, W_ih and W_hh packed by <see cref="PackForwardFromInputsWeights"/>.</param>
    /// <param name="biasHh">b_hh, 3·units.</param>
    /// <param name="gates">[steps, batch, 3·units].</param>
    /// <param name="resetHidden">[steps, batch, units]: <c>W_hn h + b_hn</c> of each step.</param>
    /// <param name="hidden">[steps + 1, batch, units].</param>
    /// <param name="sequence">[batch, steps, units], or empty.</param>
    /// <exception cref="ArgumentException">A span is shorter than the sizes need.</exception>
    public static unsafe void ForwardFromInputs(int batch, int units, int inputs, int steps, int step, ReadOnlySpan<float> stepInputs,
        ReadOnlySpan<float> packedWeights, ReadOnlySpan<float> biasHh, Span<float> gates, Span<float> resetHidden, Span<float> hidden, Span<float> sequence)
    {
        CheckStep(batch, units, steps, step, gates.Length, resetHidden.Length, hidden.Length);
        CheckInputs(units, inputs);
        CheckLength(nameof(stepInputs), stepInputs.Length, (long)steps * batch * inputs);
        CheckLength(nameof(packedWeights), packedWeights.Length, ForwardFromInputsWeightsLength(units, inputs));
        CheckLength(nameof(biasHh), biasHh.Length, 3L * units);
        if (!sequence.IsEmpty)
            CheckLength(nameof(sequence), sequence.Length, (long)batch * steps * units);
        if (batch == 0)
            return;
        fixed (float* pw = packedWeights)
        fixed (float* px = stepInputs)
        {
            var work = new ForwardWork
            {
                Weights = pw,
                PanelFloats = InputPanelFloats(units, inputs),
                HiddenOffset = ((nint)1 + inputs) * 24,
                Inputs = px + (nint)step * batch * inputs,
                InputCount = inputs,
            };
            RunForward(ref work, batch, units, steps, step, biasHh, gates, resetHidden, hidden, sequence);
        }
    }

    private static void CheckInputs(int units, int inputs)
    {
        if (inputs <= 0)
            throw new ArgumentOutOfRangeException(nameof(inputs), $"A GRU step from its inputs needs inputs > 0; got {inputs} (units {units}).");
    }

    /// <summary>
    /// The input projection of rows [row, row + TRows) for the r, z and n gates of the unit block of
    /// <paramref name="panel"/>, into <paramref name="projection"/> (row r's three at 3r), where the epilogue reads it:
    /// each value b_ih, then one fused multiply-add per input in increasing order (Gemm's chain).
    /// </summary>
    // Out of line: the recurrent tile that follows keeps its registers and its code as in Forward.
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static unsafe void ProjectTile<TRows>(in ForwardWork w, int row, float* panel, Vector256<float>* projection)
        where TRows : struct, ITileCount
    {
        int rows = TRows.Value;
        nint inputs = w.InputCount;
        Vector256<float> biasR = Vector256.Load(panel), biasZ = Vector256.Load(panel + 8), biasN = Vector256.Load(panel + 16);
        Vector256<float> c00 = biasR, c01 = biasZ, c02 = biasN, c10 = biasR, c11 = biasZ, c12 = biasN;
        Vector256<float> c20 = biasR, c21 = biasZ, c22 = biasN, c30 = biasR, c31 = biasZ, c32 = biasN;
        float* b = panel + 24;
        float* a0 = w.Inputs + row * inputs;
        float* a1 = a0 + inputs, a2 = a1 + inputs, a3 = a2 + inputs;
        for (nint k = 0; k < inputs; k++, b += 24)
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
        projection[0] = c00; projection[1] = c01; projection[2] = c02; projection[3] = c10; projection[4] = c11; projection[5] = c12;
        projection[6] = c20; projection[7] = c21; projection[8] = c22; projection[9] = c30; projection[10] = c31; projection[11] = c32;
    }

    /// <summary>The input projection of row <paramref name="row"/> alone, for all its gates, stored in the gates (before
    /// <see cref="ForwardRow{TBlocks}"/>), four unit blocks at a time.</summary>
    private static unsafe void ProjectRow(in ForwardWork w, int row)
    {
        int blocks = UnitBlocks(w.Units), u = 0;
        for (; u + 4 <= blocks; u += 4)
            ProjectRow<Count4>(w, row, u);
        switch (blocks - u)
        {
            case 1: ProjectRow<Count1>(w, row, u); break;
            case 2: ProjectRow<Count2>(w, row, u); break;
            case 3: ProjectRow<Count3>(w, row, u); break;
        }
    }

    /// <summary>Row <paramref name="row"/>'s input projection over TBlocks unit blocks from <paramref name="unitBlock"/>:
    /// 3·TBlocks chains, each b_ih and then one fused multiply-add per input in increasing order, as in
    /// <see cref="ProjectTile{TRows}"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void ProjectRow<TBlocks>(in ForwardWork w, int row, int unitBlock)
        where TBlocks : struct, ITileCount
    {
        int blocks = TBlocks.Value, units = w.Units;
        // Unit block u's panel starts at u · PanelFloats: b_ih's 24 floats, then W_ih's rows.
        nint next = w.PanelFloats;
        float* b0 = w.Weights + unitBlock * next, b1 = b0 + next, b2 = b1 + next, b3 = b2 + next;
        Vector256<float> c00 = Vector256.Load(b0), c01 = Vector256.Load(b0 + 8), c02 = Vector256.Load(b0 + 16);
        Vector256<float> c10 = default, c11 = default, c12 = default, c20 = default, c21 = default, c22 = default;
        Vector256<float> c30 = default, c31 = default, c32 = default;
        if (blocks > 1) { c10 = Vector256.Load(b1); c11 = Vector256.Load(b1 + 8); c12 = Vector256.Load(b1 + 16); }
        if (blocks > 2) { c20 = Vector256.Load(b2); c21 = Vector256.Load(b2 + 8); c22 = Vector256.Load(b2 + 16); }
        if (blocks > 3) { c30 = Vector256.Load(b3); c31 = Vector256.Load(b3 + 8); c32 = Vector256.Load(b3 + 16); }
        b0 += 24; b1 += 24; b2 += 24; b3 += 24;
        float* a = w.Inputs + (nint)row * w.InputCount;
        for (nint k = 0; k < w.InputCount; k++, b0 += 24, b1 += 24, b2 += 24, b3 += 24)
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
        float* gates = w.Gates + (nint)row * 3 * units;
        StoreRowBlock(gates, units, 8 * unitBlock, c00, c01, c02);
        if (blocks > 1)
            StoreRowBlock(gates, units, 8 * (unitBlock + 1), c10, c11, c12);
        if (blocks > 2)
            StoreRowBlock(gates, units, 8 * (unitBlock + 2), c20, c21, c22);
        if (blocks > 3)
            StoreRowBlock(gates, units, 8 * (unitBlock + 3), c30, c31, c32);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void StoreRowBlock(float* gates, int units, int unit, Vector256<float> r, Vector256<float> z, Vector256<float> n)
    {
        int valid = Math.Min(8, units - unit);
        StoreUnits(r, gates + unit, valid);
        StoreUnits(z, gates + units + unit, valid);
        StoreUnits(n, gates + 2 * units + unit, valid);
    }
}
