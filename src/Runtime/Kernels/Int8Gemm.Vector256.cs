using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SourceNet.Kernels;

/// <summary>One 256-bit step of an int8 product: acc[j] += Σ_{t&lt;4} x[4j + t] · w[4j + t].</summary>
internal interface IDot256
{
    static abstract Vector256<int> DotAdd(Vector256<int> acc, Vector256<byte> x, Vector256<sbyte> w);
}

/// <summary>AVX2: pairs to int16 (exact: weights are within <see cref="Int8Gemm.WeightLimit"/>), pairs of those to int32.</summary>
internal readonly struct Avx2Dot : IDot256
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> DotAdd(Vector256<int> acc, Vector256<byte> x, Vector256<sbyte> w) =>
        Avx2.Add(acc, Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(x, w), Vector256.Create((short)1)));
}

/// <summary>AVX-VNNI: the same sum in one instruction, straight into int32.</summary>
internal readonly struct AvxVnniDot : IDot256
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> DotAdd(Vector256<int> acc, Vector256<byte> x, Vector256<sbyte> w) =>
        AvxVnni.MultiplyWideningAndAdd(acc, x, w);
}

internal static partial class Int8Gemm
{
    /// <summary>
    /// Blocks of 16 columns (two vectors of 8 sums) outside, tiles of four rows inside, so a block's packed weights
    /// stay in L1 while the rows stream past them; each step broadcasts four input bytes against 4 x 16 weights.
    /// </summary>
    private static unsafe void Run256<TDot>(int m, byte* a, int lda, sbyte* w, int groups, int blocks, int* c, int ldc)
        where TDot : struct, IDot256
    {
        for (int block = 0; block < blocks; block++)
        {
            sbyte* wb = w + (long)block * groups * Int8Weights.GroupBytes;
            int* cb = c + block * Int8Weights.BlockColumns;
            int row = 0;
            for (; row + 4 <= m; row += 4)
                Tile4x16<TDot>(a + (long)row * lda, lda, wb, groups, cb + (long)row * ldc, ldc);
            for (; row < m; row++)
                Tile1x16<TDot>(a + (long)row * lda, wb, groups, cb + (long)row * ldc);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Tile4x16<TDot>(byte* a, int lda, sbyte* w, int groups, int* c, int ldc)
        where TDot : struct, IDot256
    {
        Vector256<int> c00 = default, c01 = default, c10 = default, c11 = default;
        Vector256<int> c20 = default, c21 = default, c30 = default, c31 = default;
        byte* a1 = a + lda, a2 = a1 + lda, a3 = a2 + lda;
        for (int g = 0; g < groups; g++)
        {
            Vector256<sbyte> w0 = Vector256.Load(w);
            Vector256<sbyte> w1 = Vector256.Load(w + 32);
            w += Int8Weights.GroupBytes;
            int offset = g * Int8Weights.GroupDepth;
            Vector256<byte> x = Vector256.Create(Unsafe.ReadUnaligned<int>(a + offset)).AsByte();
            c00 = TDot.DotAdd(c00, x, w0);
            c01 = TDot.DotAdd(c01, x, w1);
            x = Vector256.Create(Unsafe.ReadUnaligned<int>(a1 + offset)).AsByte();
            c10 = TDot.DotAdd(c10, x, w0);
            c11 = TDot.DotAdd(c11, x, w1);
            x = Vector256.Create(Unsafe.ReadUnaligned<int>(a2 + offset)).AsByte();
            c20 = TDot.DotAdd(c20, x, w0);
            c21 = TDot.DotAdd(c21, x, w1);
            x = Vector256.Create(Unsafe.ReadUnaligned<int>(a3 + offset)).AsByte();
            c30 = TDot.DotAdd(c30, x, w0);
            c31 = TDot.DotAdd(c31, x, w1);
        }
        c00.Store(c); c01.Store(c + 8);
        c10.Store(c + ldc); c11.Store(c + ldc + 8);
        c20.Store(c + 2 * ldc); c21.Store(c + 2 * ldc + 8);
        c30.Store(c + 3 * ldc); c31.Store(c + 3 * ldc + 8);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Tile1x16<TDot>(byte* a, sbyte* w, int groups, int* c)
        where TDot : struct, IDot256
    {
        // Two chains per vector half, summed at the end: one chain would wait on each add's latency.
        Vector256<int> c0 = default, c1 = default, d0 = default, d1 = default;
        int g = 0;
        for (; g + 2 <= groups; g += 2)
        {
            Vector256<byte> x = Vector256.Create(Unsafe.ReadUnaligned<int>(a + g * Int8Weights.GroupDepth)).AsByte();
            c0 = TDot.DotAdd(c0, x, Vector256.Load(w));
            c1 = TDot.DotAdd(c1, x, Vector256.Load(w + 32));
            x = Vector256.Create(Unsafe.ReadUnaligned<int>(a + (g + 1) * Int8Weights.GroupDepth)).AsByte();
            d0 = TDot.DotAdd(d0, x, Vector256.Load(w + 64));
            d1 = TDot.DotAdd(d1, x, Vector256.Load(w + 96));
            w += 2 * Int8Weights.GroupBytes;
        }
        if (g < groups)
        {
            Vector256<byte> x = Vector256.Create(Unsafe.ReadUnaligned<int>(a + g * Int8Weights.GroupDepth)).AsByte();
            c0 = TDot.DotAdd(c0, x, Vector256.Load(w));
            c1 = TDot.DotAdd(c1, x, Vector256.Load(w + 32));
        }
        (c0 + d0).Store(c);
        (c1 + d1).Store(c + 8);
    }
}
