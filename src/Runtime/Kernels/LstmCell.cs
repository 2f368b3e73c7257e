using System;
using System.Numerics;
using System.Numerics.Tensors;

namespace SourceNet.Kernels;

/// <summary>
/// One step of an LSTM over a batch, after the products: the gate activations and the cell update (forward), and
/// their derivatives (backward). Gates are in PyTorch's order i, f, g, o, each <c>units</c> wide, so a sample's gate
/// row is 4·units values. Generated networks run <see cref="LstmStep"/> instead, which fuses these into the recurrent
/// product's epilogue; these unfused kernels, after a separate product, are the reference its tests compare with.
/// </summary>
/// <remarks>
/// Buffers are step-major: <c>gates</c> is [steps, batch, 4·units], <c>cells</c> and <c>hidden</c> are
/// [steps + 1, batch, units] with the initial state (zeros) at step 0, <c>cellTanh</c> (tanh c' of each step, which
/// the backward pass reads) is [steps, batch, units]. Every value is computed by the same operations
/// in the same order whatever the number of threads: the kernels run on the calling thread, row by row.
/// </remarks>
public static class LstmCell
{
    /// <summary>
    /// Step <paramref name="step"/>: <c>z = gates[step] + recurrent</c> (the input projection with <c>b_ih</c>, plus
    /// <c>h·W_hh + b_hh</c>), then i, f, o = σ(z), g = tanh(z) stored over the gate rows, <c>c' = f·c + i·g</c> and
    /// <c>h' = o·tanh(c')</c> stored at step + 1 of <paramref name="cells"/> and <paramref name="hidden"/> (and tanh c'
    /// at step <paramref name="step"/> of <paramref name="cellTanh"/>); when
    /// <paramref name="sequence"/> is not empty, h' is also written to it sample-major ([batch, steps, units]).
    /// </summary>
    public static void Forward(int batch, int units, int steps, int step, ReadOnlySpan<float> recurrent, Span<float> gates,
        Span<float> cells, Span<float> cellTanh, Span<float> hidden, Span<float> sequence)
    {
        int width = 4 * units;
        Span<float> stepGates = gates.Slice(step * batch * width, batch * width);
        for (int b = 0; b < batch; b++)
        {
            Span<float> z = stepGates.Slice(b * width, width);
            TensorPrimitives.Add(z, recurrent.Slice(b * width, width), z);
            Span<float> inputAndForget = z.Slice(0, 2 * units);
            TensorPrimitives.Sigmoid(inputAndForget, inputAndForget);
            Span<float> candidate = z.Slice(2 * units, units);
            TensorPrimitives.Tanh(candidate, candidate);
            Span<float> output = z.Slice(3 * units, units);
            TensorPrimitives.Sigmoid(output, output);

            ReadOnlySpan<float> previous = cells.Slice((step * batch + b) * units, units);
            Span<float> cell = cells.Slice(((step + 1) * batch + b) * units, units);
            Span<float> h = hidden.Slice(((step + 1) * batch + b) * units, units);
            // c' = f·c + i·g
            TensorPrimitives.Multiply(z.Slice(units, units), previous, cell);
            TensorPrimitives.FusedMultiplyAdd(z.Slice(0, units), candidate, cell, cell);
            // h' = o·tanh(c')
            Span<float> tanhCell = cellTanh.Slice((step * batch + b) * units, units);
            TensorPrimitives.Tanh(cell, tanhCell);
            TensorPrimitives.Multiply(tanhCell, output, h);
            if (!sequence.IsEmpty)
            {
                h.CopyTo(sequence.Slice((b * steps + step) * units, units));
            }
        }
    }

    /// <summary>
    /// The derivatives of step <paramref name="step"/>. On entry <paramref name="hiddenGradient"/> holds dLoss/dh of this
    /// step from the steps after it, [batch, units]; when <paramref name="outputGradient"/> is not empty (the layer
    /// returns sequences) this step's share of it, sample-major [batch, steps, units], is added first.
    /// <paramref name="cellGradient"/> holds dLoss/dc from the step after (zeros at the last step) and leaves with
    /// dLoss/dc of the step before. Writes dLoss/dz of the four gates' pre-activations to step <paramref name="step"/>
    /// of <paramref name="gateGradients"/> ([steps, batch, 4·units]).
    /// </summary>
    public static void Backward(int batch, int units, int steps, int step, ReadOnlySpan<float> gates, ReadOnlySpan<float> cells, ReadOnlySpan<float> cellTanh,
        Span<float> hiddenGradient, ReadOnlySpan<float> outputGradient, Span<float> cellGradient, Span<float> gateGradients)
    {
        int width = 4 * units;
        for (int b = 0; b < batch; b++)
        {
            Span<float> dh = hiddenGradient.Slice(b * units, units);
            if (!outputGradient.IsEmpty)
            {
                TensorPrimitives.Add(dh, outputGradient.Slice((b * steps + step) * units, units), dh);
            }
            ReadOnlySpan<float> row = gates.Slice((step * batch + b) * width, width);
            ReadOnlySpan<float> previous = cells.Slice((step * batch + b) * units, units);
            ReadOnlySpan<float> tanhCell = cellTanh.Slice((step * batch + b) * units, units);
            Span<float> dc = cellGradient.Slice(b * units, units);
            Span<float> dz = gateGradients.Slice((step * batch + b) * width, width);
            Row(units, row, previous, tanhCell, dh, dc, dz);
        }
    }

    // One sample's derivatives, element-wise over the units.
    private static void Row(int units, ReadOnlySpan<float> row, ReadOnlySpan<float> previous, ReadOnlySpan<float> cellTanh,
        ReadOnlySpan<float> dh, Span<float> dc, Span<float> dz)
    {
        int j = 0;
        if (Vector.IsHardwareAccelerated)
        {
            int width = Vector<float>.Count;
            var one = Vector<float>.One;
            for (; j <= units - width; j += width)
            {
                var i = new Vector<float>(row.Slice(j));
                var f = new Vector<float>(row.Slice(units + j));
                var g = new Vector<float>(row.Slice(2 * units + j));
                var o = new Vector<float>(row.Slice(3 * units + j));
                var tanhC = new Vector<float>(cellTanh.Slice(j));
                var dhv = new Vector<float>(dh.Slice(j));
                // dc += dh·o·(1 − tanh²c'); do = dh·tanh c'
                var dcv = new Vector<float>(dc.Slice(j)) + dhv * o * (one - tanhC * tanhC);
                (dcv * g * i * (one - i)).CopyTo(dz.Slice(j));
                (dcv * new Vector<float>(previous.Slice(j)) * f * (one - f)).CopyTo(dz.Slice(units + j));
                (dcv * i * (one - g * g)).CopyTo(dz.Slice(2 * units + j));
                (dhv * tanhC * o * (one - o)).CopyTo(dz.Slice(3 * units + j));
                (dcv * f).CopyTo(dc.Slice(j));
            }
        }
        for (; j < units; j++)
        {
            float i = row[j], f = row[units + j], g = row[2 * units + j], o = row[3 * units + j];
            float tanhC = cellTanh[j];
            float dcv = dc[j] + dh[j] * o * (1f - tanhC * tanhC);
            dz[j] = dcv * g * i * (1f - i);
            dz[units + j] = dcv * previous[j] * f * (1f - f);
            dz[2 * units + j] = dcv * i * (1f - g * g);
            dz[3 * units + j] = dh[j] * tanhC * o * (1f - o);
            dc[j] = dcv * f;
        }
    }
}
