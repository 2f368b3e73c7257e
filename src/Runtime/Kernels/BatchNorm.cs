using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace SourceNet.Kernels;

/// <summary>
/// Batch normalisation over channels-last values seen as a [rows, channels] matrix: an image batch [N, H, W, C] is
/// N·H·W rows of C channels, a vector batch [N, F] is N rows of F features. Statistics are per channel (per column).
/// </summary>
/// <remarks>
/// Every sum runs over the rows in order, accumulated in double, so a batch's statistics are the same bits whatever
/// <see cref="KernelThreads.Count"/> is (the passes run on the calling thread). The backward pass recomputes the
/// normalised values from the kept input, mean and inverse deviation instead of storing them. Every call
/// <b>assigns</b> its outputs.
/// </remarks>
public static class BatchNorm
{
    /// <summary>
    /// Training: normalises with the batch's statistics, then <c>y = γ·x̂ + β</c> and the activation; writes each
    /// channel's batch mean and 1/√(σ² + ε) (σ² the biased variance) for the backward pass, and moves the running
    /// statistics towards the batch's, PyTorch's way: <c>running = (1 − momentum)·running + momentum·batch</c>, the
    /// running variance taking the unbiased variance (times rows/(rows − 1)).
    /// </summary>
    public static void TrainForward<TActivation>(int rows, int channels, ReadOnlySpan<float> input, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta,
        float epsilon, float momentum, Span<float> runningMean, Span<float> runningVariance, Span<float> mean, Span<float> inverseDeviation, Span<float> output)
        where TActivation : struct, IActivation
    {
        Check(rows, channels, input.Length, output.Length, gamma.Length, beta.Length);
        CheckChannels(channels, runningMean.Length, runningVariance.Length, mean.Length, inverseDeviation.Length);
        Span<double> sums = ThreadScratch.Doubles(channels);
        ColumnSums(rows, channels, input, default, sums);
        for (int c = 0; c < channels; c++)
        {
            mean[c] = (float)(sums[c] / rows);
        }
        ColumnSums(rows, channels, input, mean, sums);
        for (int c = 0; c < channels; c++)
        {
            double variance = sums[c] / rows;
            inverseDeviation[c] = (float)(1.0 / Math.Sqrt(variance + epsilon));
            double unbiased = rows > 1 ? sums[c] / (rows - 1) : variance;
            runningMean[c] = (float)((1.0 - momentum) * runningMean[c] + momentum * mean[c]);
            runningVariance[c] = (float)((1.0 - momentum) * runningVariance[c] + momentum * unbiased);
        }
        Span<float> scaleShift = ThreadScratch.Floats(2 * channels);
        Span<float> scale = scaleShift[..channels], shift = scaleShift[channels..];
        for (int c = 0; c < channels; c++)
        {
            scale[c] = gamma[c] * inverseDeviation[c];
            shift[c] = beta[c] - mean[c] * scale[c];
        }
        ScaleShift(rows, channels, input, scale, shift, output);
        Activations.ForwardInPlace<TActivation>(output[..(rows * channels)]);
    }

    /// <summary>Inference: normalises with the running statistics, then <c>y = γ·x̂ + β</c> and the activation.</summary>
    public static void InferenceForward<TActivation>(int rows, int channels, ReadOnlySpan<float> input, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta,
        float epsilon, ReadOnlySpan<float> runningMean, ReadOnlySpan<float> runningVariance, Span<float> output)
        where TActivation : struct, IActivation
    {
        Check(rows, channels, input.Length, output.Length, gamma.Length, beta.Length);
        CheckChannels(channels, runningMean.Length, runningVariance.Length, channels, channels);
        Span<float> scaleShift = ThreadScratch.Floats(2 * channels);
        Span<float> scale = scaleShift[..channels], shift = scaleShift[channels..];
        for (int c = 0; c < channels; c++)
        {
            scale[c] = (float)(gamma[c] / Math.Sqrt((double)runningVariance[c] + epsilon));
            shift[c] = beta[c] - runningMean[c] * scale[c];
        }
        ScaleShift(rows, channels, input, scale, shift, output);
        Activations.ForwardInPlace<TActivation>(output[..(rows * channels)]);
    }

