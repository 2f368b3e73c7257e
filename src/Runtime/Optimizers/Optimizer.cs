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
