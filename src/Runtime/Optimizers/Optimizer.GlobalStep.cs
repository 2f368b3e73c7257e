using System;
using System.Collections.Generic;
using System.Globalization;
using System.Numerics.Tensors;

namespace SourceNet;

// The global step: what an optimizer does when it must see every gradient before any update (clipping by the
// global norm, gradient accumulation). The generated TrainStep then runs the backward pass without updates and
// calls Step once with all the network's parameters.
public abstract partial class Optimizer
{
    /// <summary>The most batches <see cref="AccumulationSteps"/> may name: a checkpoint records it as a float, exact up to 2²⁴.</summary>
    public const int MaxAccumulationSteps = 1 << 24;

    // Each parameter's gradient summed over the batches of the current group; keyed by identity, like _slots.
    private readonly Dictionary<Parameter, float[]> _accumulated = new(ReferenceEqualityComparer.Instance);
    private readonly float? _maxGradientNorm;
    private readonly int _accumulationSteps = 1;

    /// <summary>
    /// When set, <see cref="Step"/> clips the gradients by their global norm first, as PyTorch's
    /// <c>torch.nn.utils.clip_grad_norm_</c> does: the L2 norm over all parameters' gradients together, and when
    /// it is above this value every gradient is scaled by <c>max / (norm + 1e-6)</c>
    /// (see <see cref="Gradients.ClipByGlobalNorm"/>). Null (the default): no clipping.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a positive finite number.</exception>
    public float? MaxGradientNorm
    {
        get => _maxGradientNorm;
        init
        {
            if (value is float max && (!(max > 0f) || !float.IsFinite(max)))
                throw new ArgumentOutOfRangeException(nameof(MaxGradientNorm), max, "The largest gradient norm must be a positive finite number (or null for no clipping).");
            _maxGradientNorm = value;
        }
    }

    /// <summary>
    /// The number of batches whose gradients are <b>averaged</b> into one update (1, the default: every batch
    /// updates). With k, <see cref="Step"/> adds each batch's gradients up and updates on every k-th call, from
    /// the sum divided by k: for batches of equal size and a mean loss (as every generated loss is), k batches of
    /// b samples give the gradient of one batch of k·b, so the learning rate means what it means without
    /// accumulation. <see cref="StepCount"/> and the <see cref="Schedule"/> count updates, not batches.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not in 1..<see cref="MaxAccumulationSteps"/>.</exception>
    public int AccumulationSteps
    {
        get => _accumulationSteps;
        init
        {
            if (value < 1 || value > MaxAccumulationSteps)
                throw new ArgumentOutOfRangeException(nameof(AccumulationSteps), value, $"Accumulate 1 to {MaxAccumulationSteps.ToString(CultureInfo.InvariantCulture)} batches per update.");
            _accumulationSteps = value;
        }
    }

    /// <summary>
    /// When set, the global step calls it with every parameter once each update's gradients are final (after
    /// accumulation, before clipping), so a training loop that only calls <c>TrainStep</c> can look at them (log
    /// <see cref="Gradients.GlobalNorm"/>, check for NaN) or change them. Setting it makes
    /// <see cref="NeedsGlobalStep"/> true. It must not allocate if the step is to stay allocation-free.
    /// </summary>
    public Action<IReadOnlyList<Parameter>>? BeforeUpdate { get; init; }

    /// <summary>The batches added up since the last update (0 to <see cref="AccumulationSteps"/> - 1).</summary>
    public int PendingBatches { get; private set; }

    /// <summary>The global L2 norm of the gradients before clipping, at the last update that clipped
    /// (NaN before any, or without <see cref="MaxGradientNorm"/>).</summary>
    public float LastGradientNorm { get; private set; } = float.NaN;

    /// <summary>
    /// Whether this optimizer must see every gradient before it updates any parameter: true with
    /// <see cref="MaxGradientNorm"/>, <see cref="AccumulationSteps"/> above 1 or <see cref="BeforeUpdate"/>. A generated <c>TrainStep</c> then
    /// runs the backward pass without updates and calls <see cref="Step"/>; otherwise it updates each parameter
    /// inside the backward pass (the fused update: the same bits as <see cref="Step"/>, with the gradient still
    /// in cache). A subclass may return true to get the global form for its own reasons.
    /// </summary>
    public virtual bool NeedsGlobalStep => _maxGradientNorm is not null || _accumulationSteps > 1 || BeforeUpdate is not null;

