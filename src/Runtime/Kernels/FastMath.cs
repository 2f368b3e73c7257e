using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace SourceNet.Kernels;

/// <summary>
/// The logistic function and tanh on eight floats at once, for the recurrent cells' epilogues: a handful of
/// multiply-adds each instead of a call per row. Relative error below 2e-7 over every finite input (the tests compare
/// against double precision); large |x| saturates to 0, 1 or ±1 without overflow, so no input gives NaN or infinity.
/// </summary>
/// <remarks>
/// exp is computed only for x ≤ 0 (both functions need e^-|x| alone): x = n·ln 2 + r with |r| ≤ ln 2 / 2, e^r by its
/// Taylor polynomial to degree 6 (truncation below 1e-7), and 2^n put into the exponent bits (n rounded by adding
/// 1.5·2^23, which leaves it in the low bits of the sum). x is clamped at −87 so
/// 2^n stays a normal float. tanh uses an odd polynomial below |x| = 0.625 (where 1 − e^-2|x| would lose digits to
/// cancellation; coefficients fitted to tanh's relative error, 8e-8 in float), and (1 − e)/(1 + e) with e = e^-2|x|
/// above.
/// </remarks>
internal static class FastMath
{
    private const float Log2E = 1.44269504f;
    // ln 2 split in two so n·ln 2 is exact enough for n up to 126.
    private const float Ln2High = 0.693145752f;
    private const float Ln2Low = 1.42860677e-6f;
    private const float SmallTanh = 0.625f;
    // 1.5·2^23: adding it rounds a float below 2^22 in magnitude to an integer, which then sits in the sum's low
    // mantissa bits (two's complement), so n and the bits of 2^n need no conversion instruction.
    private const float RoundingShift = 12582912f;
    private const int RoundingShiftBits = 0x4B400000;

    /// <summary>e^x for x ≤ 0 (positive inputs are not supported); 0 is approached without underflow to a subnormal.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> ExpNonPositive(Vector256<float> x)
    {
        x = Vector256.Max(x, Vector256.Create(-87f));
        Vector256<float> shifted = MultiplyAdd.Vector(x, Vector256.Create(Log2E), Vector256.Create(RoundingShift));
        Vector256<float> n = shifted - Vector256.Create(RoundingShift);
        Vector256<float> r = MultiplyAdd.Vector(n, Vector256.Create(-Ln2High), x);
        r = MultiplyAdd.Vector(n, Vector256.Create(-Ln2Low), r);
        Vector256<float> p = Vector256.Create(1f / 720);
        p = MultiplyAdd.Vector(p, r, Vector256.Create(1f / 120));
        p = MultiplyAdd.Vector(p, r, Vector256.Create(1f / 24));
        p = MultiplyAdd.Vector(p, r, Vector256.Create(1f / 6));
        p = MultiplyAdd.Vector(p, r, Vector256.Create(0.5f));
        p = MultiplyAdd.Vector(p, r, Vector256<float>.One);
        p = MultiplyAdd.Vector(p, r, Vector256<float>.One);
        Vector256<int> bits = (shifted.AsInt32() + Vector256.Create(127 - RoundingShiftBits)) << 23;
        return p * bits.AsSingle();
    }

    /// <summary>σ(x) = 1 / (1 + e^-x), as 1 / (1 + e) for x ≥ 0 and e / (1 + e) below, with e = e^-|x|, so neither side loses digits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Sigmoid(Vector256<float> x)
    {
        Vector256<float> e = ExpNonPositive(-Vector256.Abs(x));
        Vector256<float> positive = Vector256<float>.One / (Vector256<float>.One + e);
        return Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256<float>.Zero), e * positive, positive);
    }

    /// <summary>tanh x: an odd polynomial for |x| &lt; 0.625, (1 − e)/(1 + e) with e = e^-2|x| above, the sign of x restored.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Tanh(Vector256<float> x)
    {
        Vector256<float> a = Vector256.Abs(x);
        Vector256<float> e = ExpNonPositive(a * Vector256.Create(-2f));
        Vector256<float> large = (Vector256<float>.One - e) / (Vector256<float>.One + e);
        Vector256<float> s = a * a;
        Vector256<float> q = Vector256.Create(-0.005691935773938894f);
        q = MultiplyAdd.Vector(q, s, Vector256.Create(0.02062624879181385f));
        q = MultiplyAdd.Vector(q, s, Vector256.Create(-0.05373530462384224f));
        q = MultiplyAdd.Vector(q, s, Vector256.Create(0.13331380486488342f));
        q = MultiplyAdd.Vector(q, s, Vector256.Create(-0.3333328068256378f));
        Vector256<float> small = MultiplyAdd.Vector(a * s, q, a);
        Vector256<float> magnitude = Vector256.ConditionalSelect(Vector256.LessThan(a, Vector256.Create(SmallTanh)), small, large);
        // Copy x's sign bit onto the (non-negative) magnitude.
        return magnitude | (x & Vector256.Create(-0f));
    }

    /// <summary>
    /// σ of <paramref name="count"/> vectors in place, <paramref name="stride"/> vectors apart: the same values as
    /// <see cref="Sigmoid"/> one by one. One function per loop body keeps its constants and its chain in registers
    /// (with two or three chains inlined side by side the JIT spilled the chains' intermediates to the stack, adding a
    /// store and a reload to the latency of each step), and the iterations, independent, overlap.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static unsafe void SigmoidInPlace(Vector256<float>* values, int count, int stride)
    {
        for (int i = 0; i < count; i++, values += stride)
            *values = Sigmoid(*values);
    }

    /// <summary>tanh of <paramref name="count"/> vectors in place, <paramref name="stride"/> vectors apart (see <see cref="SigmoidInPlace"/>).</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static unsafe void TanhInPlace(Vector256<float>* values, int count, int stride)
    {
        for (int i = 0; i < count; i++, values += stride)
            *values = Tanh(*values);
    }
}
