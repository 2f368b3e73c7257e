using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace SourceNet.Kernels;

/// <summary>
/// Element-wise passes over whole buffers: the backward pass of every activation, and the forward pass of one that
/// keeps its pre-activations (the product writes z, this pass writes f(z) beside it).
/// </summary>
public static class Activations
{
    /// <summary>gradient[i] *= f'(output[i]): turns dLoss/dOutput into dLoss/dPreactivation in place.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void BackwardInPlace<TActivation>(ReadOnlySpan<float> output, Span<float> gradient)
        where TActivation : struct, IOutputDerivative
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
                var d = Derivative.FromOutput<TActivation>(Vector512.LoadUnsafe(ref y, (nuint)i));
                (Vector512.LoadUnsafe(ref g, (nuint)i) * d).StoreUnsafe(ref g, (nuint)i);
            }
        }
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= n - 8; i += 8)
            {
                var d = Derivative.FromOutput<TActivation>(Vector256.LoadUnsafe(ref y, (nuint)i));
                (Vector256.LoadUnsafe(ref g, (nuint)i) * d).StoreUnsafe(ref g, (nuint)i);
            }
        }
        if (Vector128.IsHardwareAccelerated)
        {
            for (; i <= n - 4; i += 4)
            {
                var d = Derivative.FromOutput<TActivation>(Vector128.LoadUnsafe(ref y, (nuint)i));
                (Vector128.LoadUnsafe(ref g, (nuint)i) * d).StoreUnsafe(ref g, (nuint)i);
            }
        }
        for (; i < n; i++)
        {
            Unsafe.Add(ref g, i) *= Derivative.FromOutput<TActivation>(Unsafe.Add(ref y, i));
        }
    }

    /// <summary>gradient[i] *= f'(preActivations[i]): dLoss/dOutput into dLoss/dPreactivation, for an activation whose derivative needs z.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void BackwardFromPreActivationsInPlace<TActivation>(ReadOnlySpan<float> preActivations, Span<float> gradient)
        where TActivation : struct, IPreActivationDerivative
    {
        if (preActivations.Length != gradient.Length)
            throw new ArgumentException($"Pre-activations have {preActivations.Length} values but the gradient has {gradient.Length}.", nameof(gradient));
        ref float z = ref MemoryMarshal.GetReference(preActivations);
        ref float g = ref MemoryMarshal.GetReference(gradient);
        int i = 0, n = preActivations.Length;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i <= n - 16; i += 16)
            {
                var d = Derivative.FromPreActivation<TActivation>(Vector512.LoadUnsafe(ref z, (nuint)i));
                (Vector512.LoadUnsafe(ref g, (nuint)i) * d).StoreUnsafe(ref g, (nuint)i);
            }
        }
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= n - 8; i += 8)
            {
                var d = Derivative.FromPreActivation<TActivation>(Vector256.LoadUnsafe(ref z, (nuint)i));
                (Vector256.LoadUnsafe(ref g, (nuint)i) * d).StoreUnsafe(ref g, (nuint)i);
            }
        }
        if (Vector128.IsHardwareAccelerated)
        {
            for (; i <= n - 4; i += 4)
            {
                var d = Derivative.FromPreActivation<TActivation>(Vector128.LoadUnsafe(ref z, (nuint)i));
                (Vector128.LoadUnsafe(ref g, (nuint)i) * d).StoreUnsafe(ref g, (nuint)i);
            }
        }
        for (; i < n; i++)
        {
            Unsafe.Add(ref g, i) *= Derivative.FromPreActivation<TActivation>(Unsafe.Add(ref z, i));
        }
    }

    /// <summary>output[i] = f(preActivations[i]): the forward pass of a layer that keeps z for its backward pass.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Forward<TActivation>(ReadOnlySpan<float> preActivations, Span<float> output)
        where TActivation : struct, IActivation
    {
        if (preActivations.Length != output.Length)
            throw new ArgumentException($"Pre-activations have {preActivations.Length} values but the output has {output.Length}.", nameof(output));
        ref float z = ref MemoryMarshal.GetReference(preActivations);
        ref float y = ref MemoryMarshal.GetReference(output);
        int i = 0, n = preActivations.Length;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i <= n - 16; i += 16)
                Apply<TActivation>.Forward(Vector512.LoadUnsafe(ref z, (nuint)i)).StoreUnsafe(ref y, (nuint)i);
        }
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= n - 8; i += 8)
                Apply<TActivation>.Forward(Vector256.LoadUnsafe(ref z, (nuint)i)).StoreUnsafe(ref y, (nuint)i);
        }
        if (Vector128.IsHardwareAccelerated)
        {
            for (; i <= n - 4; i += 4)
                Apply<TActivation>.Forward(Vector128.LoadUnsafe(ref z, (nuint)i)).StoreUnsafe(ref y, (nuint)i);
        }
        for (; i < n; i++)
            Unsafe.Add(ref y, i) = Apply<TActivation>.Forward(Unsafe.Add(ref z, i));
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
