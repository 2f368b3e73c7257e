using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace SourceNet.Kernels;

/// <summary>No activation: f(z) = z.</summary>
public readonly struct IdentityActivation : IActivation
{
    /// <inheritdoc/>
    public static float Forward(float z) => z;
    /// <inheritdoc/>
    public static Vector512<float> Forward(Vector512<float> z) => z;
    /// <inheritdoc/>
    public static Vector256<float> Forward(Vector256<float> z) => z;
    /// <inheritdoc/>
    public static Vector128<float> Forward(Vector128<float> z) => z;
    /// <inheritdoc/>
    public static float DerivativeFromOutput(float y) => 1f;
    /// <inheritdoc/>
    public static Vector512<float> DerivativeFromOutput(Vector512<float> y) => Vector512<float>.One;
    /// <inheritdoc/>
    public static Vector256<float> DerivativeFromOutput(Vector256<float> y) => Vector256<float>.One;
    /// <inheritdoc/>
    public static Vector128<float> DerivativeFromOutput(Vector128<float> y) => Vector128<float>.One;
}

/// <summary>f(z) = max(0, z); f' = 1 where the output is positive, else 0.</summary>
public readonly struct ReluActivation : IActivation
{
    /// <inheritdoc/>
    public static float Forward(float z) => z > 0f ? z : 0f;
    /// <inheritdoc/>
    public static Vector512<float> Forward(Vector512<float> z) => Vector512.Max(z, Vector512<float>.Zero);
    /// <inheritdoc/>
    public static Vector256<float> Forward(Vector256<float> z) => Vector256.Max(z, Vector256<float>.Zero);
    /// <inheritdoc/>
    public static Vector128<float> Forward(Vector128<float> z) => Vector128.Max(z, Vector128<float>.Zero);
    /// <inheritdoc/>
    public static float DerivativeFromOutput(float y) => y > 0f ? 1f : 0f;
    /// <inheritdoc/>
    public static Vector512<float> DerivativeFromOutput(Vector512<float> y) =>
        Vector512.GreaterThan(y, Vector512<float>.Zero) & Vector512<float>.One;
    /// <inheritdoc/>
    public static Vector256<float> DerivativeFromOutput(Vector256<float> y) =>
        Vector256.GreaterThan(y, Vector256<float>.Zero) & Vector256<float>.One;
    /// <inheritdoc/>
    public static Vector128<float> DerivativeFromOutput(Vector128<float> y) =>
        Vector128.GreaterThan(y, Vector128<float>.Zero) & Vector128<float>.One;
}

/// <summary>f(z) = 1 / (1 + e^-z); f' = y(1 - y).</summary>
public readonly struct SigmoidActivation : IActivation
{
    /// <inheritdoc/>
    public static float Forward(float z) => 1f / (1f + MathF.Exp(-z));
    /// <inheritdoc/>
    public static Vector512<float> Forward(Vector512<float> z) => Vector512<float>.One / (Vector512<float>.One + Vector512.Exp(-z));
    /// <inheritdoc/>
    public static Vector256<float> Forward(Vector256<float> z) => Vector256<float>.One / (Vector256<float>.One + Vector256.Exp(-z));
    /// <inheritdoc/>
    public static Vector128<float> Forward(Vector128<float> z) => Vector128<float>.One / (Vector128<float>.One + Vector128.Exp(-z));
    /// <inheritdoc/>
    public static float DerivativeFromOutput(float y) => y * (1f - y);
    /// <inheritdoc/>
    public static Vector512<float> DerivativeFromOutput(Vector512<float> y) => y * (Vector512<float>.One - y);
    /// <inheritdoc/>
    public static Vector256<float> DerivativeFromOutput(Vector256<float> y) => y * (Vector256<float>.One - y);
    /// <inheritdoc/>
    public static Vector128<float> DerivativeFromOutput(Vector128<float> y) => y * (Vector128<float>.One - y);
}

