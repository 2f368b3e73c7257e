using System;
using System.Numerics.Tensors;

namespace SourceNet;

/// <summary>Stochastic gradient descent, with optional classical momentum: <c>v = μv + g; w -= ηv</c>.</summary>
public sealed class Sgd : Optimizer
{
    /// <summary>Creates the optimizer.</summary>
    public Sgd(float learningRate = 0.01f, float momentum = 0f)
    {
        if (!(learningRate > 0f) || !float.IsFinite(learningRate))
            throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "The learning rate must be a positive finite number.");
        if (!(momentum >= 0f && momentum < 1f))
            throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "Momentum must be in [0, 1).");
        LearningRate = learningRate;
        Momentum = momentum;
    }

    /// <summary>The step size η.</summary>
    public float LearningRate { get; }

    /// <summary>The momentum μ (0 for plain SGD).</summary>
    public float Momentum { get; }

    /// <inheritdoc/>
    public override void Update(Parameter parameter)
    {
        if (Momentum == 0f)
        {
            // w += (-η) * g
            TensorPrimitives.MultiplyAdd(parameter.Gradient, -LearningRate, parameter.Value, parameter.Value);
            return;
        }
        float[] velocity = parameter.Slot1 ??= new float[parameter.Length];
        // v = μv + g, then w += (-η) v
        TensorPrimitives.MultiplyAdd(velocity, Momentum, parameter.Gradient, velocity);
        TensorPrimitives.MultiplyAdd(velocity, -LearningRate, parameter.Value, parameter.Value);
    }

    /// <inheritdoc/>
    public override bool SupportsColumnUpdates => true;

    /// <inheritdoc/>
    public override void PrepareColumnUpdates(Parameter parameter)
    {
        if (Momentum != 0f)
            parameter.Slot1 ??= new float[parameter.Length];
    }

    /// <inheritdoc/>
    public override void UpdateColumns(Parameter parameter, int firstColumn, int columnCount)
    {
        CheckColumns(parameter, firstColumn, columnCount);
        for (int row = 0; row < parameter.Rows; row++)
        {
            int start = row * parameter.Columns + firstColumn;
            Span<float> w = parameter.Value.AsSpan(start, columnCount);
            ReadOnlySpan<float> g = parameter.Gradient.AsSpan(start, columnCount);
            if (Momentum == 0f)
            {
                TensorPrimitives.MultiplyAdd(g, -LearningRate, w, w);
                continue;
            }
            Span<float> velocity = parameter.Slot1!.AsSpan(start, columnCount);
            TensorPrimitives.MultiplyAdd(velocity, Momentum, g, velocity);
            TensorPrimitives.MultiplyAdd(velocity, -LearningRate, w, w);
        }
    }
}
