using System;
using System.Numerics;
using System.Numerics.Tensors;

namespace SourceNet.Kernels;

/// <summary>
/// One step of a GRU over a batch, after the products: the gate activations and the state update (forward), and
/// their derivatives (backward). Gates are in PyTorch's order r, z, n, each <c>units</c> wide; the candidate follows
/// PyTorch (and ONNX's <c>linear_before_reset = 1</c>): <c>n = tanh(W_in x + b_in + r·(W_hn h + b_hn))</c>. Generated
/// networks run <see cref="GruStep"/> instead, which fuses these into the recurrent product's epilogue; these unfused
/// kernels, after a separate product, are the reference its tests compare with.
/// </summary>
/// <remarks>
/// Buffers are step-major: <c>gates</c> is [steps, batch, 3·units] (the input projection with <c>b_ih</c> on entry, the
/// activated r, z, n on exit), <c>hidden</c> [steps + 1, batch, units] with the initial state (zeros) at step 0, and
/// <c>resetHidden</c> [steps, batch, units] keeps <c>W_hn h + b_hn</c>, which the backward pass needs for r's
/// derivative. The kernels run on the calling thread, row by row: the same values whatever the number of threads.
/// </remarks>
public static class GruCell
{
    /// <summary>
    /// Step <paramref name="step"/>, given <paramref name="recurrent"/> = <c>h·W_hh + b_hh</c> ([batch, 3·units]):
    /// r = σ(·), z = σ(·), n = tanh(·) stored over the gate rows, <c>h' = (1 − z)·n + z·h</c> stored at step + 1 of
    /// <paramref name="hidden"/> and, when <paramref name="sequence"/> is not empty, sample-major there too.
    /// </summary>
    public static void Forward(int batch, int units, int steps, int step, ReadOnlySpan<float> recurrent, Span<float> gates,
        Span<float> resetHidden, Span<float> hidden, Span<float> sequence)
    {
        int width = 3 * units;
        Span<float> stepGates = gates.Slice(step * batch * width, batch * width);
        for (int b = 0; b < batch; b++)
        {
            Span<float> row = stepGates.Slice(b * width, width);
            ReadOnlySpan<float> fromHidden = recurrent.Slice(b * width, width);
            Span<float> resetAndUpdate = row.Slice(0, 2 * units);
            TensorPrimitives.Add(resetAndUpdate, fromHidden.Slice(0, 2 * units), resetAndUpdate);
            TensorPrimitives.Sigmoid(resetAndUpdate, resetAndUpdate);
            Span<float> kept = resetHidden.Slice((step * batch + b) * units, units);
            fromHidden.Slice(2 * units, units).CopyTo(kept);
            // n = tanh(x_n + r·(W_hn h + b_hn))
            Span<float> candidate = row.Slice(2 * units, units);
            TensorPrimitives.FusedMultiplyAdd(row.Slice(0, units), kept, candidate, candidate);
            TensorPrimitives.Tanh(candidate, candidate);
            // h' = n + z·(h − n)
            ReadOnlySpan<float> previous = hidden.Slice((step * batch + b) * units, units);
            Span<float> h = hidden.Slice(((step + 1) * batch + b) * units, units);
            TensorPrimitives.Subtract(previous, candidate, h);
            TensorPrimitives.FusedMultiplyAdd(row.Slice(units, units), h, candidate, h);
            if (!sequence.IsEmpty)
            {
                h.CopyTo(sequence.Slice((b * steps + step) * units, units));
            }
        }
    }

    /// <summary>
    /// The derivatives of step <paramref name="step"/>. On entry <paramref name="hiddenGradient"/> holds dLoss/dh' from
    /// the steps after it ([batch, units]), plus this step's share of <paramref name="outputGradient"/> when that is not
    /// empty (sample-major, the layer returns sequences). Writes dLoss/d(pre-activation) of the input side
    /// (<c>W_ih x + b_ih</c>) to <paramref name="inputGateGradients"/> and of the hidden side (<c>W_hh h + b_hh</c>, whose
    /// n part is scaled by r) to <paramref name="hiddenGateGradients"/>, both at step <paramref name="step"/> of
    /// [steps, batch, 3·units], and z·dh' (the direct path to the previous state) to <paramref name="direct"/>.
    /// </summary>
    public static void Backward(int batch, int units, int steps, int step, ReadOnlySpan<float> gates, ReadOnlySpan<float> resetHidden,
        ReadOnlySpan<float> hidden, Span<float> hiddenGradient, ReadOnlySpan<float> outputGradient,
        Span<float> inputGateGradients, Span<float> hiddenGateGradients, Span<float> direct)
    {
        int width = 3 * units;
        for (int b = 0; b < batch; b++)
        {
            Span<float> dh = hiddenGradient.Slice(b * units, units);
            if (!outputGradient.IsEmpty)
            {
                TensorPrimitives.Add(dh, outputGradient.Slice((b * steps + step) * units, units), dh);
            }
            int at = (step * batch + b) * width;
            Row(units, gates.Slice(at, width), resetHidden.Slice((step * batch + b) * units, units), hidden.Slice((step * batch + b) * units, units),
                dh, inputGateGradients.Slice(at, width), hiddenGateGradients.Slice(at, width), direct.Slice(b * units, units));
        }
    }

    private static void Row(int units, ReadOnlySpan<float> row, ReadOnlySpan<float> resetHidden, ReadOnlySpan<float> previous,
        ReadOnlySpan<float> dh, Span<float> input, Span<float> fromHidden, Span<float> direct)
    {
        int j = 0;
        if (Vector.IsHardwareAccelerated)
        {
            int width = Vector<float>.Count;
            var one = Vector<float>.One;
            for (; j <= units - width; j += width)
            {
                var r = new Vector<float>(row.Slice(j));
                var z = new Vector<float>(row.Slice(units + j));
                var n = new Vector<float>(row.Slice(2 * units + j));
                var dhv = new Vector<float>(dh.Slice(j));
                var dn = dhv * (one - z) * (one - n * n);
                var dz = dhv * (new Vector<float>(previous.Slice(j)) - n) * z * (one - z);
                var dr = dn * new Vector<float>(resetHidden.Slice(j)) * r * (one - r);
                dr.CopyTo(input.Slice(j));
                dr.CopyTo(fromHidden.Slice(j));
                dz.CopyTo(input.Slice(units + j));
                dz.CopyTo(fromHidden.Slice(units + j));
                dn.CopyTo(input.Slice(2 * units + j));
                (dn * r).CopyTo(fromHidden.Slice(2 * units + j));
                (dhv * z).CopyTo(direct.Slice(j));
            }
        }
        for (; j < units; j++)
        {
            float r = row[j], z = row[units + j], n = row[2 * units + j], d = dh[j];
            float dn = d * (1f - z) * (1f - n * n);
            float dz = d * (previous[j] - n) * z * (1f - z);
            float dr = dn * resetHidden[j] * r * (1f - r);
            input[j] = fromHidden[j] = dr;
            input[units + j] = fromHidden[units + j] = dz;
            input[2 * units + j] = dn;
            fromHidden[2 * units + j] = dn * r;
            direct[j] = d * z;
        }
    }
}
