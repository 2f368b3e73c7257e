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
/// Every sum runs over the rows in order, in float over groups of 32 rows whose sums are added in double, so a batch's
/// statistics are the same bits whatever <see cref="KernelThreads.Count"/> is: the groups' sums may be computed on
/// several threads, but they are added on the calling thread, in row order. The backward pass recomputes the
/// normalised values from the kept input, mean and inverse deviation instead of storing them. Every call
/// <b>assigns</b> its outputs.
/// </remarks>
public static partial class BatchNorm
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
        ScaleShift<TActivation>(rows, channels, input, scale, shift, output);
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
        ScaleShift<TActivation>(rows, channels, input, scale, shift, output);
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
        GradientSums(rows, channels, input, outputGradient, mean, inverseDeviation, dBeta, dGamma);
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
        InputGradient(rows, channels, input, outputGradient, a, b, k, inputGradient);
    }

    /// <summary>Σ_rows (x − shift)² per channel when <paramref name="shift"/> is given, else Σ_rows x; in row order.</summary>
    private static unsafe void ColumnSums(int rows, int channels, ReadOnlySpan<float> input, ReadOnlySpan<float> shift, Span<double> sums)
    {
        sums.Clear();
        int vectorChannels = Vector256.IsHardwareAccelerated ? channels - channels % 8 : 0;
        if (vectorChannels > 0)
        {
            int groups = GroupCount(rows);
            Span<double> partials = ThreadScratch.PartialSums(groups * vectorChannels);
            fixed (float* x = input, m = shift)
            fixed (double* p = partials)
            {
                var work = new ColumnSumsWork { Input = x, Shift = shift.IsEmpty ? null : m, Partials = p, Rows = rows, Channels = channels, VectorChannels = vectorChannels };
                BlockRunner.Run(work, PartsFor(rows, channels));
            }
            AddGroupsInOrder(partials, groups, vectorChannels, vectorChannels, 0, sums);
        }
        // Channels past the last multiple of 8, value by value in double, on this thread.
        for (int r = 0; r < rows && vectorChannels < channels; r++)
        {
            int row = r * channels;
            for (int c = vectorChannels; c < channels; c++)
            {
                double value = input[row + c];
                if (!shift.IsEmpty)
                {
                    value -= shift[c];
                    value *= value;
                }
                sums[c] += value;
            }
        }
    }

    /// <summary>dβ = Σ dy and dγ = Σ dy·x̂ per channel, in row order.</summary>
    private static unsafe void GradientSums(int rows, int channels, ReadOnlySpan<float> input, ReadOnlySpan<float> outputGradient,
        ReadOnlySpan<float> mean, ReadOnlySpan<float> inverseDeviation, Span<double> dBeta, Span<double> dGamma)
    {
        int vectorChannels = Vector256.IsHardwareAccelerated ? channels - channels % 8 : 0;
        if (vectorChannels > 0)
        {
            int groups = GroupCount(rows);
            Span<double> partials = ThreadScratch.PartialSums(groups * 2 * vectorChannels);
            fixed (float* x = input, dy = outputGradient, m = mean, inv = inverseDeviation)
            fixed (double* p = partials)
            {
                var work = new GradientSumsWork
                {
                    Input = x, OutputGradient = dy, Mean = m, InverseDeviation = inv, Partials = p,
                    Rows = rows, Channels = channels, VectorChannels = vectorChannels,
                };
                BlockRunner.Run(work, PartsFor(rows, channels));
            }
            AddGroupsInOrder(partials, groups, 2 * vectorChannels, vectorChannels, 0, dBeta);
            AddGroupsInOrder(partials, groups, 2 * vectorChannels, vectorChannels, vectorChannels, dGamma);
        }
        for (int r = 0; r < rows && vectorChannels < channels; r++)
        {
            int row = r * channels;
            for (int c = vectorChannels; c < channels; c++)
            {
                float g = outputGradient[row + c];
                float xHat = (input[row + c] - mean[c]) * inverseDeviation[c];
                dBeta[c] += g;
                dGamma[c] += (double)g * xHat;
            }
        }
    }

    /// <summary>sums[c] += the groups' partial sums of channel c, group after group: slot g holds
    /// <paramref name="count"/> values from <paramref name="offset"/> in a slot of <paramref name="stride"/>.</summary>
    private static void AddGroupsInOrder(ReadOnlySpan<double> partials, int groups, int stride, int count, int offset, Span<double> sums)
    {
        for (int group = 0; group < groups; group++)
        {
            ReadOnlySpan<double> slot = partials.Slice(group * stride + offset, count);
            for (int c = 0; c < count; c++)
            {
                sums[c] += slot[c];
            }
        }
    }

    /// <summary>output = input·scale + shift per channel, then the activation.</summary>
    private static unsafe void ScaleShift<TActivation>(int rows, int channels, ReadOnlySpan<float> input, ReadOnlySpan<float> scale, ReadOnlySpan<float> shift, Span<float> output)
        where TActivation : struct, IActivation
    {
        fixed (float* x = input, s = scale, t = shift, y = output)
        {
            var work = new ScaleShiftWork<TActivation> { Input = x, Scale = s, ShiftValues = t, Output = y, Rows = rows, Channels = channels };
            BlockRunner.Run(work, PartsFor(rows, channels));
        }
    }

    /// <summary>dx = a·dy + b·x + k per channel.</summary>
    private static unsafe void InputGradient(int rows, int channels, ReadOnlySpan<float> input, ReadOnlySpan<float> outputGradient,
        ReadOnlySpan<float> a, ReadOnlySpan<float> b, ReadOnlySpan<float> k, Span<float> inputGradient)
    {
        fixed (float* x = input, dy = outputGradient, pa = a, pb = b, pk = k, dx = inputGradient)
        {
            var work = new InputGradientWork { Input = x, OutputGradient = dy, A = pa, B = pb, K = pk, InputGradient = dx, Rows = rows, Channels = channels };
            BlockRunner.Run(work, PartsFor(rows, channels));
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
