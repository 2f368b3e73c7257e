using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Globalization;
using System.Numerics.Tensors;

namespace SourceNet;

/// <summary>
/// The checks generated networks make, kept in the runtime so that the generated code is one call per check
/// and every network words its refusals the same way. Called by generated code; not meant for direct use.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class NetworkGuards
{
    /// <summary>
    /// Inputs larger in magnitude than this are far outside what a network is trained on: a non-finite loss
    /// on such inputs is blamed on them, not on the learning rate.
    /// </summary>
    public const float HugeInput = 1e6f;

    /// <summary>
    /// Refuses a <paramref name="maxBatchSize"/> whose buffers would not fit in an array: the constructor then
    /// fails with the limit instead of an <see cref="OverflowException"/>, or worse, a product that wraps to a
    /// small buffer and fails every later call.
    /// </summary>
    /// <param name="maxBatchSize">The constructor's argument.</param>
    /// <param name="largestPerSample">The most values one sample needs in any of the network's buffers
    /// (inputs, layer outputs), computed by the generator in 64-bit arithmetic.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxBatchSize"/> is not positive, or
    /// times <paramref name="largestPerSample"/> exceeds <see cref="Array.MaxLength"/>; the message states the largest batch allowed.</exception>
    public static void CheckBatchCapacity(int maxBatchSize, long largestPerSample)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBatchSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(largestPerSample);
        long limit = Array.MaxLength / largestPerSample;
        if (maxBatchSize > limit)
        {
            throw new ArgumentOutOfRangeException(nameof(maxBatchSize), maxBatchSize, string.Create(CultureInfo.InvariantCulture,
                $"maxBatchSize is at most {limit:N0} for this network: its largest buffer holds {largestPerSample:N0} values per sample, and an array holds at most {Array.MaxLength:N0}; got {maxBatchSize:N0}."));
        }
    }

    /// <summary>
    /// The number of samples in <paramref name="inputLength"/> input values, checking that the output span
    /// (<paramref name="outputName"/>) has room for exactly their results. A wrong-sized output is named as
    /// such, not reported as wrong inputs.
    /// </summary>
    /// <exception cref="ArgumentException">The inputs are empty or not whole samples (names <c>inputs</c>), or the
    /// output span's length is not <c>samples × <paramref name="outputsPerSample"/></c> (names <paramref name="outputName"/>).</exception>
    public static int CountSamples(int inputLength, int inputsPerSample, int outputLength, int outputsPerSample, string outputName)
    {
        if (inputLength == 0 || inputLength % inputsPerSample != 0)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"Inputs are whole samples of {inputsPerSample} values, at least one; got {inputLength} values."), "inputs");
        }
        int count = inputLength / inputsPerSample;
        if (outputLength != (long)count * outputsPerSample)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"{count} samples need {(long)count * outputsPerSample} values in {outputName} ({outputsPerSample} each); got {outputLength}."), outputName);
        }
        return count;
    }

    /// <summary>The most likely class: the index of the largest logit of one sample.</summary>
    /// <exception cref="InvalidOperationException">A logit is NaN (the parameters are not finite): no class is
    /// more likely than another, and answering class 0 would hide it.</exception>
    public static int PredictClass(ReadOnlySpan<float> logits, int sample)
    {
        int best = ArgMaxOrMinusOne(logits);
        return best >= 0 ? best : throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
            $"The logits of sample {sample} are NaN: the network's parameters are not finite (a diverged training run, or a loaded model that was already broken), so no class can be predicted."));
    }

    /// <summary>The index of the largest value (the first, on ties), or -1 if any value is NaN: a prediction that matches no label.</summary>
    public static int ArgMaxOrMinusOne(ReadOnlySpan<float> logits)
    {
        if (logits.IsEmpty)
            return -1;
        // TensorPrimitives answers the first NaN's index when there is one; that must not read as a class.
        int best = TensorPrimitives.IndexOfMax(logits);
        return float.IsNaN(logits[best]) ? -1 : best;
    }

    /// <summary>
    /// Throws for a training step whose loss is not finite, saying why: inputs as large as
    /// <see cref="HugeInput"/> or more are blamed first (no learning rate is at fault then); otherwise the parameters diverged.
    /// </summary>
    /// <exception cref="InvalidOperationException">Always.</exception>
    public static void ThrowNonFiniteLoss(float loss, ReadOnlySpan<float> inputs, IReadOnlyList<Parameter> parameters)
    {
        float largestInput = LargestMagnitude(inputs);
        if (largestInput >= HugeInput)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"The loss is {loss}: the inputs reach {largestInput:G3} in magnitude, too large for the network's arithmetic. Scale them (for example to [0, 1]). No parameter was changed by this step."));
        }
        float largestParameter = 0;
        foreach (Parameter parameter in parameters)
        {
            largestParameter = MathF.Max(largestParameter, LargestMagnitude(parameter.Value));
        }
        throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
            $"The loss is {loss}: the parameters diverged (the largest is {largestParameter:G3} in magnitude; learning rate too high?). No parameter was changed by this step."));
    }

    private static float LargestMagnitude(ReadOnlySpan<float> values)
    {
        float largest = 0;
        foreach (float value in values)
        {
            // NaN compares false and is skipped: the inputs are already checked finite, and a NaN parameter is the divergence itself.
            float magnitude = MathF.Abs(value);
            if (magnitude > largest)
                largest = magnitude;
        }
        return largest;
    }
}
