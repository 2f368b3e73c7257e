using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace SourceNet.Kernels;

/// <summary>No activation: f(z) = z, f' = 1.</summary>
public readonly struct IdentityActivation : IActivation
{
    /// <inheritdoc/>
    public static T Forward<T, M>(T z) where M : struct, IActivationMath<T> => z;
    /// <inheritdoc/>
    public static T DerivativeFromOutput<T, M>(T y) where M : struct, IActivationMath<T> => M.Constant(1f);
}

/// <summary>f(z) = max(0, z); f' = 1 where the output is positive, else 0.</summary>
public readonly struct ReluActivation : IActivation
{
    /// <inheritdoc/>
    public static T Forward<T, M>(T z) where M : struct, IActivationMath<T> => M.Max(z, M.Constant(0f));
    /// <inheritdoc/>
    public static T DerivativeFromOutput<T, M>(T y) where M : struct, IActivationMath<T> => M.WherePositive(y, M.Constant(1f), M.Constant(0f));
}

/// <summary>f(z) = z where z &gt; 0, else 0.01·z (PyTorch's and ONNX's default slope); f' = 1 or 0.01, read off the output's sign.</summary>
public readonly struct LeakyReluActivation : IActivation
{
    /// <summary>The slope for negative inputs.</summary>
    public const float Slope = 0.01f;

    /// <inheritdoc/>
    public static T Forward<T, M>(T z) where M : struct, IActivationMath<T> => M.WherePositive(z, z, M.Multiply(M.Constant(Slope), z));
    /// <inheritdoc/>
    public static T DerivativeFromOutput<T, M>(T y) where M : struct, IActivationMath<T> => M.WherePositive(y, M.Constant(1f), M.Constant(Slope));
}

/// <summary>f(z) = 1 / (1 + e^-z); f' = y(1 - y).</summary>
public readonly struct SigmoidActivation : IActivation
{
    /// <inheritdoc/>
    public static T Forward<T, M>(T z) where M : struct, IActivationMath<T> => M.Divide(M.Constant(1f), M.Add(M.Constant(1f), M.Exp(M.Negate(z))));
    /// <inheritdoc/>
    public static T DerivativeFromOutput<T, M>(T y) where M : struct, IActivationMath<T> => M.Multiply(y, M.Subtract(M.Constant(1f), y));
}

/// <summary>f(z) = tanh z, computed as 2σ(2z) - 1 (one exponential, at every width); f' = 1 - y².</summary>
public readonly struct TanhActivation : IActivation
{
    /// <inheritdoc/>
    public static T Forward<T, M>(T z) where M : struct, IActivationMath<T> =>
        M.Subtract(M.Divide(M.Constant(2f), M.Add(M.Constant(1f), M.Exp(M.Multiply(M.Constant(-2f), z)))), M.Constant(1f));
    /// <inheritdoc/>
    public static T DerivativeFromOutput<T, M>(T y) where M : struct, IActivationMath<T> => M.Subtract(M.Constant(1f), M.Multiply(y, y));
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
                var d = Apply<TActivation>.DerivativeFromOutput(Vector512.LoadUnsafe(ref y, (nuint)i));
                (Vector512.LoadUnsafe(ref g, (nuint)i) * d).StoreUnsafe(ref g, (nuint)i);
            }
        }
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= n - 8; i += 8)
            {
                var d = Apply<TActivation>.DerivativeFromOutput(Vector256.LoadUnsafe(ref y, (nuint)i));
                (Vector256.LoadUnsafe(ref g, (nuint)i) * d).StoreUnsafe(ref g, (nuint)i);
            }
        }
        if (Vector128.IsHardwareAccelerated)
        {
            for (; i <= n - 4; i += 4)
            {
                var d = Apply<TActivation>.DerivativeFromOutput(Vector128.LoadUnsafe(ref y, (nuint)i));
                (Vector128.LoadUnsafe(ref g, (nuint)i) * d).StoreUnsafe(ref g, (nuint)i);
            }
        }
        for (; i < n; i++)
        {
            Unsafe.Add(ref g, i) *= Apply<TActivation>.DerivativeFromOutput(Unsafe.Add(ref y, i));
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
                Apply<TActivation>.Forward(Vector512.LoadUnsafe(ref x, (nuint)i)).StoreUnsafe(ref x, (nuint)i);
        }
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= n - 8; i += 8)
                Apply<TActivation>.Forward(Vector256.LoadUnsafe(ref x, (nuint)i)).StoreUnsafe(ref x, (nuint)i);
        }
        if (Vector128.IsHardwareAccelerated)
        {
            for (; i <= n - 4; i += 4)
                Apply<TActivation>.Forward(Vector128.LoadUnsafe(ref x, (nuint)i)).StoreUnsafe(ref x, (nuint)i);
        }
        for (; i < n; i++)
            Unsafe.Add(ref x, i) = Apply<TActivation>.Forward(Unsafe.Add(ref x, i));
    }
}
