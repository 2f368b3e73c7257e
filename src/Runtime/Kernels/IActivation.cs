using System.Runtime.Intrinsics;

namespace SourceNet.Kernels;

/// <summary>
/// An element-wise activation as a type, so a kernel generic over it is specialised by the JIT and the
/// activation is inlined into the matmul epilogue. The derivative is expressed through the
/// activation's <i>output</i>, so the backward pass needs no stored pre-activations.
/// </summary>
public interface IActivation
{
    /// <summary>f(z) for one value.</summary>
    static abstract float Forward(float z);

    /// <summary>f(z) for 16 values.</summary>
    static abstract Vector512<float> Forward(Vector512<float> z);

    /// <summary>f(z) for 8 values.</summary>
    static abstract Vector256<float> Forward(Vector256<float> z);

    /// <summary>f(z) for 4 values.</summary>
    static abstract Vector128<float> Forward(Vector128<float> z);

    /// <summary>f'(z) written in terms of y = f(z).</summary>
    static abstract float DerivativeFromOutput(float y);

    /// <summary>f'(z) written in terms of y = f(z), 16 values.</summary>
    static abstract Vector512<float> DerivativeFromOutput(Vector512<float> y);

    /// <summary>f'(z) written in terms of y = f(z), 8 values.</summary>
    static abstract Vector256<float> DerivativeFromOutput(Vector256<float> y);

    /// <summary>f'(z) written in terms of y = f(z), 4 values.</summary>
    static abstract Vector128<float> DerivativeFromOutput(Vector128<float> y);
}
