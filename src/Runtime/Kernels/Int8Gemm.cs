using System;
using System.Buffers.Binary;
using System.Runtime.Intrinsics.X86;

namespace SourceNet.Kernels;

/// <summary>The instructions an int8 product runs on. Every path gives the same int32 sums, bit for bit.</summary>
internal enum Int8Path
{
    /// <summary>Plain integer arithmetic: the reference, correct everywhere.</summary>
    Scalar = 0,

    /// <summary>AVX2: <c>vpmaddubsw</c> (u8·s8 pairs to int16), <c>vpmaddwd</c> by ones (pairs to int32), add.</summary>
    Avx2 = 1,

    /// <summary>AVX-VNNI: <c>vpdpbusd</c> on 256 bits, four u8·s8 products added into each int32 in one instruction.</summary>
    AvxVnni = 2,

    /// <summary>AVX-512BW: the AVX2 sequence on 512 bits.</summary>
    Avx512 = 3,

    /// <summary>AVX10.2 / AVX-VNNI-INT8 on 512 bits: <c>vpdpbsud</c>, s8·u8 products added into int32. .NET 10 exposes
    /// no 512-bit <c>vpdpbusd</c> (AVX512-VNNI), so this is its 512-bit dot-product form.</summary>
    Vnni512 = 4,
}

/// <summary>
/// The int8 matrix product of quantised inference: <c>C[m, n] = Σ_k A[m, k] · W[k, n]</c> with A unsigned bytes
/// (activations), W signed bytes (weights, packed by <see cref="Int8Weights"/>) and C exact int32 sums. It runs on
/// the widest dot-product instructions the machine has (<see cref="Best"/>) and falls back to AVX2 and to scalar code;
/// all paths give the same sums, so a quantised network answers alike on every machine.
/// </summary>
/// <remarks>
/// The AVX2 and AVX-512BW paths add two u8·s8 products into an int16 with signed saturation (<c>vpmaddubsw</c>). Weights
/// are kept within ±<see cref="WeightLimit"/>, so 2 · 255 · 63 = 32,130 fits in an int16 and no sum ever saturates:
/// that is what makes those paths exact. The VNNI instructions add into int32 and need no such limit.
/// </remarks>
internal static partial class Int8Gemm
{
    /// <summary>The largest weight magnitude: two products of a byte and a weight never saturate an int16.</summary>
    public const int WeightLimit = 63;

    /// <summary>The fastest path this machine runs.</summary>
    public static readonly Int8Path Best =
        AvxVnniInt8.V512.IsSupported ? Int8Path.Vnni512 :
        Avx512BW.IsSupported ? Int8Path.Avx512 :
        AvxVnni.IsSupported ? Int8Path.AvxVnni :
        Avx2.IsSupported ? Int8Path.Avx2 :
        Int8Path.Scalar;

    /// <summary>Whether <paramref name="path"/>'s instructions exist on this machine.</summary>
    public static bool IsSupported(Int8Path path) => path switch
    {
        Int8Path.Scalar => true,
        Int8Path.Avx2 => Avx2.IsSupported,
        Int8Path.AvxVnni => AvxVnni.IsSupported,
        Int8Path.Avx512 => Avx512BW.IsSupported,
        Int8Path.Vnni512 => AvxVnniInt8.V512.IsSupported,
        _ => false,
    };

    /// <summary>
    /// Assigns <paramref name="c"/>[i · <paramref name="ldc"/> + j] = Σ_k a[i · <paramref name="lda"/> + k] · W[k, j]
    /// for i &lt; <paramref name="m"/> and every j &lt; <see cref="Int8Weights.PaddedColumns"/> (the padding columns get
    /// 0). Each row of <paramref name="a"/> must have <see cref="Int8Weights.PaddedDepth"/> readable bytes; what lies
    /// past k meets zero weights.
    /// </summary>
    /// <param name="m">Rows of the input and of the output.</param>
    /// <param name="a">The input bytes.</param>
    /// <param name="lda">Bytes between two input rows.</param>
    /// <param name="weights">The packed weights.</param>
    /// <param name="c">The output sums.</param>
    /// <param name="ldc">Values between two output rows.</param>
    /// <param name="sparse">The input is mostly zero bytes: the 256-bit tiles skip groups of four that are zero in
    /// all their rows (the sums are the same either way).</param>
    public static void Multiply(int m, ReadOnlySpan<byte> a, int lda, Int8Weights weights, Span<int> c, int ldc, bool sparse = false) =>
        MultiplyAt(Best, m, a, lda, weights, c, ldc, sparse);

