using System;
using System.Collections.Generic;

namespace SourceNet;

/// <summary>
/// Updates parameters from their gradients. A step has two forms, and <see cref="NeedsGlobalStep"/> chooses:
/// <list type="bullet">
/// <item><b>Fused</b> (plain SGD, Adam, AdamW, with or without a <see cref="Schedule"/>): a generated
/// <c>TrainStep</c> calls <see cref="BeginStep"/> once, then <see cref="Update"/> for each parameter as soon as its
/// gradient is ready, while it is still in cache.</item>
/// <item><b>Global</b> (clipping by <see cref="MaxGradientNorm"/>, <see cref="AccumulationSteps"/> above 1): the
/// backward pass fills every gradient without updating, then <see cref="Step"/> sees them all at once.</item>
/// </list>
/// </summary>
/// <remarks>
/// The optimizer owns its per-parameter state (Adam's moments, SGD's velocity), keyed by the
/// <see cref="Parameter"/> object, so a network's parameters hold only values and gradients and a checkpoint
/// can save and restore the state as a whole (<see cref="SlotNames"/>, <see cref="TryGetSlot"/>).
/// </remarks>
public abstract partial class Optimizer
{
    // Keyed by identity: two parameters of the same name in different networks are different tensors.
    // Read concurrently by UpdateColumns from kernel threads; written only on the caller's thread.
    private readonly Dictionary<Parameter, float[][]> _slots = new(ReferenceEqualityComparer.Instance);

    // The scheduled rate of the current step; NaN until a step begins (or after a restore), then computed on demand.
    private float _currentLearningRate = float.NaN;
    private readonly LearningRateSchedule? _schedule;

    /// <summary>Number of steps (updates) begun so far; with <see cref="AccumulationSteps"/> of k, one per k batches.</summary>
    public long StepCount { get; private set; }

    /// <summary>The optimizer's kind as a checkpoint records it (<c>Adam</c>, <c>Sgd</c>).</summary>
    public virtual string Kind => GetType().Name;

    /// <summary>
    /// The names of the arrays the optimizer keeps per parameter, each as long as the parameter
    /// (Adam: <c>m</c>, <c>v</c>; SGD with momentum: <c>velocity</c>; plain SGD: none).
    /// </summary>
    public abstract IReadOnlyList<string> SlotNames { get; }

    /// <summary>
    /// The hyper-parameters by name, as a checkpoint records them (and checks them on resume): the update rule's
    /// (<see cref="RuleHyperParameters"/>), then those of the step phase that are set (the schedule's, clipping,
    /// accumulation), so a checkpoint of an optimizer without them reads as before.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, float>> HyperParameters
    {
        get
        {
            var all = new List<KeyValuePair<string, float>>(RuleHyperParameters);
            if (Schedule is not null)
                all.AddRange(Schedule.HyperParameters);
            if (MaxGradientNorm is float maxNorm)
                all.Add(new("max_gradient_norm", maxNorm));
            if (AccumulationSteps > 1)
                all.Add(new("accumulation_steps", AccumulationSteps));
            return all;
        }
    }

    /// <summary>The update rule's own hyper-parameters by name (learning rate, betas, ...).</summary>
    protected abstract IReadOnlyList<KeyValuePair<string, float>> RuleHyperParameters { get; }

    /// <summary>The base learning rate η, before any <see cref="Schedule"/>.</summary>
    public abstract float LearningRate { get; }

    /// <summary>
    /// Changes the learning rate from step to step (null: <see cref="LearningRate"/> throughout). Counted in
    /// updates, so with <see cref="AccumulationSteps"/> of k it advances once every k batches.
    /// </summary>
    public LearningRateSchedule? Schedule
    {
        get => _schedule;
        init
        {
            _schedule = value;
            _currentLearningRate = float.NaN;
        }
    }

    /// <summary>The learning rate of the current step (of the first, before any step): <see cref="LearningRate"/>
    /// as <see cref="Schedule"/> sets it for <see cref="StepCount"/>.</summary>
    public float CurrentLearningRate
    {
        get
        {
            if (float.IsNaN(_currentLearningRate))
                _currentLearningRate = LearningRateAt(Math.Max(1, StepCount));
            return _currentLearningRate;
        }
    }

    /// <summary>The learning rate of step <paramref name="step"/> (1 for the first).</summary>
    private float LearningRateAt(long step) => Schedule?.LearningRate(LearningRate, step - 1) ?? LearningRate;

    /// <summary>Starts a step: advances the step counter, sets <see cref="CurrentLearningRate"/> and precomputes
    /// the rule's per-step factors.</summary>
    public void BeginStep()
    {
        StepCount++;
        _currentLearningRate = LearningRateAt(StepCount);
        OnBeginStep(StepCount);
    }

    /// <summary>Per-step precomputation (bias corrections, schedules).</summary>
    protected virtual void OnBeginStep(long step)
    {
    }

