namespace SourceNet.Runtime.Tests.Optimizers;

/// <summary>The schedules' formulas at their edges (their middles are checked against PyTorch in
/// <see cref="OptimizerAgainstPyTorchTests"/>), and how an optimizer applies them.</summary>
public class ScheduleTests
{
    [Fact]
    public void Step_decay_multiplies_by_gamma_every_step_size_updates()
    {
        var schedule = new StepDecaySchedule(stepSize: 4, gamma: 0.5f);
        float[] rates = [.. Enumerable.Range(0, 10).Select(u => schedule.LearningRate(0.8f, u))];
        Assert.Equal([0.8f, 0.8f, 0.8f, 0.8f, 0.4f, 0.4f, 0.4f, 0.4f, 0.2f, 0.2f], rates);
    }

    [Fact]
    public void Cosine_warms_up_linearly_then_falls_to_its_floor_and_stays()
    {
        var schedule = new CosineSchedule(warmupSteps: 4, totalSteps: 12, minLearningRate: 0.1f);
        Assert.Equal(0.25f, schedule.LearningRate(1f, 0));
        Assert.Equal(0.5f, schedule.LearningRate(1f, 1));
        Assert.Equal(1f, schedule.LearningRate(1f, 3));
        Assert.Equal(1f, schedule.LearningRate(1f, 4)); // the cosine starts at the base rate
        Assert.Equal(0.55f, schedule.LearningRate(1f, 8), 6); // half way: the mean of base and floor
        Assert.Equal(0.1f, schedule.LearningRate(1f, 12), 6);
        Assert.Equal(0.1f, schedule.LearningRate(1f, 1000));
        for (int u = 4; u < 12; u++)
            Assert.True(schedule.LearningRate(1f, u + 1) < schedule.LearningRate(1f, u), $"not falling at {u}");

        var noWarmup = new CosineSchedule(0, 10);
        Assert.Equal(2f, noWarmup.LearningRate(2f, 0));
        Assert.Equal(0f, noWarmup.LearningRate(2f, 10));
    }

    [Fact]
    public void An_optimizer_steps_its_schedule_once_per_update()
    {
        var sgd = new Sgd(0.1f) { Schedule = new StepDecaySchedule(2, 0.1f), AccumulationSteps = 2 };
        Parameter[] parameters = [new("W", 1, 3)];
        Assert.Equal(0.1f, sgd.CurrentLearningRate); // before any step: the first step's
        float[] rates = new float[6];
        for (int batch = 0; batch < 12; batch++)
        {
            parameters[0].Gradient.AsSpan().Fill(1f);
            if (sgd.Step(parameters))
                rates[sgd.StepCount - 1] = sgd.CurrentLearningRate;
        }
        Assert.Equal([0.1f, 0.1f, 0.01f, 0.01f, 0.001f, 0.001f], rates, (a, b) => Math.Abs(a - b) <= 1e-9f);
        // w -= η_t·1 for each update: 0.2 + 0.02 + 0.002.
        Assert.Equal(-0.222f, parameters[0].Value[0], 6);
    }

    [Fact]
    public void Without_a_schedule_the_rate_is_the_learning_rate_bit_for_bit()
    {
        var adam = new Adam(3e-4f);
        adam.Step([new Parameter("W", 1, 1)]);
        Assert.Equal(3e-4f, adam.CurrentLearningRate);
        Assert.Equal(4, adam.HyperParameters.Count); // a checkpoint records what it did before schedules existed
    }

    [Fact]
    public void Bad_settings_are_rejected_by_name()
    {
        Assert.Equal("stepSize", Assert.Throws<ArgumentOutOfRangeException>(() => new StepDecaySchedule(0)).ParamName);
        Assert.Equal("gamma", Assert.Throws<ArgumentOutOfRangeException>(() => new StepDecaySchedule(3, 1.5f)).ParamName);
        Assert.Equal("totalSteps", Assert.Throws<ArgumentOutOfRangeException>(() => new CosineSchedule(10, 10)).ParamName);
        Assert.Equal("warmupSteps", Assert.Throws<ArgumentOutOfRangeException>(() => new CosineSchedule(-1, 10)).ParamName);
        Assert.Equal("minLearningRate", Assert.Throws<ArgumentOutOfRangeException>(() => new CosineSchedule(1, 10, float.NaN)).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => new CosineSchedule(1, LearningRateSchedule.MaxSteps + 1));
    }
}
