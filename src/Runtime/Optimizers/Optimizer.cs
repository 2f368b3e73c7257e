using System;
using System.Collections.Generic;

namespace SourceNet;

/// <summary>
/// Updates parameters from their gradients. A generated <c>TrainStep</c> calls <see cref="BeginStep"/> once,
/// then <see cref="Update"/> for each parameter as soon as its gradient is ready, while it is still in cache.
/// </summary>
public abstract class Optimizer
{
    /// <summary>Number of steps begun so far.</summary>
    public long StepCount { get; private set; }

    /// <summary>Starts a step: advances the step counter and precomputes per-step factors.</summary>
    public void BeginStep()
    {
        StepCount++;
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
    public virtual void PrepareColumnUpdates(Parameter parameter)
    {
    }

    /// <summary>
    /// Applies the update to columns [<paramref name="firstColumn"/>, firstColumn + <paramref name="columnCount"/>)
    /// of every row of <paramref name="parameter"/>. Called from kernel threads for disjoint column blocks of one
    /// parameter; the result must equal <see cref="Update"/>'s for those elements.
    /// </summary>
    public virtual void UpdateColumns(Parameter parameter, int firstColumn, int columnCount) =>
        throw new NotSupportedException($"{GetType().Name} does not update column blocks; check {nameof(SupportsColumnUpdates)}.");

    /// <summary>Checks a column block against the parameter's shape and that the optimizer state exists.</summary>
    protected static void CheckColumns(Parameter parameter, int firstColumn, int columnCount)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        if (firstColumn < 0 || columnCount < 0 || firstColumn + columnCount > parameter.Columns)
            throw new ArgumentOutOfRangeException(nameof(columnCount), $"Columns [{firstColumn}, {firstColumn + columnCount}) are outside {parameter.Name} {parameter.ShapeText}.");
    }

    /// <summary>Updates every parameter: <see cref="BeginStep"/> then <see cref="Update"/> for each.</summary>
    public void Step(IReadOnlyList<Parameter> parameters)
    {
        BeginStep();
        for (int i = 0; i < parameters.Count; i++)
        {
            Update(parameters[i]);
        }
    }
}