    /// <summary>Applies one update to <paramref name="parameter"/> from its <see cref="Parameter.Gradient"/>.</summary>
    public abstract void Update(Parameter parameter);

    /// <summary>Whether <see cref="UpdateColumns"/> is implemented, so the update can be fused into the weight-gradient kernel.</summary>
    public virtual bool SupportsColumnUpdates => false;

    /// <summary>
    /// Makes the per-parameter state <see cref="UpdateColumns"/> needs, on the calling thread, before column
    /// blocks of <paramref name="parameter"/> are updated concurrently.
    /// </summary>
    public virtual void PrepareColumnUpdates(Parameter parameter) => SlotsFor(parameter);

    /// <summary>
    /// Applies the update to columns [<paramref name="firstColumn"/>, firstColumn + <paramref name="columnCount"/>)
    /// of every row of <paramref name="parameter"/>. Called from kernel threads for disjoint column blocks of one
    /// parameter; the result must equal <see cref="Update"/>'s for those elements.
    /// </summary>
    public virtual void UpdateColumns(Parameter parameter, int firstColumn, int columnCount) =>
        throw new NotSupportedException($"{GetType().Name} does not update column blocks; check {nameof(SupportsColumnUpdates)}.");

    /// <summary>Whether <see cref="UpdateRange"/> is implemented: a split weight-gradient product then fuses the
    /// update into its row blocks (Gemm.Core.cs).</summary>
    internal virtual bool SupportsRangeUpdates => false;

    /// <summary>
    /// Applies the update to elements [<paramref name="start"/>, start + <paramref name="count"/>) of
    /// <paramref name="parameter"/>'s storage: a block of whole rows, one contiguous run. Called from kernel threads
    /// for disjoint blocks of one parameter, after <see cref="PrepareColumnUpdates"/>; the result must equal
    /// <see cref="Update"/>'s for those elements.
    /// </summary>
    internal virtual void UpdateRange(Parameter parameter, int start, int count) =>
        throw new NotSupportedException($"{GetType().Name} does not update ranges; check {nameof(SupportsRangeUpdates)}.");

    /// <summary>Checks a column block against the parameter's shape.</summary>
    protected static void CheckColumns(Parameter parameter, int firstColumn, int columnCount)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        if (firstColumn < 0 || columnCount < 0 || firstColumn + columnCount > parameter.Columns)
            throw new ArgumentOutOfRangeException(nameof(columnCount), $"Columns [{firstColumn}, {firstColumn + columnCount}) are outside {parameter.Name} {parameter.ShapeText}.");
    }

    /// <summary>
    /// The optimizer's array <paramref name="slot"/> (an index into <see cref="SlotNames"/>) for
    /// <paramref name="parameter"/>; false while the optimizer has not yet updated that parameter.
    /// </summary>
    public bool TryGetSlot(Parameter parameter, int slot, out ReadOnlySpan<float> values)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        ArgumentOutOfRangeException.ThrowIfNegative(slot);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(slot, SlotNames.Count);
        if (_slots.TryGetValue(parameter, out float[][]? slots))
        {
            values = slots[slot];
            return true;
        }
        values = default;
        return false;
    }

    /// <summary>
    /// The state arrays of <paramref name="parameter"/>, created zero-filled on first use: one array per
    /// <see cref="SlotNames"/> entry. One dictionary look-up per call, never per element.
    /// </summary>
    protected float[][] SlotsFor(Parameter parameter)
    {
        if (_slots.TryGetValue(parameter, out float[][]? slots))
            return slots;
        int count = SlotNames.Count;
        slots = new float[count][];
        for (int i = 0; i < count; i++)
        {
            slots[i] = new float[parameter.Length];
        }
        _slots[parameter] = slots;
        return slots;
    }

    /// <summary>
    /// The state arrays <see cref="PrepareColumnUpdates"/> made for <paramref name="parameter"/>, for kernel
    /// threads: a read-only look-up, safe while no other thread prepares.
    /// </summary>
    protected float[][] PreparedSlots(Parameter parameter) =>
        _slots.TryGetValue(parameter, out float[][]? slots)
            ? slots
            : throw new InvalidOperationException($"Call {nameof(PrepareColumnUpdates)} for {parameter.Name} before {nameof(UpdateColumns)}.");

    /// <summary>
    /// Replaces the whole state: the step count and, per parameter, its arrays (null for a parameter the
    /// optimizer has not updated yet). The caller has validated everything, so this cannot fail half-way.
    /// </summary>
    internal void RestoreState(long stepCount, IReadOnlyList<Parameter> parameters, float[][]?[] slots)
    {
        _slots.Clear();
        for (int i = 0; i < parameters.Count; i++)
        {
            if (slots[i] is float[][] arrays)
                _slots[parameters[i]] = arrays;
        }
        StepCount = stepCount;
        _currentLearningRate = float.NaN;
        // A checkpoint is taken between updates: batches accumulated since the last one are not in it.
        DiscardAccumulated();
    }
}
