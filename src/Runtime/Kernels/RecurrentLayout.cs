using System;

namespace SourceNet.Kernels;

/// <summary>
/// The two layouts of a batch of sequences. A network stores each sample's steps together (sample-major:
/// sample s is step 0's features, then step 1's); a recurrent layer computes a step of every sample at once, so
/// it keeps its own copies step-major (step t is sample 0's features, then sample 1's), where one step of the
/// batch is one contiguous [batch, features] matrix. Both moves are one pass over the values.
/// </summary>
public static class RecurrentLayout
{
    /// <summary>Sample-major <paramref name="source"/> [batch, steps, features] to step-major <paramref name="destination"/> [steps, batch, features].</summary>
    /// <exception cref="ArgumentException">A span holds fewer than batch · steps · features values.</exception>
    public static void ToStepMajor(int batch, int steps, int features, ReadOnlySpan<float> source, Span<float> destination)
    {
        Check(batch, steps, features, source.Length, destination.Length);
        for (int s = 0; s < batch; s++)
        {
            for (int t = 0; t < steps; t++)
            {
                source.Slice((s * steps + t) * features, features).CopyTo(destination.Slice((t * batch + s) * features, features));
            }
        }
    }

    /// <summary>Step-major <paramref name="source"/> [steps, batch, features] to sample-major <paramref name="destination"/> [batch, steps, features].</summary>
    /// <exception cref="ArgumentException">A span holds fewer than batch · steps · features values.</exception>
    public static void ToSampleMajor(int batch, int steps, int features, ReadOnlySpan<float> source, Span<float> destination)
    {
        Check(batch, steps, features, source.Length, destination.Length);
        for (int t = 0; t < steps; t++)
        {
            for (int s = 0; s < batch; s++)
            {
                source.Slice((t * batch + s) * features, features).CopyTo(destination.Slice((s * steps + t) * features, features));
            }
        }
    }

    private static void Check(int batch, int steps, int features, int sourceLength, int destinationLength)
    {
        long needed = (long)batch * steps * features;
        if (sourceLength < needed || destinationLength < needed)
            throw new ArgumentException($"{batch} sequences of {steps} steps of {features} features need {needed} values; the source holds {sourceLength}, the destination {destinationLength}.");
    }
}
