using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace SourceNet;

/// <summary>The per-step factors of one Adam-family update, computed once per step in double and rounded once.</summary>
/// <param name="Beta1">β1.</param>
/// <param name="Beta2">β2.</param>
/// <param name="Alpha">The step size with both bias corrections folded in.</param>
/// <param name="Epsilon">The ε added to √v in this form of the update (it may carry a bias correction too).</param>
/// <param name="Decay">The factor the weights are multiplied by first (1 - η·λ for decoupled weight decay); read only
/// by <see cref="AdamKernel.Update{TDecay}"/> with <see cref="DecoupledDecay"/>.</param>
internal readonly record struct AdamFactors(float Beta1, float Beta2, float Alpha, float Epsilon, float Decay);

/// <summary>Whether an Adam-family update multiplies the weights by <see cref="AdamFactors.Decay"/>: a type argument,
/// so the JIT compiles plain Adam without the multiply (its instructions, and bits, are those of before AdamW).</summary>
internal interface IWeightDecay
{
    static abstract bool Decays { get; }
}

/// <summary>Plain Adam: no weight decay.</summary>
internal readonly struct NoDecay : IWeightDecay
{
    public static bool Decays => false;
}

/// <summary>AdamW: decoupled weight decay.</summary>
internal readonly struct DecoupledDecay : IWeightDecay
{
    public static bool Decays => true;
}

/// <summary>
/// The fused Adam-family update, element by element:
/// <c>m = β1·m + (1-β1)·g; v = β2·v + ((1-β2)·g)·g; w = w·decay - (α·m) / (√v + ε)</c>.
/// Every width and the scalar tail round alike, so a split update gives the bits of a whole one.
/// </summary>
internal static class AdamKernel
{
    /// <summary>Updates <paramref name="count"/> elements from <paramref name="start"/> in each of <paramref name="rows"/>
    /// rows <paramref name="rowStride"/> apart: one column slice of a row-major matrix, in one fused pass per row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Update<TDecay>(float[] weights, float[] gradients, float[] m, float[] v, int start, int count, int rows, int rowStride, in AdamFactors f)
        where TDecay : struct, IWeightDecay
    {
        float b1 = f.Beta1, b2 = f.Beta2, oneMinusB1 = 1f - f.Beta1, oneMinusB2 = 1f - f.Beta2, eps = f.Epsilon, alpha = f.Alpha, decay = f.Decay;
        ref float w = ref MemoryMarshal.GetArrayDataReference(weights);
        ref float g = ref MemoryMarshal.GetArrayDataReference(gradients);
        ref float mm = ref MemoryMarshal.GetArrayDataReference(m);
        ref float vv = ref MemoryMarshal.GetArrayDataReference(v);
        for (int row = 0, rowStart = start; row < rows; row++, rowStart += rowStride)
        {
            int i = rowStart, end = rowStart + count;
            if (Vector512.IsHardwareAccelerated)
            {
                i = UpdateVectors<Kernels.Simd512, Vector512<float>, TDecay>(ref w, ref g, ref mm, ref vv, i, end, b1, b2, eps, alpha, decay);
                if (i < end && count >= Vector512<float>.Count)
                {
                    // Tail: one vector ending at the last element, whose leading lanes (already updated) are
                    // written back unchanged. Column slices of a matrix leave such a tail on every row, and a
                    // scalar sqrt and divide per element there would cost more than the whole vector pass.
                    int last = end - Vector512<float>.Count;
                    var fresh = Vector512.GreaterThanOrEqual(Vector512<int>.Indices, Vector512.Create(i - last)).AsSingle();
                    var gi = Vector512.LoadUnsafe(ref g, (nuint)last);
                    var mOld = Vector512.LoadUnsafe(ref mm, (nuint)last);
                    var vOld = Vector512.LoadUnsafe(ref vv, (nuint)last);
                    var wOld = Vector512.LoadUnsafe(ref w, (nuint)last);
                    var mi = Kernels.MultiplyAdd.Vector(Vector512.Create(b1), mOld, Vector512.Create(oneMinusB1) * gi);
                    var vi = Kernels.MultiplyAdd.Vector(Vector512.Create(b2), vOld, Vector512.Create(oneMinusB2) * gi * gi);
                    var wDecayed = TDecay.Decays ? wOld * Vector512.Create(decay) : wOld;
                    var wi = wDecayed - Vector512.Create(alpha) * mi / (Vector512.Sqrt(vi) + Vector512.Create(eps));
                    Vector512.ConditionalSelect(fresh, mi, mOld).StoreUnsafe(ref mm, (nuint)last);
                    Vector512.ConditionalSelect(fresh, vi, vOld).StoreUnsafe(ref vv, (nuint)last);
                    Vector512.ConditionalSelect(fresh, wi, wOld).StoreUnsafe(ref w, (nuint)last);
                    i = end;
                }
            }
            else if (Vector256.IsHardwareAccelerated)
                i = UpdateVectors<Kernels.Simd256, Vector256<float>, TDecay>(ref w, ref g, ref mm, ref vv, i, end, b1, b2, eps, alpha, decay);
            else if (Vector128.IsHardwareAccelerated)
                i = UpdateVectors<Kernels.Simd128, Vector128<float>, TDecay>(ref w, ref g, ref mm, ref vv, i, end, b1, b2, eps, alpha, decay);
            for (; i < end; i++)
            {
                float gi = Unsafe.Add(ref g, i);
                float mi = Kernels.MultiplyAdd.Scalar(b1, Unsafe.Add(ref mm, i), oneMinusB1 * gi);
                float vi = Kernels.MultiplyAdd.Scalar(b2, Unsafe.Add(ref vv, i), oneMinusB2 * gi * gi);
                Unsafe.Add(ref mm, i) = mi;
                Unsafe.Add(ref vv, i) = vi;
                float wi = TDecay.Decays ? Unsafe.Add(ref w, i) * decay : Unsafe.Add(ref w, i);
                Unsafe.Add(ref w, i) = wi - alpha * mi / (MathF.Sqrt(vi) + eps);
            }
        }
    }

