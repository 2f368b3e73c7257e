using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace SourceNet.Kernels;

/// <summary>
/// The logistic function and tanh on eight floats at once, for the recurrent cells' epilogues: a rational function of
/// a few multiply-adds and one division, no exponential. tanh is within 3.2e-7 of the exact value relative to it, σ
/// within 1.9e-7 absolute (the tests compare both against double precision over a dense grid); both stay in their
/// ranges ([−1, 1] and [0, 1]) and give no NaN or infinity for any input but NaN.
/// </summary>
/// <remarks>
/// <para>
/// tanh x = x·P(x²)/Q(x²) for |x| ≤ 9, P and Q of degree 4 with P(0) = Q(0) = 1, and ±tanh 9 (1 in float) above. The
/// coefficients are this project's fit (bench/fit_tanh.py: iterated weighted least squares on the relative error over
/// [0, 9], then a check in float32): the fit itself is within 2.1e-8 of tanh, the rest of the error is float rounding
/// in Horner's scheme and the division.
/// The odd form keeps tanh's sign (−0 included) and its relative accuracy near 0; the result is clamped to [−1, 1]
/// because near saturation the rounding can reach 1 + 2.4e-7.
/// </para>
/// <para>
/// σ(x) = ½ + ½·tanh(x/2). Its error is absolute: where σ is small (x below about −17, σ &lt; 4e-8) it rounds to
/// 0, where 1/(1 + e^-x) would keep a relative accuracy. The recurrent cells only multiply by their gates and add,
/// so an absolute error is the one that counts.
/// </para>
/// <para>
/// Why not e^x: the exponential (range reduction, a polynomial, the exponent's bits) with a division and a select took
/// 4.8 ns a vector for σ and 6.1 for tanh (a one-off timing loop over 100 vectors, Zen 3 VM), bound by its two multiply-add
/// pipes; this takes 2.6-3.0 and 2.2-2.7 ns. The LSTM's 28 forward steps of a 50-sample chunk went from 3.6-3.8 ms to
/// 3.3-3.4 (docs/performance.md).
/// </para>
/// </remarks>
internal static class FastMath
{
    /// <summary>|x| at which tanh is taken as ±tanh 9 (1 − 3e-8, which rounds to 1).</summary>
    private const float Saturation = 9f;
    // P(s) = 1 + P1·s + P2·s² + P3·s³ + P4·s⁴ and Q(s) likewise, s = x².
    private const float P1 = 0.13381025195121765f, P2 = 0.003495587967336178f, P3 = 2.0609062630683184e-05f, P4 = 1.3354611638760616e-08f;
    private const float Q1 = 0.4671434164047241f, Q2 = 0.025876982137560844f, Q3 = 0.00032856338657438755f, Q4 = 7.776542361170868e-07f;

    /// <summary>tanh x: x·P(x²)/Q(x²) with x clamped to ±9, the result clamped to [−1, 1].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Tanh(Vector256<float> x)
    {
        x = Vector256.MinNative(Vector256.MaxNative(x, Vector256.Create(-Saturation)), Vector256.Create(Saturation));
        Vector256<float> s = x * x;
        Vector256<float> p = MultiplyAdd.Vector(Vector256.Create(P4), s, Vector256.Create(P3));
        p = MultiplyAdd.Vector(p, s, Vector256.Create(P2));
        p = MultiplyAdd.Vector(p, s, Vector256.Create(P1));
        p = MultiplyAdd.Vector(p, s, Vector256<float>.One);
        Vector256<float> q = MultiplyAdd.Vector(Vector256.Create(Q4), s, Vector256.Create(Q3));
        q = MultiplyAdd.Vector(q, s, Vector256.Create(Q2));
        q = MultiplyAdd.Vector(q, s, Vector256.Create(Q1));
        q = MultiplyAdd.Vector(q, s, Vector256<float>.One);
        Vector256<float> t = x * p / q;
        return Vector256.MinNative(Vector256.MaxNative(t, -Vector256<float>.One), Vector256<float>.One);
    }

    /// <summary>σ(x) = ½ + ½·tanh(x/2) (see the remarks for its accuracy).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Sigmoid(Vector256<float> x)
    {
        Vector256<float> half = Vector256.Create(0.5f);
        return MultiplyAdd.Vector(Tanh(x * half), half, half);
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
