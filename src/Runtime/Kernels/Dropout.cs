using System;
using System.Numerics.Tensors;

namespace SourceNet.Kernels;

/// <summary>
/// Inverted dropout for training: each value is kept with probability 1 − rate and scaled by 1 / (1 − rate), else
/// zeroed, so the expected output equals the input and inference needs no rescaling. The mask is drawn
/// single-threaded, one value per element in index order, so a seed gives the same masks bit for bit whatever
/// <see cref="KernelThreads.Count"/> is.
/// </summary>
public static class Dropout
{
    /// <summary>
    /// Draws <c>mask[i]</c> = 0 with probability <paramref name="rate"/>, else <c>1 / (1 − rate)</c>, and assigns
    /// <c>output[i] = input[i] · mask[i]</c> for every i of <paramref name="input"/>.
    /// </summary>
    /// <remarks>
    /// Exactly <c>input.Length</c> values are drawn from <paramref name="random"/> (<see cref="SeededRandom.NextSingle"/>;
    /// element i is dropped when its draw is below the rate), <b>also when the rate is 0</b>: the generator's
    /// position after the call then depends on the tensor's size only, so changing one layer's rate does not
    /// change the masks drawn after it. At rate 0 every mask value is exactly 1.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rate"/> is not in [0, 1).</exception>
    /// <exception cref="ArgumentException">An output span is shorter than <paramref name="input"/>.</exception>
    public static void Forward(float rate, SeededRandom random, ReadOnlySpan<float> input, Span<float> output, Span<float> mask)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (!(rate >= 0f && rate < 1f))
            throw new ArgumentOutOfRangeException(nameof(rate), rate, "A dropout rate is in [0, 1).");
        CheckLength(nameof(output), output.Length, input.Length);
        CheckLength(nameof(mask), mask.Length, input.Length);
        float keep = 1f / (1f - rate);
        int n = input.Length;
        for (int i = 0; i < n; i++)
            mask[i] = random.NextSingle() < rate ? 0f : keep;
        TensorPrimitives.Multiply(input, mask[..n], output[..n]);
    }

    /// <summary><c>inputGradient[i] = outputGradient[i] · mask[i]</c> for every i of <paramref name="outputGradient"/>. Assigns.</summary>
    /// <exception cref="ArgumentException"><paramref name="mask"/> or <paramref name="inputGradient"/> is shorter than <paramref name="outputGradient"/>.</exception>
    public static void Backward(ReadOnlySpan<float> outputGradient, ReadOnlySpan<float> mask, Span<float> inputGradient)
    {
        CheckLength(nameof(mask), mask.Length, outputGradient.Length);
        CheckLength(nameof(inputGradient), inputGradient.Length, outputGradient.Length);
        int n = outputGradient.Length;
        TensorPrimitives.Multiply(outputGradient, mask[..n], inputGradient[..n]);
    }

    private static void CheckLength(string name, int found, int expected)
    {
        if (found < expected)
            throw new ArgumentException($"{name} has {found} values; at least {expected} expected (one per input value).", name);
    }
}