    /// <summary>
    /// The global step, after the whole backward pass has filled every <see cref="Parameter.Gradient"/>. With
    /// <see cref="AccumulationSteps"/> of k, adds the gradients to this group's sum and, on the k-th call, replaces
    /// each gradient with the group's mean; then calls <see cref="BeforeUpdate"/>, clips by <see cref="MaxGradientNorm"/> when set, and updates every
    /// parameter (<see cref="BeginStep"/>, then <see cref="Update"/> for each). Pass the same parameters, in the
    /// same order, every time (a network's <c>Parameters</c>).
    /// </summary>
    /// <returns>Whether the parameters were updated (false while a group of batches is still being added up).</returns>
    /// <exception cref="InvalidOperationException">Clipping found a gradient that is not finite; no parameter was
    /// changed (the group's batches are dropped).</exception>
    public bool Step(IReadOnlyList<Parameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (_accumulationSteps > 1)
        {
            Accumulate(parameters);
            if (PendingBatches < _accumulationSteps)
                return false;
            LoadMean(parameters);
        }
        UpdateAll(parameters);
        return true;
    }

    /// <summary>
    /// Updates from the batches added up so far when fewer than <see cref="AccumulationSteps"/> are pending (the
    /// end of an epoch whose batch count is not a multiple of it): each gradient becomes the mean over those
    /// batches. Does nothing when none is pending.
    /// </summary>
    /// <returns>Whether the parameters were updated.</returns>
    public bool FinishAccumulation(IReadOnlyList<Parameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (PendingBatches == 0)
            return false;
        LoadMean(parameters);
        UpdateAll(parameters);
        return true;
    }

    private void UpdateAll(IReadOnlyList<Parameter> parameters)
    {
        BeforeUpdate?.Invoke(parameters);
        if (_maxGradientNorm is float maxNorm)
        {
            // Checked before anything changes, so a diverging step loses no parameter.
            float norm = Gradients.GlobalNorm(parameters);
            if (!float.IsFinite(norm))
                throw new InvalidOperationException(
                    $"The gradients' global L2 norm is {norm.ToString(CultureInfo.InvariantCulture)} ({Gradients.FirstNonFinite(parameters)}); no parameter was updated.");
            Gradients.Scale(parameters, Gradients.ClipFactor(norm, maxNorm));
            LastGradientNorm = norm;
        }
        BeginStep();
        for (int i = 0; i < parameters.Count; i++)
        {
            Update(parameters[i]);
        }
    }

    /// <summary>Adds each gradient to its sum: the first batch of a group copies, so no pass clears the sums.</summary>
    private void Accumulate(IReadOnlyList<Parameter> parameters)
    {
        for (int i = 0; i < parameters.Count; i++)
        {
            Parameter parameter = parameters[i];
            if (!_accumulated.TryGetValue(parameter, out float[]? sum))
            {
                sum = new float[parameter.Length];
                _accumulated[parameter] = sum;
            }
            if (PendingBatches == 0)
                parameter.Gradient.CopyTo(sum, 0);
            else
                TensorPrimitives.Add(sum, parameter.Gradient, sum);
        }
        PendingBatches++;
    }

    /// <summary>Replaces each gradient with its group's mean, and starts a new group.</summary>
    private void LoadMean(IReadOnlyList<Parameter> parameters)
    {
        float count = PendingBatches;
        PendingBatches = 0;
        for (int i = 0; i < parameters.Count; i++)
        {
            Parameter parameter = parameters[i];
            if (!_accumulated.TryGetValue(parameter, out float[]? sum))
                throw new InvalidOperationException($"{parameter.Name} was not among the parameters of the batches accumulated since the last update; pass the same parameters to every Step.");
            TensorPrimitives.Divide(sum, count, parameter.Gradient);
        }
    }

    /// <summary>Forgets the batches added up since the last update.</summary>
    private void DiscardAccumulated() => PendingBatches = 0;
}
