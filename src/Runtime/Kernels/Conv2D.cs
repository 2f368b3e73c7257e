using System;
using System.Runtime.CompilerServices;

namespace SourceNet.Kernels;

/// <summary>
/// 2-D convolution over channels-last images: inputs [batch, H, W, Cin], weights [KH, KW, Cin, Cout] (HWIO, read as
/// the [KH·KW·Cin, Cout] matrix of an im2col product), bias [Cout], outputs [batch, OH, OW, Cout]. Every call
/// <b>assigns</b> its outputs and allocates nothing: scratch space comes from a workspace of
/// <see cref="WorkspaceLength"/> floats that the network allocates once.
/// </summary>
/// <remarks>
/// <para>A batch is processed in chunks of whole samples (at most about 4 MB of padded inputs and patches, see
/// <see cref="ConvPlan"/>), each chunk in blocks of output rows split over <see cref="KernelThreads.Count"/>
/// threads. Each output element is one chain of fused multiply-adds over (ky, kx, c) in increasing order, started
/// from its bias, and each gradient is summed in an order fixed by the geometry; so results are bit-identical
/// for any thread count, and do not depend on the workspace size or on which other samples share the batch.</para>
/// <para>Methods, chosen by the measurements in docs/performance.md ("Convolution kernels"): Forward reads each
/// window in place from a zero-padded copy of the input (the direct method; the im2col method, patches copied
/// out then <see cref="Gemm.MatMulBias{TActivation}"/>, computes the same bits and is kept for the comparison).
/// BackwardInput runs the direct kernel on the flipped kernel where the stride is 1 and there are at least 16
/// input channels, else dOut·Wᵀ and a col2im scatter-add. BackwardFilter reads the patches in place too, in passes of
/// a few hundred rows (Conv2D.FilterGradient.cs); the im2col method (patches copied out, then a transposed-A product)
/// computes the same bits and is kept for the comparison.</para>
/// </remarks>
public static partial class Conv2D
{
    /// <summary>Floats of workspace that <see cref="Forward{TActivation}"/>, <see cref="BackwardInput"/> and
    /// <see cref="BackwardFilter"/> need for batches of up to <paramref name="maxBatch"/> samples.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxBatch"/> is not positive.</exception>
    public static int WorkspaceLength(in Conv2DGeometry g, int maxBatch)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBatch);
        long length = new ConvPlan(g).Length(maxBatch, g.Filters);
        if (HasDirectInputGradient(g))
            length = Math.Max(length, new ConvPlan(TransposedGeometry(g)).Length(maxBatch, g.InputChannels));
        if (length > Array.MaxLength)
            throw new ArgumentException($"A convolution workspace of {length} floats is larger than an array can be.", nameof(g));
        return (int)length;
    }

    /// <summary>Floats of workspace that <see cref="Forward{TActivation}"/> alone needs for batches of up to
    /// <paramref name="maxBatch"/> samples (a network copy that only infers); at most <see cref="WorkspaceLength"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxBatch"/> is not positive.</exception>
    public static int ForwardWorkspaceLength(in Conv2DGeometry g, int maxBatch)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBatch);
        long length = new ConvPlan(g).Length(maxBatch, g.Filters);
        if (length > Array.MaxLength)
            throw new ArgumentException($"A convolution workspace of {length} floats is larger than an array can be.", nameof(g));
        return (int)length;
    }

    /// <summary>
    /// <c>output[b, oy, ox, f] = TActivation(bias[f] + Σ_{ky,kx,c} input[b, oy·sy − padTop + ky, ox·sx − padLeft + kx, c]
    /// · weight[ky, kx, c, f])</c>, padded positions reading as zero. Assigns <paramref name="output"/>.
    /// </summary>
    public static void Forward<TActivation>(in Conv2DGeometry g, int batch, ReadOnlySpan<float> input, ReadOnlySpan<float> weight,
        ReadOnlySpan<float> bias, Span<float> output, Span<float> workspace)
        where TActivation : struct, IActivation
    {
        CheckExact(nameof(bias), bias.Length, g.Filters, "one per filter");
        ForwardAt<TActivation>(KernelIsaInfo.Best, Method.Direct, KernelThreads.Count, g, batch, input, weight, bias, output, workspace);
    }

    /// <summary>
    /// The input gradient from the output gradient (dLoss/dPre-activation: the caller has applied the activation's
    /// derivative): <c>dInput = col2im(dOut·Wᵀ)</c>. Assigns <paramref name="inputGradient"/>.
    /// </summary>
    public static void BackwardInput(in Conv2DGeometry g, int batch, ReadOnlySpan<float> outputGradient, ReadOnlySpan<float> weight,
        Span<float> inputGradient, Span<float> workspace) =>
        BackwardInputAt(KernelIsaInfo.Best, InputGradientMethod(g), KernelThreads.Count, g, batch, outputGradient, weight, inputGradient, workspace);

    /// <summary>
    /// The direct input gradient computes Cin output channels per position; with fewer than one AVX-512 vector of
    /// them its tile runs part-empty or scalar, and the im2col product (PatchLength wide) is faster.
    /// </summary>
    internal static Method InputGradientMethod(in Conv2DGeometry g) => g.InputChannels >= 16 ? Method.Direct : Method.Im2Col;

    /// <summary>
    /// The parameter gradients: <c>dWeight = patchesᵀ·dOut</c> summed over the batch chunk by chunk, and
    /// <c>dBias[f] = Σ dOut[·, f]</c>. Assigns both.
    /// </summary>
    public static void BackwardFilter(in Conv2DGeometry g, int batch, ReadOnlySpan<float> input, ReadOnlySpan<float> outputGradient,
        Span<float> weightGradient, Span<float> biasGradient, Span<float> workspace) =>
        BackwardFilterAt(KernelIsaInfo.Best, KernelThreads.Count, g, batch, input, outputGradient, weightGradient, biasGradient, workspace);

    /// <summary><see cref="Forward{TActivation}"/> by a chosen method and instruction set, on at most
    /// <paramref name="maxParts"/> threads (tests and benchmarks). An empty <paramref name="bias"/> means none.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static unsafe void ForwardAt<TActivation>(KernelIsa isa, Method method, int maxParts, in Conv2DGeometry g, int batch,
        ReadOnlySpan<float> input, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, Span<float> output, Span<float> workspace)
        where TActivation : struct, IActivation
    {
        var plan = new ConvPlan(g);
        CheckBatch(batch);
        CheckLength(nameof(input), input.Length, (long)batch * g.InputElements, batch, g.InputHeight, g.InputWidth, g.InputChannels);
        CheckWeight(g, weight.Length, nameof(weight));
        if (!bias.IsEmpty)
            CheckExact(nameof(bias), bias.Length, g.Filters, "one per filter");
        CheckLength(nameof(output), output.Length, (long)batch * g.OutputElements, batch, g.OutputHeight, g.OutputWidth, g.Filters);
        CheckWorkspace(g, plan, batch, workspace.Length);
        fixed (float* pInput = input)
        fixed (float* pWeight = weight)
        fixed (float* pBias = bias)
        fixed (float* pOutput = output)
        fixed (float* pWork = workspace)
        {
            float* padded = pWork, patches = pWork + plan.PatchesOffset(batch);
            for (int first = 0; first < batch; first += plan.SamplesPerChunk)
            {
                int samples = Math.Min(plan.SamplesPerChunk, batch - first);
                var pad = new PadWork { G = g, Plan = plan, Input = pInput + (nint)first * g.InputElements, Padded = padded, Samples = samples };
                BlockRunner.Run(pad, maxParts);
                int rows = samples * plan.Positions;
                var work = new ForwardWork<TActivation>
                {
                    Args = new DirectConvArgs
                    {
                        G = g, Plan = plan, Padded = padded, Weight = pWeight, Bias = pBias,
                        Output = pOutput + (nint)first * g.OutputElements,
                    },
                    Patches = patches, Rows = rows, Isa = isa, Method = method,
                };
                BlockRunner.Run(work, PartsFor(maxParts, rows, g));
            }
        }
    }

    /// <summary>Threads for a chunk of <paramref name="rows"/> output rows: one below the hand-off break-even.</summary>
    private static int PartsFor(int maxParts, int rows, in Conv2DGeometry g) =>
        (long)rows * g.PatchLength * g.Filters < KernelThreads.MinParallelMultiplyAdds ? 1 : maxParts;
}
