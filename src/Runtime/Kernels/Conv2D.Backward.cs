using System;
using System.Runtime.CompilerServices;

namespace SourceNet.Kernels;

// The two backward passes: the input gradient (direct, or dOut·Wᵀ and col2im) and the filter and bias gradients.
public static partial class Conv2D
{
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

    /// <summary><see cref="BackwardFilter"/> at a chosen instruction set and thread limit, by the direct method.</summary>
    internal static void BackwardFilterAt(KernelIsa isa, int maxParts, in Conv2DGeometry g, int batch,
        ReadOnlySpan<float> input, ReadOnlySpan<float> outputGradient, Span<float> weightGradient, Span<float> biasGradient, Span<float> workspace) =>
        BackwardFilterAt(isa, Method.Direct, maxParts, g, batch, input, outputGradient, weightGradient, biasGradient, workspace);

    /// <summary><see cref="BackwardFilter"/> at a chosen method, instruction set and thread limit. Both methods sum each
    /// dW element over a chunk's rows in the same order, so they give the same bits; the im2col method is kept for the
    /// comparison (bench --conv) and the tests.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static unsafe void BackwardFilterAt(KernelIsa isa, Method method, int maxParts, in Conv2DGeometry g, int batch,
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
                if (method == Method.Direct)
                {
                    // The first chunk's sums are the gradient so far; each later chunk's are added to it, in chunk order.
                    var direct = new FilterGradientDirectWork
                    {
                        G = g, Plan = plan, Padded = padded, OutputGradient = pOutGrad + (nint)first * g.OutputElements,
                        Target = first == 0 ? pWGrad : partial, WeightGradient = pWGrad, Rows = rows, Accumulate = first != 0, Isa = isa,
                    };
                    BlockRunner.Run(direct, PartsFor(maxParts, rows, g));
                    continue;
                }
                BlockRunner.Run(new PatchWork { G = g, Plan = plan, Padded = padded, Patches = patches, Rows = rows }, maxParts);
                // The first chunk's product is the gradient so far; each later one is added to it, in chunk order.
                int parts = PartsFor(maxParts, rows, g);
                if (parts == 1 || !FilterGradientByRows)
                {
                    // One thread: the plain product, whose single 64-column panel measured faster than 48-row
                    // blocks. Several: the row split below (Gemm would split the few columns instead).
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
                BlockRunner.Run(product, parts);
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
        // Checked here with their own names; ForwardAt would call them input and output.
        CheckBatch(batch);
        CheckLength(nameof(outputGradient), outputGradient.Length, (long)batch * g.OutputElements, batch, g.OutputHeight, g.OutputWidth, g.Filters);
        CheckWeight(g, weight.Length, nameof(weight));
        CheckLength(nameof(inputGradient), inputGradient.Length, (long)batch * g.InputElements, batch, g.InputHeight, g.InputWidth, g.InputChannels);
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

    /// <summary>Whether <see cref="BackwardFilter"/> on several threads splits dW by rows (<see cref="FilterGradientWork"/>)
    /// or leaves the product to <see cref="Gemm"/>'s column split; a switch for the benchmarks, same bits either way.</summary>
    internal static bool FilterGradientByRows = true;
}
