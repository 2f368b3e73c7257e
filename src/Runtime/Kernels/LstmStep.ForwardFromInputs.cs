using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using static SourceNet.Kernels.RecurrentTiles;

namespace SourceNet.Kernels;

// The forward step with the input projection of its own tiles. Done for all steps at once (one product of batch·steps
// rows and depth `inputs`, 28 for sequential MNIST: 2.9 MB of gates for a chunk of 50) the projection wrote gates that
// had left L2 when their step read them. Here each tile first sums x_t·W_ih + b_ih for its rows and gate pair (one more
// stream of the packed panel, read right before W_hh's rows) and hands it to the epilogue, which adds it where Forward
// reads it from the gates. Each projection is the chain Gemm.MatMulBias computes, b_ih first and then one fused
// multiply-add per input in increasing order, so every value is the bits of MatMulBias followed by Forward.
public static partial class LstmStep
{
    /// <summary>Floats of a panel of <see cref="PackForwardFromInputsWeights"/>: per unit block and gate pair, b_ih's
    /// 16 values, then W_ih's and W_hh's rows of 16.</summary>
    private static nint InputPanelFloats(int units, int inputs) => ((nint)1 + inputs + units) * 16;

    /// <summary>Floats of W_ih, b_ih and W_hh packed for <see cref="ForwardFromInputs"/>: per block of eight units and
    /// gate pair, b_ih's 16 values, then 16 of W_ih per input and 16 of W_hh per unit.</summary>
    public static int ForwardFromInputsWeightsLength(int units, int inputs) =>
        checked(UnitBlocks(units) * 2 * (int)InputPanelFloats(units, inputs));

    /// <summary>
    /// Packs b_ih ([4·units]), W_ih ([inputs, 4·units]) and W_hh ([units, 4·units]), row-major, for
    /// <see cref="ForwardFromInputs"/>: block u (units 8u to 8u + 7), gate pair p ((i, f) then (g, o)) hold b_ih's 16
    /// values, then for each input k W_ih's 16, then for each unit k W_hh's 16, each time the pair's first gate's eight
    /// columns then the second's; units past the last are zeros. W_hh's part is <see cref="PackForwardWeights"/>'s.
    /// </summary>
    /// <exception cref="ArgumentException">A span is shorter than the sizes need, or <paramref name="inputs"/> is not positive.</exception>
    public static unsafe void PackForwardFromInputsWeights(int units, int inputs, ReadOnlySpan<float> weightIh, ReadOnlySpan<float> biasIh,
        ReadOnlySpan<float> weightHh, Span<float> packed)
    {
        CheckInputs(units, inputs);
        long width = 4L * units;
        CheckLength(nameof(weightIh), weightIh.Length, inputs * width);
        CheckLength(nameof(biasIh), biasIh.Length, width);
        CheckLength(nameof(weightHh), weightHh.Length, units * width);
        CheckLength(nameof(packed), packed.Length, ForwardFromInputsWeightsLength(units, inputs));
        fixed (float* ih = weightIh)
        fixed (float* bias = biasIh)
        fixed (float* hh = weightHh)
        fixed (float* start = packed)
        {
            float* to = start;
            for (int block = 0; block < UnitBlocks(units); block++)
            {
                for (int pair = 0; pair < 2; pair++)
                {
                    to = PackPairRows(units, bias, 1, block, pair, to);
                    to = PackPairRows(units, ih, inputs, block, pair, to);
                    to = PackPairRows(units, hh, units, block, pair, to);
                }
            }
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
    /// <param name="biasHh">b_hh, 4·units.</param>
    /// <param name="gates">[steps, batch, 4·units].</param>
    /// <param name="cells">[steps + 1, batch, units].</param>
    /// <param name="cellTanh">[steps, batch, units].</param>
    /// <param name="hidden">[steps + 1, batch, units].</param>
    /// <param name="sequence">[batch, steps, units], or empty.</param>
    /// <exception cref="ArgumentException">A span is shorter than the sizes need.</exception>
    public static unsafe void ForwardFromInputs(int batch, int units, int inputs, int steps, int step, ReadOnlySpan<float> stepInputs,
        ReadOnlySpan<float> packedWeights, ReadOnlySpan<float> biasHh, Span<float> gates, Span<float> cells, Span<float> cellTanh, Span<float> hidden,
        Span<float> sequence)
    {
        CheckStep(batch, units, steps, step, gates.Length, cells.Length, cellTanh.Length);
        CheckInputs(units, inputs);
        CheckLength(nameof(stepInputs), stepInputs.Length, (long)steps * batch * inputs);
        CheckLength(nameof(packedWeights), packedWeights.Length, ForwardFromInputsWeightsLength(units, inputs));
        CheckLength(nameof(biasHh), biasHh.Length, 4L * units);
        CheckLength(nameof(hidden), hidden.Length, ((long)steps + 1) * batch * units);
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
                HiddenOffset = ((nint)1 + inputs) * 16,
                Inputs = px + (nint)step * batch * inputs,
                InputCount = inputs,
            };
            RunForward(ref work, batch, units, steps, step, biasHh, gates, cells, cellTanh, hidden, sequence);
        }
    }

    private static void CheckInputs(int units, int inputs)
    {
        if (inputs <= 0)
            throw new ArgumentOutOfRangeException(nameof(inputs), $"An LSTM step from its inputs needs inputs > 0; got {inputs} (units {units}).");
    }

