using System;
using System.Diagnostics;
using System.Numerics.Tensors;
using SourceNet.Kernels;

namespace SourceNet.Bench.CompareLstm;

/// <summary>
/// GFLOP/s of the GRU's recurrent step on one thread: the fused kernels (<see cref="GruStep"/>) and, on the same rows
/// and weights in the same process, the path they replaced (the product by <see cref="Gemm"/>, then
/// <see cref="GruCell"/>; backward, the cell's derivatives, then <c>dZ_hidden·W_hhᵀ</c> and <c>+ z·dh</c>).
/// </summary>
internal static class GruStepTiming
{
    /// <summary>The fastest single call of each of the four over 20 loops of <paramref name="steps"/> steps. FLOPs are
    /// the products' (2 x batch x units x 3·units per step); the cells count against them.</summary>
    public static (double Forward, double Backward, double UnfusedForward, double UnfusedBackward) Gflops(GruLayer gru, int batch, int steps, int units)
    {
        int width = 3 * units;
        var hidden = new float[(steps + 1) * batch * units];
        var resetHidden = new float[steps * batch * units];
        var gates = new float[steps * batch * width];
        var inputSide = new float[steps * batch * width];
        var hiddenSide = new float[steps * batch * width];
        var direct = new float[batch * units];
        var recurrent = new float[batch * width];
        var dh = new float[batch * units];
        var lastGradient = new float[batch * units];
        var forwardWeights = new float[GruStep.ForwardWeightsLength(units)];
        var backwardWeights = new float[GruStep.BackwardWeightsLength(units)];
        var random = new SeededRandom(9);
        random.FillNormal(gates, 0f, 0.5f);
        random.FillNormal(lastGradient, 0f, 0.1f);
        GruStep.PackForwardWeights(units, gru.WeightHh.Value, forwardWeights);
        GruStep.PackBackwardWeights(units, gru.WeightHh.Value, backwardWeights);
        int savedThreads = KernelThreads.Count;
        KernelThreads.Count = 1;
        double forward = double.MaxValue, backward = double.MaxValue, unfusedForward = double.MaxValue, unfusedBackward = double.MaxValue;
        for (int loop = 0; loop < 20; loop++)
        {
            // Each pass starts from the last one's activated gates as its input projection: the same work, no copy.
            for (int t = 0; t < steps; t++)
            {
                long start = Stopwatch.GetTimestamp();
                GruStep.Forward(batch, units, steps, t, forwardWeights, gru.BiasHh.Value, gates, resetHidden, hidden, default);
                // Step 0 starts from the zero state and skips h·W_hh; every other step runs the whole product.
                if (t > 0)
                    forward = Math.Min(forward, Stopwatch.GetElapsedTime(start).TotalSeconds);
            }
            for (int t = steps - 1; t >= 0; t--)
            {
                long start = Stopwatch.GetTimestamp();
                GruStep.Backward(batch, units, steps, t, backwardWeights, gates, resetHidden, hidden, lastGradient, default, direct, inputSide, hiddenSide);
                // The last step has no product.
                if (t < steps - 1)
                    backward = Math.Min(backward, Stopwatch.GetElapsedTime(start).TotalSeconds);
            }
            for (int t = 0; t < steps; t++)
            {
                long start = Stopwatch.GetTimestamp();
                Gemm.MatMulBias<IdentityActivation>(batch, width, units, new ReadOnlySpan<float>(hidden, t * batch * units, batch * units), gru.WeightHh.Value, gru.BiasHh.Value, recurrent);
                GruCell.Forward(batch, units, steps, t, recurrent, gates, resetHidden, hidden, default);
                // The same steps as the fused kernel's figure.
                if (t > 0)
                    unfusedForward = Math.Min(unfusedForward, Stopwatch.GetElapsedTime(start).TotalSeconds);
            }
            lastGradient.CopyTo(dh, 0);
            for (int t = steps - 1; t >= 0; t--)
            {
                long start = Stopwatch.GetTimestamp();
                GruCell.Backward(batch, units, steps, t, gates, resetHidden, hidden, dh, default, inputSide, hiddenSide, direct);
                if (t > 0)
                {
                    Gemm.MatMulTransposeB(batch, units, width, new ReadOnlySpan<float>(hiddenSide, t * batch * width, batch * width), gru.WeightHh.Value, dh);
                    TensorPrimitives.Add(dh, direct, dh);
                    // A call with the product: the same work as a fused backward step.
                    unfusedBackward = Math.Min(unfusedBackward, Stopwatch.GetElapsedTime(start).TotalSeconds);
                }
            }
        }
        KernelThreads.Count = savedThreads;
        double flops = 2.0 * batch * units * width;
        return (flops / forward / 1e9, flops / backward / 1e9, flops / unfusedForward / 1e9, flops / unfusedBackward / 1e9);
    }
}
