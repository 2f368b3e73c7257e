using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.ComponentModel;

namespace SourceNet.Kernels;

/// <summary>
/// Finds NaN and infinity in inputs before they enter a network. Without it a NaN pixel would pass
/// silently: ReLU's max(NaN, 0) is 0 on x86, so the network would train on a corrupted sample.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class FiniteCheck
{
    /// <summary>Values per block of a split check: 1 MiB, far more than a hand-off costs to read.</summary>
    internal const int BlockLength = 256 * 1024;

    // Per calling thread: the first bad index of each block of a split check (the workers write into the caller's).
    [ThreadStatic] private static int[]? t_blockResults;

    /// <summary>The index of the first NaN or infinite value, or -1 when all are finite.</summary>
    /// <remarks>Large inputs (a test set: 31 MB for MNIST's 10,000 images) are read by the kernel threads in
    /// blocks, since one core does not reach the memory's bandwidth; the answer is the same.</remarks>
    public static unsafe int IndexOfNonFinite(ReadOnlySpan<float> values)
    {
        int blocks = (values.Length + BlockLength - 1) / BlockLength;
        if (blocks < 2 || KernelThreads.Count < 2)
            return Scan(values);
        int[] results = t_blockResults is { } existing && existing.Length >= blocks ? existing : t_blockResults = new int[Math.Max(blocks, 64)];
        fixed (float* start = values)
        {
            BlockRunner.Run(new ScanBlocks(start, values.Length, results), KernelThreads.Count);
        }
        // The first block with a bad value holds the first bad value.
        for (int b = 0; b < blocks; b++)
        {
            if (results[b] >= 0)
                return results[b];
        }
        return -1;
    }

    /// <summary>One block of a split check: its first bad index (in the whole span), or -1.</summary>
    private readonly unsafe struct ScanBlocks(float* start, int length, int[] results) : IBlockWork
    {
        public int Blocks => (length + BlockLength - 1) / BlockLength;

        public void RunBlock(int block)
        {
            int first = block * BlockLength;
            int found = Scan(new ReadOnlySpan<float>(start + first, Math.Min(BlockLength, length - first)));
            results[block] = found < 0 ? -1 : first + found;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Scan(ReadOnlySpan<float> values)
    {
        ref float start = ref MemoryMarshal.GetReference(values);
        int i = 0, n = values.Length;
        // x - x is 0 for every finite x and NaN for NaN and ±infinity.
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i <= n - 16; i += 16)
            {
                var v = Vector512.LoadUnsafe(ref start, (nuint)i);
                if (!Vector512.EqualsAll(v - v, Vector512<float>.Zero)) break;
            }
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= n - 8; i += 8)
            {
                var v = Vector256.LoadUnsafe(ref start, (nuint)i);
                if (!Vector256.EqualsAll(v - v, Vector256<float>.Zero)) break;
            }
        }
        for (; i < n; i++)
        {
            if (!float.IsFinite(Unsafe.Add(ref start, i))) return i;
        }
        return -1;
    }
}