    /// <summary>
    /// The backward pass of <see cref="TrainForward"/> from dLoss/dy (the activation's derivative already applied):
    /// assigns dβ = Σ dy, dγ = Σ dy·x̂ and, when <paramref name="inputGradient"/> is not empty,
    /// dx = γ/(rows·σ)·(rows·dy − dβ − x̂·dγ).
    /// </summary>
    public static void Backward(int rows, int channels, ReadOnlySpan<float> input, ReadOnlySpan<float> outputGradient, ReadOnlySpan<float> gamma,
        ReadOnlySpan<float> mean, ReadOnlySpan<float> inverseDeviation, Span<float> gammaGradient, Span<float> betaGradient, Span<float> inputGradient)
    {
        Check(rows, channels, input.Length, outputGradient.Length, gamma.Length, gammaGradient.Length);
        CheckChannels(channels, mean.Length, inverseDeviation.Length, betaGradient.Length, channels);
        Span<double> sums = ThreadScratch.Doubles(2 * channels);
        Span<double> dBeta = sums[..channels], dGamma = sums[channels..];
        ref float x = ref MemoryMarshal.GetReference(input);
        ref float dy = ref MemoryMarshal.GetReference(outputGradient);
        int vectorChannels = Vector256.IsHardwareAccelerated ? channels - channels % 8 : 0;
        for (int c0 = 0; c0 < vectorChannels; c0 += 8)
        {
            var m = Vector256.LoadUnsafe(ref MemoryMarshal.GetReference(mean), (nuint)c0);
            var inv = Vector256.LoadUnsafe(ref MemoryMarshal.GetReference(inverseDeviation), (nuint)c0);
            for (int start = 0; start < rows; start += BlockRows)
            {
                // Float partial sums over a block of rows, then added in double: accurate and in a fixed order.
                Vector256<float> sumDy = Vector256<float>.Zero, sumDyXHat = Vector256<float>.Zero;
                int end = Math.Min(rows, start + BlockRows);
                for (int r = start; r < end; r++)
                {
                    nuint at = (nuint)(r * channels + c0);
                    var g = Vector256.LoadUnsafe(ref dy, at);
                    sumDy += g;
                    sumDyXHat += g * ((Vector256.LoadUnsafe(ref x, at) - m) * inv);
                }
                AddWidened(sumDy, dBeta, c0);
                AddWidened(sumDyXHat, dGamma, c0);
            }
        }
        for (int r = 0; r < rows && vectorChannels < channels; r++)
        {
            int row = r * channels;
            for (int c = vectorChannels; c < channels; c++)
            {
                float g = Unsafe.Add(ref dy, row + c);
                float xHat = (Unsafe.Add(ref x, row + c) - mean[c]) * inverseDeviation[c];
                dBeta[c] += g;
                dGamma[c] += (double)g * xHat;
            }
        }
        for (int c = 0; c < channels; c++)
        {
            betaGradient[c] = (float)dBeta[c];
            gammaGradient[c] = (float)dGamma[c];
        }
        if (inputGradient.IsEmpty)
        {
            return;
        }
        if (inputGradient.Length < rows * channels)
            throw new ArgumentException($"The input gradient holds {inputGradient.Length} values; {rows} rows of {channels} channels need {rows * channels}.", nameof(inputGradient));
        // dx = a·dy + b·x + c per channel, with a = γσ⁻¹, b = −γσ⁻¹·dγ/(rows·σ) ... folded so the row pass is one multiply-add chain.
        Span<float> coefficients = ThreadScratch.Floats(3 * channels);
        Span<float> a = coefficients[..channels], b = coefficients.Slice(channels, channels), k = coefficients[(2 * channels)..];
        for (int c = 0; c < channels; c++)
        {
            double s = (double)gamma[c] * inverseDeviation[c];
            double meanDy = dBeta[c] / rows;
            double meanDyXHat = dGamma[c] / rows;
            // dx = s·(dy − meanDy − x̂·meanDyXHat), x̂ = (x − μ)·σ⁻¹
            a[c] = (float)s;
            b[c] = (float)(-s * meanDyXHat * inverseDeviation[c]);
            k[c] = (float)(-s * meanDy + s * meanDyXHat * inverseDeviation[c] * mean[c]);
        }
        ref float dx = ref MemoryMarshal.GetReference(inputGradient);
        for (int r = 0; r < rows; r++)
        {
            int row = r * channels;
            int c = 0;
            if (Vector256.IsHardwareAccelerated)
            {
                for (; c <= channels - 8; c += 8)
                {
                    var va = Vector256.LoadUnsafe(ref MemoryMarshal.GetReference(a), (nuint)c);
                    var vb = Vector256.LoadUnsafe(ref MemoryMarshal.GetReference(b), (nuint)c);
                    var vk = Vector256.LoadUnsafe(ref MemoryMarshal.GetReference(k), (nuint)c);
                    var vdy = Vector256.LoadUnsafe(ref dy, (nuint)(row + c));
                    var vx = Vector256.LoadUnsafe(ref x, (nuint)(row + c));
                    (va * vdy + vb * vx + vk).StoreUnsafe(ref dx, (nuint)(row + c));
                }
            }
            for (; c < channels; c++)
            {
                Unsafe.Add(ref dx, row + c) = a[c] * Unsafe.Add(ref dy, row + c) + b[c] * Unsafe.Add(ref x, row + c) + k[c];
            }
        }
    }

