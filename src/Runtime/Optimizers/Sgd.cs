using System;
using System.Collections.Generic;
using System.Numerics.Tensors;

namespace SourceNet;

/// <summary>Stochastic gradient descent, with optional classical momentum: <c>v = μv + g; w -= η_t·v</c>
/// (η_t: the <see cref="Optimizer.Schedule"/>'s rate, else η).</summary>
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
    public override float LearningRate { get; }

    /// <summary>The momentum μ (0 for plain SGD).</summary>
    public float Momentum { get; }

    private static readonly string[] s_velocity = ["velocity"];

    /// <inheritdoc/>
    /// <remarks>SGD with momentum keeps a <c>velocity</c> per parameter; plain SGD keeps nothing.</remarks>
    public override IReadOnlyList<string> SlotNames => Momentum == 0f ? [] : s_velocity;

    /// <inheritdoc/>
    protected override IReadOnlyList<KeyValuePair<string, float>> RuleHyperParameters =>
    [
        new("learning_rate", LearningRate),
        new("momentum", Momentum),
    ];

    /// <inheritdoc/>
    public override void Update(Parameter parameter)
    {
        float rate = CurrentLearningRate;
        if (Momentum == 0f)
        {
            // w += (-η) * g
            TensorPrimitives.MultiplyAdd(parameter.Gradient, -rate, parameter.Value, parameter.Value);
            return;
        }
        float[] velocity = SlotsFor(parameter)[0];
        // v = μv + g, then w += (-η) v
        TensorPrimitives.MultiplyAdd(velocity, Momentum, parameter.Gradient, velocity);
        TensorPrimitives.MultiplyAdd(velocity, -rate, parameter.Value, parameter.Value);
    }

    /// <inheritdoc/>
    public override bool SupportsColumnUpdates => true;

    /// <inheritdoc/>
    public override void PrepareColumnUpdates(Parameter parameter)
    {
        if (Momentum != 0f)
            SlotsFor(parameter);
    }

    /// <inheritdoc/>
    public override void UpdateColumns(Parameter parameter, int firstColumn, int columnCount)
    {
        CheckColumns(parameter, firstColumn, columnCount);
        // One look-up for the whole block, never per element.
        float[]? velocityArray = Momentum == 0f ? null : PreparedSlots(parameter)[0];
        // Every column of a row-major matrix is one contiguous run: one pass over it, not a short one per row.
        bool whole = columnCount == parameter.Columns;
        int runs = whole ? 1 : parameter.Rows, length = whole ? parameter.Length : columnCount;
        for (int run = 0; run < runs; run++)
            UpdateRun(parameter, velocityArray, run * parameter.Columns + firstColumn, length);
    }

    internal override bool SupportsRangeUpdates => true;

    internal override void UpdateRange(Parameter parameter, int start, int count) =>
        UpdateRun(parameter, Momentum == 0f ? null : PreparedSlots(parameter)[0], start, count);

    private void UpdateRun(Parameter parameter, float[]? velocityArray, int start, int length)
    {
        Span<float> w = parameter.Value.AsSpan(start, length);
        ReadOnlySpan<float> g = parameter.Gradient.AsSpan(start, length);
        if (velocityArray is null)
        {
            TensorPrimitives.MultiplyAdd(g, -CurrentLearningRate, w, w);
            return;
        }
        Span<float> velocity = velocityArray.AsSpan(start, length);
        TensorPrimitives.MultiplyAdd(velocity, Momentum, g, velocity);
        TensorPrimitives.MultiplyAdd(velocity, -CurrentLearningRate, w, w);
    }
}
