using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SourceNet.Kernels;

/// <summary>One 512-bit step of an int8 product: acc[j] += Σ_{t&lt;4} x[4j + t] · w[4j + t].</summary>
internal interface IDot512
{
    static abstract Vector512<int> DotAdd(Vector512<int> acc, Vector512<byte> x, Vector512<sbyte> w);
}

/// <summary>AVX-512BW: the AVX2 sequence on 512 bits (exact for the same reason).</summary>
internal readonly struct Avx512Dot : IDot512
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<int> DotAdd(Vector512<int> acc, Vector512<byte> x, Vector512<sbyte> w) =>
        Avx512F.Add(acc, Avx512BW.MultiplyAddAdjacent(Avx512BW.MultiplyAddAdjacent(x, w), Vector512.Create((short)1)));
}

/// <summary>AVX10.2 / AVX-VNNI-INT8: <c>vpdpbsud</c>, the signed operand first.</summary>
internal readonly struct Vnni512Dot : IDot512
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<int> DotAdd(Vector512<int> acc, Vector512<byte> x, Vector512<sbyte> w) =>
        AvxVnniInt8.V512.MultiplyWideningAndAdd(acc, w, x);
}

internal static partial class Int8Gemm
{
    /// <summary>As <see cref="Run256{TDot}"/>, a block of 16 columns being one vector.</summary>
    private static unsafe void Run512<TDot>(int m, byte* a, int lda, sbyte* w, int groups, int blocks, int* c, int ldc)
        where TDot : struct, IDot512
    {
        for (int block = 0; block < blocks; block++)
        {
            sbyte* wb = w + (long)block * groups * Int8Weights.GroupBytes;
            int* cb = c + block * Int8Weights.BlockColumns;
            int row = 0;
            for (; row + 4 <= m; row += 4)
                Tile4x16Wide<TDot>(a + (long)row * lda, lda, wb, groups, cb + (long)row * ldc, ldc);
            for (; row < m; row++)
                Tile1x16Wide<TDot>(a + (long)row * lda, wb, groups, cb + (long)row * ldc);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Tile4x16Wide<TDot>(byte* a, int lda, sbyte* w, int groups, int* c, int ldc)
        where TDot : struct, IDot512
    {
        Vector512<int> c0 = default, c1 = default, c2 = default, c3 = default;
        byte* a1 = a + lda, a2 = a1 + lda, a3 = a2 + lda;
        for (int g = 0; g < groups; g++)
        {
            Vector512<sbyte> wv = Vector512.Load(w);
            w += Int8Weights.GroupBytes;
            int offset = g * Int8Weights.GroupDepth;
            c0 = TDot.DotAdd(c0, Vector512.Create(Unsafe.ReadUnaligned<int>(a + offset)).AsByte(), wv);
            c1 = TDot.DotAdd(c1, Vector512.Create(Unsafe.ReadUnaligned<int>(a1 + offset)).AsByte(), wv);
            c2 = TDot.DotAdd(c2, Vector512.Create(Unsafe.ReadUnaligned<int>(a2 + offset)).AsByte(), wv);
            c3 = TDot.DotAdd(c3, Vector512.Create(Unsafe.ReadUnaligned<int>(a3 + offset)).AsByte(), wv);
        }
        c0.Store(c);
        c1.Store(c + ldc);
        c2.Store(c + 2 * ldc);
        c3.Store(c + 3 * ldc);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Tile1x16Wide<TDot>(byte* a, sbyte* w, int groups, int* c)
        where TDot : struct, IDot512
    {
        Vector512<int> c0 = default, c1 = default;
        int g = 0;
        for (; g + 2 <= groups; g += 2)
        {
            c0 = TDot.DotAdd(c0, Vector512.Create(Unsafe.ReadUnaligned<int>(a + g * Int8Weights.GroupDepth)).AsByte(), Vector512.Load(w));
            c1 = TDot.DotAdd(c1, Vector512.Create(Unsafe.ReadUnaligned<int>(a + (g + 1) * Int8Weights.GroupDepth)).AsByte(), Vector512.Load(w + Int8Weights.GroupBytes));
            w += 2 * Int8Weights.GroupBytes;
        }
        if (g < groups)
            c0 = TDot.DotAdd(c0, Vector512.Create(Unsafe.ReadUnaligned<int>(a + g * Int8Weights.GroupDepth)).AsByte(), Vector512.Load(w));
        (c0 + c1).Store(c);
    }
}
