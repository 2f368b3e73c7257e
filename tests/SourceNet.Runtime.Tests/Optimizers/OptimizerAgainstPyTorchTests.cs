using System.Text.Json;

namespace SourceNet.Runtime.Tests.Optimizers;

/// <summary>
/// AdamW, the schedules and clipping against what PyTorch computes for the same parameters and gradients
/// (Fixtures/torch_optimizers.json, written by Fixtures/make_torch_optimizers.py). Each step runs the global
/// step (<see cref="Optimizer.Step"/>), as a generated TrainStep does for an optimizer that clips.
/// </summary>
public class OptimizerAgainstPyTorchTests
{
    private static readonly Lazy<JsonElement> s_fixture = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(FixtureFolder(), "torch_optimizers.json"))).RootElement);

    private static string FixtureFolder()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "SourceNet.sln")))
                return Path.Combine(directory.FullName, "tests", "SourceNet.Runtime.Tests", "Optimizers", "Fixtures");
        }
        throw new InvalidOperationException($"No SourceNet.sln above '{AppContext.BaseDirectory}'.");
    }

    private static float[] Floats(JsonElement array) => [.. array.EnumerateArray().Select(x => (float)x.GetDouble())];

    private static float Setting(JsonElement settings, string name) => (float)settings.GetProperty(name).GetDouble();

    /// <summary>Runs <paramref name="optimizer"/> over the fixture's gradients and checks every step against PyTorch's.</summary>
    private static void Replay(string caseName, Func<JsonElement, Optimizer> make)
    {
        JsonElement fixture = s_fixture.Value;
        JsonElement testCase = fixture.GetProperty("cases").GetProperty(caseName);
        Optimizer optimizer = make(testCase.GetProperty("settings"));
        var weight = new Parameter("weight", 3, 5);
        var bias = new Parameter("bias", 1, 5);
        Parameter[] parameters = [weight, bias];
        Floats(fixture.GetProperty("initial").GetProperty("weight")).CopyTo(weight.Value, 0);
        Floats(fixture.GetProperty("initial").GetProperty("bias")).CopyTo(bias.Value, 0);
        JsonElement[] gradients = [.. fixture.GetProperty("gradients").EnumerateArray()];
        JsonElement[] steps = [.. testCase.GetProperty("steps").EnumerateArray()];
        Assert.NotEmpty(steps);

        for (int t = 0; t < steps.Length; t++)
        {
            JsonElement expected = steps[t];
            foreach (Parameter p in parameters)
                Floats(gradients[t].GetProperty(p.Name)).CopyTo(p.Gradient, 0);

            Assert.True(optimizer.Step(parameters));

            double rate = expected.GetProperty("learning_rate").GetDouble();
            Assert.True(Math.Abs(optimizer.CurrentLearningRate - rate) <= 1e-6 * rate,
                $"{caseName} step {t + 1}: learning rate {optimizer.CurrentLearningRate:R}, PyTorch {rate:R}");
            if (expected.TryGetProperty("norm", out JsonElement norm))
                Assert.True(Math.Abs(optimizer.LastGradientNorm - norm.GetDouble()) <= 1e-6 * norm.GetDouble(),
                    $"{caseName} step {t + 1}: gradient norm {optimizer.LastGradientNorm:R}, PyTorch {norm.GetDouble():R}");
            foreach (Parameter p in parameters)
            {
                float[] want = Floats(expected.GetProperty(p.Name));
                for (int i = 0; i < want.Length; i++)
                {
                    Assert.True(Math.Abs(p.Value[i] - want[i]) <= 1e-6 * Math.Max(1, Math.Abs(want[i])),
                        $"{caseName} step {t + 1}: {p.Name}[{i}] is {p.Value[i]:R}, PyTorch {want[i]:R}");
                }
            }
        }
        Assert.Equal(steps.Length, optimizer.StepCount);
    }

    [Fact]
    public void AdamW_matches_PyTorch() =>
        Replay("adamw", s => new AdamW(Setting(s, "learning_rate"), Setting(s, "weight_decay"), Setting(s, "beta1"), Setting(s, "beta2"), Setting(s, "epsilon")));

    [Fact]
    public void AdamW_with_warm_up_cosine_and_clipping_matches_PyTorch() =>
        Replay("adamw_cosine_clipped", s => new AdamW(Setting(s, "learning_rate"), Setting(s, "weight_decay"), Setting(s, "beta1"), Setting(s, "beta2"), Setting(s, "epsilon"))
        {
            Schedule = new CosineSchedule((int)Setting(s, "warmup_steps"), (int)Setting(s, "total_steps"), Setting(s, "min_learning_rate")),
            MaxGradientNorm = Setting(s, "max_norm"),
        });

    [Fact]
    public void Sgd_with_momentum_and_step_decay_matches_PyTorch() =>
        Replay("sgd_momentum_step_decay", s => new Sgd(Setting(s, "learning_rate"), Setting(s, "momentum"))
        {
            Schedule = new StepDecaySchedule((int)Setting(s, "step_size"), Setting(s, "gamma")),
        });
}