    /// <summary>Writes rows [0, <paramref name="rows"/>) of <paramref name="source"/> ([rows, 4·units]) for unit block
    /// <paramref name="block"/> and gate pair <paramref name="pair"/>: 16 floats a row, zeros past the last unit.</summary>
    private static unsafe float* PackPairRows(int units, float* source, int rows, int block, int pair, float* to)
    {
        nint width = 4 * units;
        int valid = Math.Min(8, units - 8 * block);
        for (int k = 0; k < rows; k++)
        {
            for (int half = 0; half < 2; half++, to += 8)
            {
                float* from = source + k * width + (2 * pair + half) * units + 8 * block;
                if (valid == 8)
                {
                    Vector256.Store(Vector256.Load(from), to);
                    continue;
                }
                for (int lane = 0; lane < 8; lane++)
                    to[lane] = lane < valid ? from[lane] : 0f;
            }
        }
        return to;
    }

    /// <summary>
    /// The input projection of the TRows listed rows <paramref name="rows"/> for the gate pair of <paramref name="panel"/>, into
    /// <paramref name="projection"/> (as <see cref="SumPanel{TRows}(float*, nint, nint, float*, Vector256{float}, Vector256{float}, Vector256{float}*)"/>
    /// orders its sums), where the epilogue adds it: each value b_ih, then one fused multiply-add per input in
    /// increasing order (Gemm's chain). It never goes through the gates, whose lines the epilogue alone touches.
    /// Inputs that are zero in every row of the tile (<paramref name="inputColumns"/>'s clear bits) are left out: each
    /// would add 0·w, which changes no sum where W_ih is finite but the sign of a zero. Sequential MNIST's rows are
    /// blank at the image's border, so a tile of six images sums 42% of its 28 inputs on average.
    /// </summary>
    // Out of line: the recurrent tile that follows keeps its registers and its code as in Forward.
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static unsafe void ProjectTile<TRows>(in ForwardWork w, int* rows, float* panel, Vector256<float>* projection, ulong inputColumns)
        where TRows : struct, ITileCount
    {
        nint inputs = w.InputCount;
        if (inputs > MaskedColumns || inputColumns == AllColumns((int)inputs))
            SumPanel<TRows>(w.Inputs, rows, inputs, inputs, panel + 16, Vector256.Load(panel), Vector256.Load(panel + 8), projection);
        else
            SumPanelColumns<TRows>(w.Inputs, rows, inputs, inputColumns, panel + 16, Vector256.Load(panel), Vector256.Load(panel + 8), projection);
    }

    /// <summary>The input projection of row <paramref name="row"/> alone, for all its gates (before
    /// <see cref="ForwardRow{TBlocks}"/>), three unit blocks at a time.</summary>
    private static unsafe void ProjectRow(in ForwardWork w, int row)
    {
        int blocks = UnitBlocks(w.Units), u = 0;
        for (; u + 3 <= blocks; u += 3)
            ProjectRow<Count3>(w, row, u);
        if (blocks - u == 2)
            ProjectRow<Count2>(w, row, u);
        else if (blocks - u == 1)
            ProjectRow<Count1>(w, row, u);
    }

    /// <summary>
    /// Row <paramref name="row"/>'s input projection over TBlocks unit blocks from <paramref name="unitBlock"/>, both
    /// gate pairs: 4·TBlocks chains, each b_ih and then one fused multiply-add per input in increasing order, as in
    /// <see cref="ProjectTile{TRows}"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void ProjectRow<TBlocks>(in ForwardWork w, int row, int unitBlock)
        where TBlocks : struct, ITileCount
    {
        int blocks = TBlocks.Value, units = w.Units;
        // Pass p of unit block u starts at (2u + p) · PanelFloats: b_ih's 16 floats, then W_ih's rows.
        nint pass = w.PanelFloats;
        float* b0 = w.Weights + 2 * unitBlock * pass, b1 = b0 + 2 * pass, b2 = b1 + 2 * pass;
        Vector256<float> c00 = Vector256.Load(b0), c01 = Vector256.Load(b0 + 8), c02 = Vector256.Load(b0 + pass), c03 = Vector256.Load(b0 + pass + 8);
        Vector256<float> c10 = default, c11 = default, c12 = default, c13 = default;
        Vector256<float> c20 = default, c21 = default, c22 = default, c23 = default;
        if (blocks > 1)
        {
            c10 = Vector256.Load(b1); c11 = Vector256.Load(b1 + 8); c12 = Vector256.Load(b1 + pass); c13 = Vector256.Load(b1 + pass + 8);
        }
        if (blocks > 2)
        {
            c20 = Vector256.Load(b2); c21 = Vector256.Load(b2 + 8); c22 = Vector256.Load(b2 + pass); c23 = Vector256.Load(b2 + pass + 8);
        }
        b0 += 16; b1 += 16; b2 += 16;
        float* a = w.Inputs + (nint)row * w.InputCount;
        for (nint k = 0; k < w.InputCount; k++, b0 += 16, b1 += 16, b2 += 16)
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
        // Gates i, f, g, o of block j: c_j0 .. c_j3.
        float* gates = w.Gates + (nint)row * 4 * units;
        StoreRowBlock(gates, units, 8 * unitBlock, c00, c01, c02, c03);
        if (blocks > 1)
            StoreRowBlock(gates, units, 8 * (unitBlock + 1), c10, c11, c12, c13);
        if (blocks > 2)
            StoreRowBlock(gates, units, 8 * (unitBlock + 2), c20, c21, c22, c23);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void StoreRowBlock(float* gates, int units, int unit, Vector256<float> i, Vector256<float> f, Vector256<float> g, Vector256<float> o)
    {
        int valid = Math.Min(8, units - unit);
        StoreUnits(i, gates + unit, valid);
        StoreUnits(f, gates + units + unit, valid);
        StoreUnits(g, gates + 2 * units + unit, valid);
        StoreUnits(o, gates + 3 * units + unit, valid);
    }
}
