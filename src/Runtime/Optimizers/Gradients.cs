using System;
using System.Collections.Generic;
using System.Globalization;
using System.Numerics.Tensors;

namespace SourceNet;

/// <summary>Operations on the gradients of a set of parameters taken together (a network's <c>Parameters</c>).</summary>
public static class Gradients
{
    /// <summary>The epsilon PyTorch's <c>clip_grad_norm_</c> adds to the norm before dividing by it.</summary>
    public const float ClipEpsilon = 1e-6f;

    /// <summary>
    /// The L2 norm of all the gradients as one vector: √(Σ over parameters of Σ g²). Each parameter's sum of
    /// squares is taken in float (as PyTorch's per-parameter norms are) and the sums are added in double, in
    /// order, so the result does not depend on the number of threads.
    /// </summary>
    public static float GlobalNorm(IReadOnlyList<Parameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        double total = 0;
        for (int i = 0; i < parameters.Count; i++)
        {
            total += TensorPrimitives.SumOfSquares(parameters[i].Gradient);
        }
        return (float)Math.Sqrt(total);
    }

    /// <summary>
    /// Clips the gradients by their global norm, as <c>torch.nn.utils.clip_grad_norm_</c>: when
    /// <c>max / (norm + 1e-6)</c> is below 1, every gradient is multiplied by it; otherwise nothing changes.
    /// </summary>
    /// <returns>The global norm before clipping (NaN or infinity when a gradient is not finite: then every
    /// gradient is left as it was).</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxNorm"/> is not a positive finite number.</exception>
    public static float ClipByGlobalNorm(IReadOnlyList<Parameter> parameters, float maxNorm)
    {
        if (!(maxNorm > 0f) || !float.IsFinite(maxNorm))
            throw new ArgumentOutOfRangeException(nameof(maxNorm), maxNorm, "The largest gradient norm must be a positive finite number.");
        float norm = GlobalNorm(parameters);
        if (float.IsFinite(norm))
            Scale(parameters, ClipFactor(norm, maxNorm));
        return norm;
    }

    /// <summary>The factor clipping multiplies by: <c>min(1, max / (norm + 1e-6))</c>, in double, rounded once.</summary>
    internal static float ClipFactor(float norm, float maxNorm) => (float)Math.Min(1.0, maxNorm / ((double)norm + ClipEpsilon));

    /// <summary>Multiplies every gradient by <paramref name="factor"/> (nothing to do for exactly 1).</summary>
    internal static void Scale(IReadOnlyList<Parameter> parameters, float factor)
    {
        if (factor == 1f)
            return;
        for (int i = 0; i < parameters.Count; i++)
        {
            float[] g = parameters[i].Gradient;
            TensorPrimitives.Multiply(g, factor, g);
        }
    }

    /// <summary>Names the first parameter whose gradient is not finite (or whose squares overflow a float), for an error message.</summary>
    internal static string FirstNonFinite(IReadOnlyList<Parameter> parameters)
    {
        for (int i = 0; i < parameters.Count; i++)
        {
            float[] g = parameters[i].Gradient;
            int bad = Array.FindIndex(g, x => !float.IsFinite(x));
            if (bad >= 0)
                return $"{parameters[i].Name}'s gradient element {bad} is {g[bad].ToString(CultureInfo.InvariantCulture)}";
            if (!float.IsFinite(TensorPrimitives.SumOfSquares(g)))
                return $"the squares of {parameters[i].Name}'s gradient overflow a float";
        }
        return "no single gradient is at fault: their sum overflows";
    }
}
