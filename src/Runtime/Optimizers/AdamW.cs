using System;
using System.Collections.Generic;

namespace SourceNet;

/// <summary>
/// AdamW (Loshchilov and Hutter): Adam with decoupled weight decay, in PyTorch's form (<c>torch.optim.AdamW</c>).
/// At step t with learning rate η_t (the <see cref="Optimizer.Schedule"/>'s, else η) and weight decay λ:
/// <code>
/// w ← w·(1 - η_t·λ)
/// m ← β1·m + (1-β1)·g;  v ← β2·v + (1-β2)·g²
/// w ← w - η_t/(1-β1^t) · m / (√v/√(1-β2^t) + ε)
/// </code>
/// The decay multiplies the weights, never enters m or v, and is scaled by the scheduled rate, as in PyTorch.
/// ε is added to the bias-corrected √v̂ as PyTorch does (Keras' <see cref="Adam"/> adds it to √v), and the
/// defaults are PyTorch's: η = 0.001, β1 = 0.9, β2 = 0.999, ε = 1e-8, λ = 0.01.
/// </summary>
/// <remarks>
/// Computed as one fused pass per element, <c>w = w·(1 - η_t·λ) - α_t·m / (√v + ε_t)</c> with
/// <c>α_t = η_t·√(1-β2^t)/(1-β1^t)</c> and <c>ε_t = ε·√(1-β2^t)</c>: the same update, multiplied through by
/// √(1-β2^t). Like Adam it updates inside the backward pass unless the step needs a global view
/// (<see cref="Optimizer.NeedsGlobalStep"/>). Every parameter decays, biases included, as when all of a
/// PyTorch model's parameters are in one group.
/// </remarks>
public sealed class AdamW : Optimizer
{
    private AdamFactors _factors;

    /// <summary>Creates the optimizer.</summary>
    public AdamW(float learningRate = 1e-3f, float weightDecay = 1e-2f, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-8f)
    {
        Adam.CheckArguments(learningRate, beta1, beta2, epsilon);
        if (!(weightDecay >= 0f) || !float.IsFinite(weightDecay))
            throw new ArgumentOutOfRangeException(nameof(weightDecay), weightDecay, "The weight decay must be a finite number, 0 or more.");
        LearningRate = learningRate;
        WeightDecay = weightDecay;
        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
    }

    /// <summary>η.</summary>
    public override float LearningRate { get; }

    /// <summary>λ, the decoupled weight decay: each step multiplies the weights by 1 - η_t·λ.</summary>
    public float WeightDecay { get; }

    /// <summary>β1, the decay of the first moment.</summary>
    public float Beta1 { get; }

    /// <summary>β2, the decay of the second moment.</summary>
    public float Beta2 { get; }

    /// <summary>ε, added to the bias-corrected √v.</summary>
    public float Epsilon { get; }

    /// <inheritdoc/>
    /// <remarks>AdamW keeps the first moment <c>m</c> and the second moment <c>v</c> of each parameter.</remarks>
    public override IReadOnlyList<string> SlotNames => Adam.MomentSlots;

    /// <inheritdoc/>
    protected override IReadOnlyList<KeyValuePair<string, float>> RuleHyperParameters =>
    [
        new("learning_rate", LearningRate),
        new("weight_decay", WeightDecay),
        new("beta1", Beta1),
        new("beta2", Beta2),
        new("epsilon", Epsilon),
    ];

    /// <inheritdoc/>
    protected override void OnBeginStep(long step)
    {
        double rate = CurrentLearningRate;
        double correction1 = 1.0 - Math.Pow(Beta1, step);
        double root2 = Math.Sqrt(1.0 - Math.Pow(Beta2, step));
        _factors = new AdamFactors(Beta1, Beta2, (float)(rate * root2 / correction1), (float)(Epsilon * root2), (float)(1.0 - rate * WeightDecay));
    }

    /// <inheritdoc/>
    public override void Update(Parameter parameter)
    {
        float[][] slots = SlotsFor(parameter);
        AdamKernel.Update<DecoupledDecay>(parameter.Value, parameter.Gradient, slots[0], slots[1], 0, parameter.Length, 1, parameter.Length, _factors);
    }

    /// <inheritdoc/>
    public override bool SupportsColumnUpdates => true;

    /// <inheritdoc/>
    public override void UpdateColumns(Parameter parameter, int firstColumn, int columnCount)
    {
        CheckColumns(parameter, firstColumn, columnCount);
        Adam.UpdateColumns<DecoupledDecay>(parameter, PreparedSlots(parameter), firstColumn, columnCount, _factors);
    }

    internal override bool SupportsRangeUpdates => true;

    internal override void UpdateRange(Parameter parameter, int start, int count)
    {
        float[][] slots = PreparedSlots(parameter);
        AdamKernel.Update<DecoupledDecay>(parameter.Value, parameter.Gradient, slots[0], slots[1], start, count, 1, count, _factors);
    }
}
