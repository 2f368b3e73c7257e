using System;
using System.Numerics.Tensors;

namespace SourceNet.Text;

/// <summary>
/// One stochastic gradient step of skip-gram with negative sampling for one (centre, context) pair. The centre
/// word's input vector <c>v</c> should score its context's output vector <c>u₊</c> high and each negative's
/// output vector <c>uₖ</c> low; the loss is
/// <c>L = softplus(-u₊·v) + Σₖ softplus(uₖ·v)</c> (that is, <c>-log σ(u₊·v) - Σₖ log σ(-uₖ·v)</c>).
/// With <c>g = σ(u·v) - label</c> (label 1 for the context, 0 for a negative), <c>∂L/∂u = g v</c> and
/// <c>∂L/∂v = Σ g u</c>. Every gradient is taken at the vectors as they were before the step: each output
/// vector's contribution to <c>∂L/∂v</c> is added before that vector moves, and <c>v</c> moves last.
/// </summary>
internal static class SkipGramUpdate
{
    /// <summary>Applies the step and returns the loss before it.</summary>
    /// <param name="center">The centre word's input vector, updated.</param>
    /// <param name="outputs">All output vectors, row-major, <c>center.Length</c> floats a word; the rows used are updated.</param>
    /// <param name="context">The context word's id.</param>
    /// <param name="negatives">The negative words' ids (distinct from <paramref name="context"/>; a repeated id takes two steps in turn).</param>
    /// <param name="learningRate">The step size.</param>
    /// <param name="centerGradient">Scratch of <c>center.Length</c> floats; holds ∂L/∂v afterwards.</param>
    public static float Apply(Span<float> center, Span<float> outputs, int context, ReadOnlySpan<int> negatives,
        float learningRate, Span<float> centerGradient)
    {
        int dimensions = center.Length;
        centerGradient.Clear();
        float loss = Score(center, outputs.Slice(context * dimensions, dimensions), 1f, learningRate, centerGradient);
        foreach (int negative in negatives)
        {
            loss += Score(center, outputs.Slice(negative * dimensions, dimensions), 0f, learningRate, centerGradient);
        }
        TensorPrimitives.MultiplyAdd(centerGradient, -learningRate, center, center);
        return loss;
    }

    private static float Score(ReadOnlySpan<float> center, Span<float> output, float label, float learningRate, Span<float> centerGradient)
    {
        float score = TensorPrimitives.Dot(center, output);
        float gradient = Sigmoid(score) - label;
        TensorPrimitives.MultiplyAdd(output, gradient, centerGradient, centerGradient);
        TensorPrimitives.MultiplyAdd(center, -learningRate * gradient, output, output);
        // -log σ(s) for the context, -log σ(-s) = -log(1 - σ(s)) for a negative.
        return Softplus(label == 1f ? -score : score);
    }

    internal static float Sigmoid(float x) => 1f / (1f + MathF.Exp(-x));

    /// <summary>log(1 + e^x), without overflow for large x.</summary>
    internal static float Softplus(float x) => x > 0 ? x + MathF.Log(1f + MathF.Exp(-x)) : MathF.Log(1f + MathF.Exp(x));
}
