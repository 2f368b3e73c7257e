using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace SourceNet.Kernels;

// The batch-normalisation passes cut into blocks of rows for BlockRunner. A statistic is summed per channel over
// groups of GroupRows rows in float; each block stores its groups' partial sums, widened to double, in slots of its
// own, and the calling thread then adds the slots in row order. That is the same sequence of additions one thread
// makes when it adds each group's partial sum as it goes, so the statistics are the same bits on any number of
// threads. The element-wise passes (scale and shift, the input gradient) write disjoint rows.
public static partial class BatchNorm
{
    /// <summary>Rows a group's float partial sum covers before it is added in double.</summary>
    private const int GroupRows = 32;

    /// <summary>Groups of rows in one block of a statistics pass (1,024 rows).</summary>
    private const int GroupsPerBlock = 32;

    /// <summary>Values an element-wise block covers, about: enough to repay the hand-off, small enough to balance.</summary>
    private const int ElementsPerBlock = 16 * 1024;

    /// <summary>Passes over fewer values than this stay on the calling thread.</summary>
    private const int MinParallelElements = 64 * 1024;

    private static int PartsFor(int rows, int channels) =>
        (long)rows * channels < MinParallelElements ? 1 : KernelThreads.Count;

    private static int GroupCount(int rows) => (rows + GroupRows - 1) / GroupRows;

    /// <summary>Per group of rows and per vector channel: Σ x, or Σ (x − shift)² when <see cref="Shift"/> is set.</summary>
    private unsafe struct ColumnSumsWork : IBlockWork
    {
        public float* Input;
        public float* Shift;
        public double* Partials;
        public int Rows;
        public int Channels;
        public int VectorChannels;

        public readonly int Blocks => (GroupCount(Rows) + GroupsPerBlock - 1) / GroupsPerBlock;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public readonly void RunBlock(int block)
        {
            int lastGroup = Math.Min(GroupCount(Rows), (block + 1) * GroupsPerBlock);
            bool squares = Shift != null;
            for (int group = block * GroupsPerBlock; group < lastGroup; group++)
            {
                int start = group * GroupRows, end = Math.Min(Rows, start + GroupRows);
                double* slot = Partials + (nint)group * VectorChannels;
                for (int c0 = 0; c0 < VectorChannels; c0 += 8)
                {
                    var m = squares ? Vector256.Load(Shift + c0) : Vector256<float>.Zero;
                    Vector256<float> sum = Vector256<float>.Zero;
                    for (int r = start; r < end; r++)
                    {
                        var value = Vector256.Load(Input + (nint)r * Channels + c0) - m;
                        sum += squares ? value * value : value;
                    }
                    Vector256.WidenLower(sum).Store(slot + c0);
                    Vector256.WidenUpper(sum).Store(slot + c0 + 4);
                }
            }
        }
    }

    /// <summary>Per group of rows and per vector channel: Σ dy and Σ dy·x̂, side by side in a slot of 2·VectorChannels.</summary>
    private unsafe struct GradientSumsWork : IBlockWork
    {
        public float* Input;
        public float* OutputGradient;
        public float* Mean;
        public float* InverseDeviation;
        public double* Partials;
        public int Rows;
        public int Channels;
        public int VectorChannels;

        public readonly int Blocks => (GroupCount(Rows) + GroupsPerBlock - 1) / GroupsPerBlock;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public readonly void RunBlock(int block)
        {
            int lastGroup = Math.Min(GroupCount(Rows), (block + 1) * GroupsPerBlock);
            for (int group = block * GroupsPerBlock; group < lastGroup; group++)
            {
                int start = group * GroupRows, end = Math.Min(Rows, start + GroupRows);
                double* slot = Partials + (nint)group * 2 * VectorChannels;
                for (int c0 = 0; c0 < VectorChannels; c0 += 8)
                {
                    var m = Vector256.Load(Mean + c0);
                    var inv = Vector256.Load(InverseDeviation + c0);
                    Vector256<float> sumDy = Vector256<float>.Zero, sumDyXHat = Vector256<float>.Zero;
                    for (int r = start; r < end; r++)
                    {
                        nint at = (nint)r * Channels + c0;
                        var g = Vector256.Load(OutputGradient + at);
                        sumDy += g;
                        sumDyXHat += g * ((Vector256.Load(Input + at) - m) * inv);
                    }
                    Vector256.WidenLower(sumDy).Store(slot + c0);
                    Vector256.WidenUpper(sumDy).Store(slot + c0 + 4);
                    Vector256.WidenLower(sumDyXHat).Store(slot + VectorChannels + c0);
                    Vector256.WidenUpper(sumDyXHat).Store(slot + VectorChannels + c0 + 4);
                }
            }
        }
    }

    /// <summary>output = input·scale + shift per channel, then the activation, over a block of rows.</summary>
    private unsafe struct ScaleShiftWork<TActivation> : IBlockWork
        where TActivation : struct, IActivation
    {
        public float* Input;
        public float* Scale;
        public float* ShiftValues;
        public float* Output;
        public int Rows;
        public int Channels;

        private readonly int RowsPerBlock => Math.Max(1, ElementsPerBlock / Channels);

        public readonly int Blocks => (Rows + RowsPerBlock - 1) / RowsPerBlock;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public readonly void RunBlock(int block)
        {
            int start = block * RowsPerBlock, end = Math.Min(Rows, start + RowsPerBlock);
            for (int r = start; r < end; r++)
            {
                nint row = (nint)r * Channels;
                int c = 0;
                if (Vector256.IsHardwareAccelerated)
                {
                    for (; c <= Channels - 8; c += 8)
                    {
                        (Vector256.Load(Input + row + c) * Vector256.Load(Scale + c) + Vector256.Load(ShiftValues + c)).Store(Output + row + c);
                    }
                }
                for (; c < Channels; c++)
                {
                    Output[row + c] = Input[row + c] * Scale[c] + ShiftValues[c];
                }
            }
            Activations.ForwardInPlace<TActivation>(new Span<float>(Output + (nint)start * Channels, (end - start) * Channels));
        }
    }

    /// <summary>dx = a·dy + b·x + k per channel over a block of rows.</summary>
    private unsafe struct InputGradientWork : IBlockWork
    {
        public float* Input;
        public float* OutputGradient;
        public float* A;
        public float* B;
        public float* K;
        public float* InputGradient;
        public int Rows;
        public int Channels;

        private readonly int RowsPerBlock => Math.Max(1, ElementsPerBlock / Channels);

        public readonly int Blocks => (Rows + RowsPerBlock - 1) / RowsPerBlock;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public readonly void RunBlock(int block)
        {
            int start = block * RowsPerBlock, end = Math.Min(Rows, start + RowsPerBlock);
            for (int r = start; r < end; r++)
            {
                nint row = (nint)r * Channels;
                int c = 0;
                if (Vector256.IsHardwareAccelerated)
                {
                    for (; c <= Channels - 8; c += 8)
                    {
                        (Vector256.Load(A + c) * Vector256.Load(OutputGradient + row + c) + Vector256.Load(B + c) * Vector256.Load(Input + row + c) + Vector256.Load(K + c))
                            .Store(InputGradient + row + c);
                    }
                }
                for (; c < Channels; c++)
                {
                    InputGradient[row + c] = A[c] * OutputGradient[row + c] + B[c] * Input[row + c] + K[c];
                }
            }
        }
    }
}
