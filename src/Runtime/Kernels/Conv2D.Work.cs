using System;
using System.Numerics.Tensors;

namespace SourceNet.Kernels;

// The per-chunk passes of Conv2D as IBlockWork, so BlockRunner can split them over threads. Each block writes
// only its own rows or samples, and computes them in the same order on whichever thread runs it.
public static partial class Conv2D
{
    /// <summary>Which forward method a call uses (see <see cref="Forward{TActivation}"/>).</summary>
    internal enum Method
    {
        /// <summary>Patches of a row block copied out, then <see cref="Gemm"/>'s tile on them.</summary>
        Im2Col,

        /// <summary>The direct kernel, reading the windows in place.</summary>
        Direct,
    }

    /// <summary>Writes the padded copy of each sample of a chunk.</summary>
    private unsafe struct PadWork : IBlockWork
    {
        public Conv2DGeometry G;
        public ConvPlan Plan;
        public float* Input;
        public float* Padded;
        public int Samples;

        public readonly int Blocks => Samples;

        public readonly void RunBlock(int block) =>
            Pad(G, Plan, Input + (nint)block * G.InputElements, Padded + (nint)block * Plan.PaddedElements);
    }

    /// <summary>Blocks of <see cref="ConvPlan.RowsPerBlock"/> output rows of a chunk.</summary>
    private static int RowBlocks(in ConvPlan plan, int rows) => (rows + plan.RowsPerBlock - 1) / plan.RowsPerBlock;

    /// <summary>The forward pass of a chunk, one row block at a time, by either method.</summary>
    private unsafe struct ForwardWork<TActivation> : IBlockWork
        where TActivation : struct, IActivation
    {
        public DirectConvArgs Args;
        public float* Patches;
        public int Rows;
        public KernelIsa Isa;
        public Method Method;

        public readonly int Blocks => RowBlocks(Args.Plan, Rows);

        public readonly void RunBlock(int block)
        {
            int row0 = block * Args.Plan.RowsPerBlock, row1 = Math.Min(Rows, row0 + Args.Plan.RowsPerBlock);
            if (Method == Method.Direct)
            {
                DirectRows<TActivation>(Isa, Args, row0, row1);
                return;
            }
            // Copy this block's patches and multiply them at once, while they are still in this core's L2.
            int k = Args.Plan.PatchLength, n = Args.G.Filters, m = row1 - row0;
            float* patches = Patches + (nint)row0 * k;
            Im2Col(Args.G, Args.Plan, Args.Padded, row0, row1, patches);
            Gemm.MatMulBiasAt<TActivation>(Isa, 1, m, n, k,
                new ReadOnlySpan<float>(patches, m * k),
                new ReadOnlySpan<float>(Args.Weight, k * n),
                Args.Bias == null ? default : new ReadOnlySpan<float>(Args.Bias, n),
                new Span<float>(Args.Output + (nint)row0 * n, m * n));
        }
    }

    /// <summary>The im2col patches of a chunk, one row block at a time.</summary>
    private unsafe struct PatchWork : IBlockWork
    {
        public Conv2DGeometry G;
        public ConvPlan Plan;
        public float* Padded;
        public float* Patches;
        public int Rows;

        public readonly int Blocks => RowBlocks(Plan, Rows);

        public readonly void RunBlock(int block)
        {
            int row0 = block * Plan.RowsPerBlock, row1 = Math.Min(Rows, row0 + Plan.RowsPerBlock);
            Im2Col(G, Plan, Padded, row0, row1, Patches + (nint)row0 * Plan.PatchLength);
        }
    }

    /// <summary>Patch gradients of a chunk, dPatches = dOut·Wᵀ, one row block at a time (Wᵀ already in the workspace).</summary>
    private unsafe struct PatchGradientWork : IBlockWork
    {
        public ConvPlan Plan;
        public int Filters;
        public float* OutputGradient;
        public float* WeightTransposed;
        public float* Patches;
        public int Rows;
        public KernelIsa Isa;