    /// <summary>Rows summed in float before their sum is added in double.</summary>
    private const int BlockRows = 32;

    /// <summary>Σ_rows (x − shift)² per channel when <paramref name="shift"/> is given, else Σ_rows x; in row order.</summary>
    private static void ColumnSums(int rows, int channels, ReadOnlySpan<float> input, ReadOnlySpan<float> shift, Span<double> sums)
    {
        sums.Clear();
        ref float x = ref MemoryMarshal.GetReference(input);
        bool squares = !shift.IsEmpty;
        int vectorChannels = Vector256.IsHardwareAccelerated ? channels - channels % 8 : 0;
        for (int c0 = 0; c0 < vectorChannels; c0 += 8)
        {
            var m = squares ? Vector256.LoadUnsafe(ref MemoryMarshal.GetReference(shift), (nuint)c0) : Vector256<float>.Zero;
            for (int start = 0; start < rows; start += BlockRows)
            {
                Vector256<float> sum = Vector256<float>.Zero;
                int end = Math.Min(rows, start + BlockRows);
                for (int r = start; r < end; r++)
                {
                    var value = Vector256.LoadUnsafe(ref x, (nuint)(r * channels + c0)) - m;
                    sum += squares ? value * value : value;
                }
                AddWidened(sum, sums, c0);
            }
        }
        for (int r = 0; r < rows && vectorChannels < channels; r++)
        {
            int row = r * channels;
            for (int c = vectorChannels; c < channels; c++)
            {
                double value = Unsafe.Add(ref x, row + c);
                if (squares)
                {
                    value -= shift[c];
                    value *= value;
                }
                sums[c] += value;
            }
        }
    }

    /// <summary>sums[c0 .. c0 + 8] += the 8 floats of <paramref name="partial"/>, in double.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddWidened(Vector256<float> partial, Span<double> sums, int c0)
    {
        ref double s = ref MemoryMarshal.GetReference(sums);
        (Vector256.LoadUnsafe(ref s, (nuint)c0) + Vector256.WidenLower(partial)).StoreUnsafe(ref s, (nuint)c0);
        (Vector256.LoadUnsafe(ref s, (nuint)(c0 + 4)) + Vector256.WidenUpper(partial)).StoreUnsafe(ref s, (nuint)(c0 + 4));
    }

    /// <summary>output = input·scale + shift, per channel.</summary>
    private static void ScaleShift(int rows, int channels, ReadOnlySpan<float> input, ReadOnlySpan<float> scale, ReadOnlySpan<float> shift, Span<float> output)
    {
        ref float x = ref MemoryMarshal.GetReference(input);
        ref float y = ref MemoryMarshal.GetReference(output);
        ref float s = ref MemoryMarshal.GetReference(scale);
        ref float t = ref MemoryMarshal.GetReference(shift);
        for (int r = 0; r < rows; r++)
        {
            int row = r * channels;
            int c = 0;
            if (Vector256.IsHardwareAccelerated)
            {
                for (; c <= channels - 8; c += 8)
                {
                    (Vector256.LoadUnsafe(ref x, (nuint)(row + c)) * Vector256.LoadUnsafe(ref s, (nuint)c) + Vector256.LoadUnsafe(ref t, (nuint)c))
                        .StoreUnsafe(ref y, (nuint)(row + c));
                }
            }
            for (; c < channels; c++)
            {
                Unsafe.Add(ref y, row + c) = Unsafe.Add(ref x, row + c) * Unsafe.Add(ref s, c) + Unsafe.Add(ref t, c);
            }
        }
    }

    private static void Check(int rows, int channels, int input, int output, int gamma, int beta)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        long needed = (long)rows * channels;
        if (input < needed)
            throw new ArgumentException($"The input holds {input} values; {rows} rows of {channels} channels need {needed}.", "input");
        if (output < needed)
            throw new ArgumentException($"The output holds {output} values; {rows} rows of {channels} channels need {needed}.", "output");
        if (gamma != channels || beta != channels)
            throw new ArgumentException($"γ and β have {gamma} and {beta} values; {channels} channels need {channels} each.", "gamma");
    }

    private static void CheckChannels(int channels, int a, int b, int c, int d)
    {
        if (a != channels || b != channels || c != channels || d != channels)
            throw new ArgumentException($"Per-channel buffers have {a}, {b}, {c} and {d} values; {channels} channels need {channels} each.");
    }
}