    /// <summary><see cref="Multiply"/> on a chosen path (tests pin each one).</summary>
    public static unsafe void MultiplyAt(Int8Path path, int m, ReadOnlySpan<byte> a, int lda, Int8Weights weights, Span<int> c, int ldc, bool sparse = false)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        if (m == 0)
            return;
        if (lda < weights.PaddedDepth)
            throw new ArgumentException($"Input rows are {lda} bytes apart; the weights need {weights.PaddedDepth} readable per row.", nameof(lda));
        if (ldc < weights.PaddedColumns)
            throw new ArgumentException($"Output rows are {ldc} values apart; the weights write {weights.PaddedColumns} per row.", nameof(ldc));
        if (a.Length < (long)(m - 1) * lda + weights.PaddedDepth)
            throw new ArgumentException($"{m} input rows {lda} bytes apart need {(long)(m - 1) * lda + weights.PaddedDepth} bytes; got {a.Length}.", nameof(a));
        if (c.Length < (long)(m - 1) * ldc + weights.PaddedColumns)
            throw new ArgumentException($"{m} output rows {ldc} apart need {(long)(m - 1) * ldc + weights.PaddedColumns} values; got {c.Length}.", nameof(c));
        if (!IsSupported(path))
            throw new PlatformNotSupportedException($"The int8 path {path} needs instructions this machine does not have.");

        fixed (byte* pa = a)
        fixed (sbyte* pw = weights.Data)
        fixed (int* pc = c)
        {
            switch (path)
            {
                case Int8Path.Avx2 when sparse: Run256<Avx2Dot, SkipZeros>(m, pa, lda, pw, weights.Groups, weights.Blocks, pc, ldc); break;
                case Int8Path.Avx2: Run256<Avx2Dot, KeepZeros>(m, pa, lda, pw, weights.Groups, weights.Blocks, pc, ldc); break;
                case Int8Path.AvxVnni when sparse: Run256<AvxVnniDot, SkipZeros>(m, pa, lda, pw, weights.Groups, weights.Blocks, pc, ldc); break;
                case Int8Path.AvxVnni: Run256<AvxVnniDot, KeepZeros>(m, pa, lda, pw, weights.Groups, weights.Blocks, pc, ldc); break;
                case Int8Path.Avx512: Run512<Avx512Dot>(m, pa, lda, pw, weights.Groups, weights.Blocks, pc, ldc); break;
                case Int8Path.Vnni512: Run512<Vnni512Dot>(m, pa, lda, pw, weights.Groups, weights.Blocks, pc, ldc); break;
                default: RunScalar(m, pa, lda, weights, pc, ldc); break;
            }
        }
    }

    /// <summary>The reference: one int32 sum per output, k in order (integer sums are exact in any order).</summary>
    private static unsafe void RunScalar(int m, byte* a, int lda, Int8Weights weights, int* c, int ldc)
    {
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < weights.PaddedColumns; j++)
            {
                int sum = 0;
                if (j < weights.Columns)
                {
                    for (int k = 0; k < weights.Depth; k++)
                        sum += a[(long)i * lda + k] * weights[k, j];
                }
                c[(long)i * ldc + j] = sum;
            }
        }
    }

    /// <summary>
    /// Of the steps a zero-skipping product of <paramref name="a"/> would take (each group of four inputs of each
    /// four-row tile, and of each row left over), how many it would skip: those whose bytes are zero in every row.
    /// A product gains from skipping only where this is large; where zero groups are few, or fall at random, the test
    /// and the mispredicted branches cost more than the groups saved.
    /// </summary>
    public static (long Skippable, long Steps) CountSkippable(int m, ReadOnlySpan<byte> a, int lda, int groups)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        if (m > 0 && a.Length < (long)(m - 1) * lda + groups * Int8Weights.GroupDepth)
            throw new ArgumentException($"{m} rows {lda} bytes apart need {(long)(m - 1) * lda + groups * Int8Weights.GroupDepth} bytes; got {a.Length}.", nameof(a));
        long skippable = 0, steps = 0;
        int row = 0;
        for (; row + 4 <= m; row += 4)
        {
            for (int g = 0; g < groups; g++)
            {
                int bits = 0;
                for (int r = 0; r < 4; r++)
                    bits |= BinaryPrimitives.ReadInt32LittleEndian(a.Slice((row + r) * lda + g * Int8Weights.GroupDepth, 4));
                skippable += bits == 0 ? 1 : 0;
            }
            steps += groups;
        }
        for (; row < m; row++)
        {
            for (int g = 0; g < groups; g++)
                skippable += BinaryPrimitives.ReadInt32LittleEndian(a.Slice(row * lda + g * Int8Weights.GroupDepth, 4)) == 0 ? 1 : 0;
            steps += groups;
        }
        return (skippable, steps);
    }
}