        public readonly int Blocks => RowBlocks(Plan, Rows);

        public readonly void RunBlock(int block)
        {
            int row0 = block * Plan.RowsPerBlock, row1 = Math.Min(Rows, row0 + Plan.RowsPerBlock);
            int m = row1 - row0, n = Plan.PatchLength, k = Filters;
            Gemm.MatMulBiasAt<IdentityActivation>(Isa, 1, m, n, k,
                new ReadOnlySpan<float>(OutputGradient + (nint)row0 * k, m * k),
                new ReadOnlySpan<float>(WeightTransposed, k * n),
                default,
                new Span<float>(Patches + (nint)row0 * n, m * n));
        }
    }

    /// <summary>Per sample of a chunk: scatter-add its patch gradients into its padded gradient, then crop that
    /// into the input gradient. A sample's rows are added in row order by one thread, so the sums are fixed.</summary>
    private unsafe struct Col2ImWork : IBlockWork
    {
        public Conv2DGeometry G;
        public ConvPlan Plan;
        public float* Patches;
        public float* Padded;
        public float* InputGradient;
        public int Samples;

        public readonly int Blocks => Samples;

        public readonly void RunBlock(int block)
        {
            float* padded = Padded + (nint)block * Plan.PaddedElements;
            new Span<float>(padded, Plan.PaddedElements).Clear();
            Col2Im(G, Plan, Patches, block, Padded);
            Crop(G, Plan, padded, InputGradient + (nint)block * G.InputElements);
        }
    }

    /// <summary>
    /// A chunk's share of the weight gradient, by blocks of <see cref="FilterRowsPerBlock"/> rows of dW (patch
    /// entries), every filter: <c>target[rows] = patchesᵀ[rows]·dOut</c>, then, for every chunk after the first,
    /// <c>dW[rows] += target[rows]</c>. Splitting by rows keeps each thread on full-width tiles (the filters are
    /// too few to split by columns) and each reads only its own columns of the patches.
    /// </summary>
    private unsafe struct FilterGradientWork : IBlockWork
    {
        public ConvPlan Plan;
        public int Filters;
        public float* Patches;
        public float* OutputGradient;
        public float* Target;
        public float* WeightGradient;
        public int Rows;
        public bool Accumulate;
        public KernelIsa Isa;

        public readonly int Blocks => (Plan.PatchLength + FilterRowsPerBlock - 1) / FilterRowsPerBlock;

        public readonly void RunBlock(int block)
        {
            int i0 = block * FilterRowsPerBlock, m = Math.Min(Plan.PatchLength - i0, FilterRowsPerBlock), n = Filters;
            float* target = Target + (nint)i0 * n;
            Gemm.MatMulTransposeARows(Isa, m, n, Rows, Patches + i0, Plan.PatchLength, OutputGradient, target);
            if (Accumulate)
                AddInto(WeightGradient + (nint)i0 * n, target, m * n);
        }
    }

    /// <summary>Rows of dW per block of <see cref="FilterGradientWork"/>: a multiple of the 6-row tile.</summary>
    private const int FilterRowsPerBlock = 48;

    /// <summary>destination[f, p] = source[p, f] for the [rows, columns] weight: Wᵀ for the patch gradients.</summary>
    private static unsafe void Transpose(float* source, int rows, int columns, float* destination)
    {
        for (int p = 0; p < rows; p++)
        {
            float* row = source + (nint)p * columns;
            for (int f = 0; f < columns; f++)
                destination[(nint)f * rows + p] = row[f];
        }
    }

    /// <summary>target += addend, element by element (the chunk sums of the weight gradient).</summary>
    private static unsafe void AddInto(float* target, float* addend, int length)
    {
        var t = new Span<float>(target, length);
        TensorPrimitives.Add(t, new ReadOnlySpan<float>(addend, length), t);
    }
}