/// <summary>f(z) = tanh z, computed as 2σ(2z) - 1; f' = 1 - y².</summary>
public readonly struct TanhActivation : IActivation
{
    /// <inheritdoc/>
    public static float Forward(float z) => MathF.Tanh(z);
    /// <inheritdoc/>
    public static Vector512<float> Forward(Vector512<float> z)
    {
        var two = Vector512.Create(2f);
        return two / (Vector512<float>.One + Vector512.Exp(-two * z)) - Vector512<float>.One;
    }
    /// <inheritdoc/>
    public static Vector256<float> Forward(Vector256<float> z)
    {
        var two = Vector256.Create(2f);
        return two / (Vector256<float>.One + Vector256.Exp(-two * z)) - Vector256<float>.One;
    }
    /// <inheritdoc/>
    public static Vector128<float> Forward(Vector128<float> z)
    {
        var two = Vector128.Create(2f);
        return two / (Vector128<float>.One + Vector128.Exp(-two * z)) - Vector128<float>.One;
    }
    /// <inheritdoc/>
    public static float DerivativeFromOutput(float y) => 1f - y * y;
    /// <inheritdoc/>
    public static Vector512<float> DerivativeFromOutput(Vector512<float> y) => Vector512<float>.One - y * y;
    /// <inheritdoc/>
    public static Vector256<float> DerivativeFromOutput(Vector256<float> y) => Vector256<float>.One - y * y;
    /// <inheritdoc/>
    public static Vector128<float> DerivativeFromOutput(Vector128<float> y) => Vector128<float>.One - y * y;
}

/// <summary>Element-wise passes over whole buffers for the backward pass.</summary>
public static class Activations
{
    /// <summary>gradient[i] *= f'(output[i]): turns dLoss/dOutput into dLoss/dPreactivation in place.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void BackwardInPlace<TActivation>(ReadOnlySpan<float> output, Span<float> gradient)
        where TActivation : struct, IActivation
    {
        if (output.Length != gradient.Length)
            throw new ArgumentException($"Output has {output.Length} values but the gradient has {gradient.Length}.", nameof(gradient));
        ref float y = ref MemoryMarshal.GetReference(output);
        ref float g = ref MemoryMarshal.GetReference(gradient);
        int i = 0, n = output.Length;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i <= n - 16; i += 16)
            {
                var d = TActivation.DerivativeFromOutput(Vector512.LoadUnsafe(ref y, (nuint)i));
                (Vector512.LoadUnsafe(ref g, (nuint)i) * d).StoreUnsafe(ref g, (nuint)i);
            }
        }
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= n - 8; i += 8)
            {
                var d = TActivation.DerivativeFromOutput(Vector256.LoadUnsafe(ref y, (nuint)i));
                (Vector256.LoadUnsafe(ref g, (nuint)i) * d).StoreUnsafe(ref g, (nuint)i);
            }
        }
        if (Vector128.IsHardwareAccelerated)
        {
            for (; i <= n - 4; i += 4)
            {
                var d = TActivation.DerivativeFromOutput(Vector128.LoadUnsafe(ref y, (nuint)i));
                (Vector128.LoadUnsafe(ref g, (nuint)i) * d).StoreUnsafe(ref g, (nuint)i);
            }
        }
        for (; i < n; i++)
        {
            Unsafe.Add(ref g, i) *= TActivation.DerivativeFromOutput(Unsafe.Add(ref y, i));
        }
    }

    /// <summary>values[i] = f(values[i]) in place.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ForwardInPlace<TActivation>(Span<float> values)
        where TActivation : struct, IActivation
    {
        ref float x = ref MemoryMarshal.GetReference(values);
        int i = 0, n = values.Length;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i <= n - 16; i += 16)
                TActivation.Forward(Vector512.LoadUnsafe(ref x, (nuint)i)).StoreUnsafe(ref x, (nuint)i);
        }
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= n - 8; i += 8)
                TActivation.Forward(Vector256.LoadUnsafe(ref x, (nuint)i)).StoreUnsafe(ref x, (nuint)i);
        }
        if (Vector128.IsHardwareAccelerated)
        {
            for (; i <= n - 4; i += 4)
                TActivation.Forward(Vector128.LoadUnsafe(ref x, (nuint)i)).StoreUnsafe(ref x, (nuint)i);
        }
        for (; i < n; i++)
            Unsafe.Add(ref x, i) = TActivation.Forward(Unsafe.Add(ref x, i));
    }
}