    /// <summary>The update on whole vectors from <paramref name="i"/> while one fits before <paramref name="end"/>,
    /// written once for every width; returns the first element it left.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int UpdateVectors<TOps, TVector, TDecay>(ref float w, ref float g, ref float m, ref float v, int i, int end,
        float b1, float b2, float eps, float alpha, float decay)
        where TOps : struct, Kernels.IVectorOps<TVector>
        where TVector : struct
        where TDecay : struct, IWeightDecay
    {
        TVector vb1 = TOps.Broadcast(b1), vb2 = TOps.Broadcast(b2);
        TVector v1mb1 = TOps.Broadcast(1f - b1), v1mb2 = TOps.Broadcast(1f - b2);
        TVector veps = TOps.Broadcast(eps), valpha = TOps.Broadcast(alpha), vdecay = TOps.Broadcast(decay);
        int width = TOps.Width;
        for (; i <= end - width; i += width)
        {
            // m = b1·m + (1-b1)·g; v = b2·v + ((1-b2)·g)·g; w = w·decay - (α·m) / (√v + ε): the scalar tail's order.
            TVector gi = TOps.Load(ref g, (nuint)i);
            TVector mi = TOps.MultiplyAdd(vb1, TOps.Load(ref m, (nuint)i), TOps.Multiply(v1mb1, gi));
            TVector vi = TOps.MultiplyAdd(vb2, TOps.Load(ref v, (nuint)i), TOps.Multiply(TOps.Multiply(v1mb2, gi), gi));
            TOps.Store(mi, ref m, (nuint)i);
            TOps.Store(vi, ref v, (nuint)i);
            TVector wOld = TOps.Load(ref w, (nuint)i);
            if (TDecay.Decays)
                wOld = TOps.Multiply(wOld, vdecay);
            TVector wi = TOps.Subtract(wOld, TOps.Divide(TOps.Multiply(valpha, mi), TOps.Add(TOps.Sqrt(vi), veps)));
            TOps.Store(wi, ref w, (nuint)i);
        }
        return i;
    }
}
