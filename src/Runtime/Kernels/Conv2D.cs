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
/// <para>Forward reads each window in place from a zero-padded copy of the input (the direct method); the im2col
/// method (patches copied out, then <see cref="Gemm.MatMulBias{TActivation}"/>) computes the same values and is
/// kept for the measurements in docs/performance.md, which chose between them.</para>
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

    /// <summary><see cref="BackwardInput"/> at a chosen instruction set and thread limit; <see cref="Method.Direct"/>
    /// applies where the stride is 1 (see <see cref="TransposedGeometry"/>), else the im2col method runs.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static unsafe void BackwardInputAt(KernelIsa isa, Method method, int maxParts, in Conv2DGeometry g, int batch,
        ReadOnlySpan<float> outputGradient, ReadOnlySpan<float> weight, Span<float> inputGradient, Span<float> workspace)
    {
        if (method == Method.Direct && HasDirectInputGradient(g))
        {
            BackwardInputDirect(isa, maxParts, g, batch, outputGradient, weight, inputGradient, workspace);
            return;
        }
        var plan = new ConvPlan(g);
        CheckBatch(batch);
        CheckLength(nameof(outputGradient), outputGradient.Length, (long)batch * g.OutputElements, batch, g.OutputHeight, g.OutputWidth, g.Filters);
        CheckWeight(g, weight.Length, nameof(weight));
        CheckLength(nameof(inputGradient), inputGradient.Length, (long)batch * g.InputElements, batch, g.InputHeight, g.InputWidth, g.InputChannels);
        CheckWorkspace(g, plan, batch, workspace.Length);
        fixed (float* pOutGrad = outputGradient)
        fixed (float* pWeight = weight)
        fixed (float* pInGrad = inputGradient)
        fixed (float* pWork = workspace)
        {
            float* padded = pWork, patches = pWork + plan.PatchesOffset(batch), transposed = pWork + plan.MatrixOffset(batch);
            // Wᵀ once per call, in the workspace, so the patch gradients are a plain A·B product.
            Transpose(pWeight, plan.PatchLength, g.Filters, transposed);
            for (int first = 0; first < batch; first += plan.SamplesPerChunk)
            {
                int samples = Math.Min(plan.SamplesPerChunk, batch - first);
                int rows = samples * plan.Positions;
                var products = new PatchGradientWork
                {
                    Plan = plan, Filters = g.Filters, OutputGradient = pOutGrad + (nint)first * g.OutputElements,
                    WeightTransposed = transposed, Patches = patches, Rows = rows, Isa = isa,
                };
                BlockRunner.Run(products, PartsFor(maxParts, rows, g));
                var scatter = new Col2ImWork
                {
                    G = g, Plan = plan, Patches = patches, Padded = padded,
                    InputGradient = pInGrad + (nint)first * g.InputElements, Samples = samples,
                };
                BlockRunner.Run(scatter, maxParts);
            }
        }
    }

    /// <summary><see cref="BackwardFilter"/> at a chosen instruction set and thread limit.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static unsafe void BackwardFilterAt(KernelIsa isa, int maxParts, in Conv2DGeometry g, int batch,
        ReadOnlySpan<float> input, ReadOnlySpan<float> outputGradient, Span<float> weightGradient, Span<float> biasGradient, Span<float> workspace)
    {
        var plan = new ConvPlan(g);
        CheckBatch(batch);
        CheckLength(nameof(input), input.Length, (long)batch * g.InputElements, batch, g.InputHeight, g.InputWidth, g.InputChannels);
        CheckLength(nameof(outputGradient), outputGradient.Length, (long)batch * g.OutputElements, batch, g.OutputHeight, g.OutputWidth, g.Filters);
        CheckWeight(g, weightGradient.Length, nameof(weightGradient));
        CheckExact(nameof(biasGradient), biasGradient.Length, g.Filters, "one per filter");
        CheckWorkspace(g, plan, batch, workspace.Length);
        int n = g.Filters;
        // The bias gradient in one pass over the whole batch: dOut is [batch·OH·OW, Cout].
        Gemm.ColumnSumsAt(isa, batch * plan.Positions, n, outputGradient, biasGradient);
        fixed (float* pInput = input)
        fixed (float* pOutGrad = outputGradient)
        fixed (float* pWGrad = weightGradient)
        fixed (float* pWork = workspace)
        {
            float* padded = pWork, patches = pWork + plan.PatchesOffset(batch), partial = pWork + plan.MatrixOffset(batch);
            for (int first = 0; first < batch; first += plan.SamplesPerChunk)
            {
                int samples = Math.Min(plan.SamplesPerChunk, batch - first);
                int rows = samples * plan.Positions;
                BlockRunner.Run(new PadWork { G = g, Plan = plan, Input = pInput + (nint)first * g.InputElements, Padded = padded, Samples = samples }, maxParts);
                BlockRunner.Run(new PatchWork { G = g, Plan = plan, Padded = padded, Patches = patches, Rows = rows }, maxParts);
                // The first chunk's product is the gradient so far; each later one is added to it, in chunk order.
                if (!FilterGradientByRows)
                {
                    // The plain product, split by columns (kept for the measurements that chose the row split).
                    float* target = first == 0 ? pWGrad : partial;
                    int m = plan.PatchLength;
                    Gemm.MatMulTransposeAAt(isa, KernelThreads.PartsFor((long)m * n * rows, n, maxParts), m, n, rows,
                        new ReadOnlySpan<float>(patches, rows * m),
                        new ReadOnlySpan<float>(pOutGrad + (nint)first * g.OutputElements, rows * n),
                        new Span<float>(target, m * n));
                    if (first != 0)
                        AddInto(pWGrad, partial, m * n);
                    continue;
                }
                var product = new FilterGradientWork
                {
                    Plan = plan, Filters = n, Patches = patches, OutputGradient = pOutGrad + (nint)first * g.OutputElements,
                    Target = first == 0 ? pWGrad : partial, WeightGradient = pWGrad, Rows = rows, Accumulate = first != 0, Isa = isa,
                };
                BlockRunner.Run(product, PartsFor(maxParts, rows, g));
            }
        }
    }

    /// <summary>
    /// With stride 1, <c>dInput[b, y, x, c] = Σ_{ky,kx,f} dOut[b, y + padTop − ky, x + padLeft − kx, f] · W[ky, kx, c, f]</c>
    /// is a forward convolution of dOut (Cout channels, out-of-range positions zero) with the kernel flipped in
    /// both axes and its channel axes swapped (Cin filters), padded by <c>K − 1 − pad</c>: so the direct forward
    /// kernel computes it, windows read in place, with no patch matrix and no scatter-add.
    /// </summary>
    internal static Conv2DGeometry TransposedGeometry(in Conv2DGeometry g) => new(
        g.OutputHeight, g.OutputWidth, g.Filters, g.InputChannels, g.KernelHeight, g.KernelWidth, 1, 1,
        g.KernelHeight - 1 - g.PadTop, g.KernelWidth - 1 - g.PadLeft, g.InputHeight, g.InputWidth);

    /// <summary>Stride 1 and padding within the kernel (always so for Same and Valid).</summary>
    private static bool HasDirectInputGradient(in Conv2DGeometry g) =>
        g.StrideY == 1 && g.StrideX == 1 && g.PadTop < g.KernelHeight && g.PadLeft < g.KernelWidth;

    private static unsafe void BackwardInputDirect(KernelIsa isa, int maxParts, in Conv2DGeometry g, int batch,
        ReadOnlySpan<float> outputGradient, ReadOnlySpan<float> weight, Span<float> inputGradient, Span<float> workspace)
    {
        Conv2DGeometry t = TransposedGeometry(g);
        var plan = new ConvPlan(t);
        CheckBatch(batch);
        CheckWeight(g, weight.Length, nameof(weight));
        CheckWorkspace(t, plan, batch, workspace.Length);
        int kh = g.KernelHeight, kw = g.KernelWidth, cin = g.InputChannels, cout = g.Filters;
        // The flipped kernel goes where the transposed plan keeps its weight-sized matrix, which its forward pass
        // does not use.
        Span<float> flipped = workspace.Slice((int)plan.MatrixOffset(batch), weight.Length);
        for (int ky = 0; ky < kh; ky++)
            for (int kx = 0; kx < kw; kx++)
            {
                ReadOnlySpan<float> source = weight.Slice(((kh - 1 - ky) * kw + (kw - 1 - kx)) * cin * cout, cin * cout);
                Span<float> destination = flipped.Slice((ky * kw + kx) * cout * cin, cout * cin);
                for (int c = 0; c < cin; c++)
                    for (int f = 0; f < cout; f++)
                        destination[f * cin + c] = source[c * cout + f];
            }
        ForwardAt<IdentityActivation>(isa, Method.Direct, maxParts, t, batch, outputGradient, flipped, default, inputGradient, workspace);
    }

    /// <summary>Whether <see cref="BackwardFilter"/> splits dW by rows (<see cref="FilterGradientWork"/>) or
    /// leaves the product to <see cref="Gemm"/>'s column split; a switch for the benchmarks, same bits either way.</summary>
    internal static bool FilterGradientByRows = true;

    /// <summary>Threads for a chunk of <paramref name="rows"/> output rows: one below the hand-off break-even.</summary>
    private static int PartsFor(int maxParts, int rows, in Conv2DGeometry g) =>
        (long)rows * g.PatchLength * g.Filters < KernelThreads.MinParallelMultiplyAdds ? 1 : maxParts;

    private static void CheckBatch(int batch)
    {
        if (batch <= 0)
            throw new ArgumentOutOfRangeException(nameof(batch), batch, "The batch size must be positive.");
    }

    // The shape is passed as numbers and formatted only on failure, so a valid call allocates nothing.
    private static void CheckLength(string name, int found, long expected, int batch, int height, int width, int channels)
    {
        if (found < expected)
            throw new ArgumentException($"{name} has {found} values; at least {expected} expected (batch {batch} x {height}x{width}x{channels}).", name);
    }

    private static void CheckExact(string name, int found, int expected, string what)
    {
        if (found != expected)
            throw new ArgumentException($"{name} has {found} values; {expected} expected ({what}).", name);
    }

    private static void CheckWeight(in Conv2DGeometry g, int found, string name)
    {
        if (found != g.PatchLength * g.Filters)
            throw new ArgumentException($"{name} has {found} values; {g.PatchLength * g.Filters} expected ({g.KernelHeight}x{g.KernelWidth}x{g.InputChannels}x{g.Filters}, HWIO).", name);
    }

    private static void CheckWorkspace(in Conv2DGeometry g, in ConvPlan plan, int batch, int found)
    {
        long expected = plan.Length(batch, g.Filters);
        if (found < expected)
            throw new ArgumentException($"workspace has {found} floats; at least {expected} expected for batch {batch} (Conv2D.WorkspaceLength).", "workspace");
    }
}
