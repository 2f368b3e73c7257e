namespace SourceNet.Runtime.Tests.Optimizers;

/// <summary>The global step: accumulation, clipping and the choice between it and the fused update.</summary>
public class GlobalStepTests
{
    private static Parameter[] Parameters() => [new("W", 37, 45), new("b", 1, 45), new("V", 45, 3)];

    private static void Fill(Parameter[] parameters, long seed, float scale = 1f)
    {
        var random = new SeededRandom(seed);
        foreach (Parameter p in parameters)
            random.FillNormal(p.Gradient, 0f, scale);
    }

    private static Parameter[] Copy(Parameter[] parameters)
    {
        Parameter[] copy = [.. parameters.Select(p => new Parameter(p.Name, p.Rows, p.Columns))];
        for (int i = 0; i < parameters.Length; i++)
            parameters[i].Value.CopyTo(copy[i].Value, 0);
        return copy;
    }

    private static void AssertClose(Parameter[] expected, Parameter[] actual, double tolerance, string what)
    {
        for (int p = 0; p < expected.Length; p++)
        {
            for (int i = 0; i < expected[p].Length; i++)
            {
                float want = expected[p].Value[i], got = actual[p].Value[i];
                Assert.True(Math.Abs(got - want) <= tolerance * Math.Max(1, Math.Abs(want)), $"{what}: {expected[p].Name}[{i}] is {got:R}, expected {want:R}");
            }
        }
    }

    [Fact]
    public void Plain_optimizers_fuse_and_clipping_or_accumulation_needs_the_global_step()
    {
        Assert.False(new Adam().NeedsGlobalStep);
        Assert.False(new AdamW().NeedsGlobalStep);
        Assert.False(new Sgd(0.1f, 0.9f) { Schedule = new StepDecaySchedule(10) }.NeedsGlobalStep);
        Assert.False(new Adam { AccumulationSteps = 1 }.NeedsGlobalStep);
        Assert.True(new Adam { MaxGradientNorm = 1f }.NeedsGlobalStep);
        Assert.True(new Sgd { AccumulationSteps = 2 }.NeedsGlobalStep);
        Assert.True(new Sgd { BeforeUpdate = _ => { } }.NeedsGlobalStep);
    }

    /// <summary>k batches accumulated update once, from the mean of their gradients: the same as one step on that
    /// mean computed in double (rounded once), within float rounding of the k - 1 additions.</summary>
    [Theory]
    [InlineData("sgd", 3)]
    [InlineData("adam", 4)]
    [InlineData("adamw", 2)]
    public void Accumulated_batches_update_once_from_their_mean(string kind, int k)
    {
        Optimizer Make(int steps) => kind switch
        {
            "sgd" => new Sgd(0.05f, 0.9f) { AccumulationSteps = steps },
            "adam" => new Adam(1e-2f) { AccumulationSteps = steps },
            _ => new AdamW(1e-2f, 0.1f) { AccumulationSteps = steps },
        };
        Parameter[] accumulated = Parameters();
        Fill(accumulated, 1);
        foreach (Parameter p in accumulated)
            p.Gradient.CopyTo(p.Value, 0);
        Parameter[] reference = Copy(accumulated);
        Optimizer optimizer = Make(k), single = Make(1);

        for (int update = 0; update < 3; update++)
        {
            var sums = reference.Select(p => new double[p.Length]).ToArray();
            for (int batch = 0; batch < k; batch++)
            {
                Fill(accumulated, 100 * update + batch);
                for (int p = 0; p < accumulated.Length; p++)
                    for (int i = 0; i < accumulated[p].Length; i++)
                        sums[p][i] += accumulated[p].Gradient[i];
                Assert.Equal(batch == k - 1, optimizer.Step(accumulated));
                Assert.Equal(batch == k - 1 ? 0 : batch + 1, optimizer.PendingBatches);
            }
            for (int p = 0; p < reference.Length; p++)
                for (int i = 0; i < reference[p].Length; i++)
                    reference[p].Gradient[i] = (float)(sums[p][i] / k);
            Assert.True(single.Step(reference));

            // The gradients the update used are on view: the group's mean.
            for (int p = 0; p < reference.Length; p++)
                for (int i = 0; i < reference[p].Length; i++)
                    Assert.True(Math.Abs(accumulated[p].Gradient[i] - reference[p].Gradient[i]) <= 1e-6 * Math.Max(1, Math.Abs(reference[p].Gradient[i])));
        }
        Assert.Equal(3, optimizer.StepCount);
        AssertClose(reference, accumulated, 1e-5, $"{kind}, {k} batches");
    }

    [Fact]
    public void Finishing_a_short_group_updates_from_the_mean_of_its_batches()
    {
        Parameter[] accumulated = Parameters();
        Parameter[] reference = Copy(accumulated);
        var optimizer = new Sgd(0.5f) { AccumulationSteps = 4 };
        var single = new Sgd(0.5f);
        Assert.False(optimizer.FinishAccumulation(accumulated));
        Fill(accumulated, 7);
        float[][] first = [.. accumulated.Select(p => (float[])p.Gradient.Clone())];
        Assert.False(optimizer.Step(accumulated));
        Fill(accumulated, 8);
        Assert.False(optimizer.Step(accumulated));
        for (int p = 0; p < reference.Length; p++)
            for (int i = 0; i < reference[p].Length; i++)
                reference[p].Gradient[i] = (float)(((double)first[p][i] + accumulated[p].Gradient[i]) / 2);

        Assert.True(optimizer.FinishAccumulation(accumulated));
        single.Step(reference);

        Assert.Equal(0, optimizer.PendingBatches);
        Assert.Equal(1, optimizer.StepCount);
        AssertClose(reference, accumulated, 1e-6, "two of four batches");
        Assert.False(optimizer.FinishAccumulation(accumulated));
    }

    /// <summary>The global norm and the clipped gradients against the definition in double.</summary>
    [Theory]
    [InlineData(1f, 0.5f)] // the norm is far above 1: clipped
    [InlineData(1000f, 0.5f)] // far below: unchanged
    [InlineData(1f, 0f)] // all zero: unchanged, no division by zero
    public void Clipping_by_global_norm_matches_its_definition(float maxNorm, float scale)
    {
        Parameter[] parameters = Parameters();
        Fill(parameters, 3, scale);
        float[][] before = [.. parameters.Select(p => (float[])p.Gradient.Clone())];
        double expectedNorm = Math.Sqrt(before.Sum(g => g.Sum(x => (double)x * x)));
        double factor = Math.Min(1, maxNorm / (expectedNorm + 1e-6));

        float norm = Gradients.ClipByGlobalNorm(parameters, maxNorm);

        Assert.True(Math.Abs(norm - expectedNorm) <= 1e-6 * Math.Max(1e-30, expectedNorm), $"norm {norm:R}, expected {expectedNorm:R}");
        for (int p = 0; p < parameters.Length; p++)
        {
            for (int i = 0; i < before[p].Length; i++)
            {
                double want = before[p][i] * factor;
                Assert.True(Math.Abs(parameters[p].Gradient[i] - want) <= 1e-6 * Math.Abs(want) + 1e-30, $"{parameters[p].Name}[{i}]");
            }
        }
        if (factor == 1)
            Assert.Equal(before.SelectMany(g => g), parameters.SelectMany(p => p.Gradient));
        else
            Assert.True(Math.Abs(Gradients.GlobalNorm(parameters) - maxNorm) <= 1e-5 * maxNorm);
    }

    [Fact]
    public void A_BeforeUpdate_hook_may_change_the_gradients_the_update_uses()
    {
        Parameter[] parameters = Parameters();
        Fill(parameters, 9);
        foreach (Parameter p in parameters)
            p.Gradient.CopyTo(p.Value, 0);
        float[] before = [.. parameters.SelectMany(p => p.Value)];
        int calls = 0;
        var sgd = new Sgd(0.1f) { AccumulationSteps = 2, BeforeUpdate = ps => { calls++; foreach (Parameter p in ps) p.Gradient.AsSpan().Clear(); } };

        sgd.Step(parameters);
        Assert.Equal(0, calls); // the first of two batches: no update yet
        sgd.Step(parameters);

        Assert.Equal(1, calls);
        Assert.Equal(before, parameters.SelectMany(p => p.Value)); // zeroed gradients: w -= η·0
        Assert.Equal(1, sgd.StepCount);
    }

    [Fact]
    public void A_clipped_step_equals_clipping_by_hand_then_stepping()
    {
        Parameter[] clipped = Parameters();
        Fill(clipped, 4);
        Parameter[] byHand = Copy(clipped);
        Fill(byHand, 4);
        var optimizer = new Adam(1e-2f) { MaxGradientNorm = 2f };
        var plain = new Adam(1e-2f);

        optimizer.Step(clipped);
        float norm = Gradients.ClipByGlobalNorm(byHand, 2f);
        plain.Step(byHand);

        Assert.Equal(norm, optimizer.LastGradientNorm);
        Assert.True(norm > 2f);
        Assert.Equal(byHand.SelectMany(p => p.Value), clipped.SelectMany(p => p.Value));
    }

    [Fact]
    public void A_non_finite_gradient_stops_a_clipped_step_before_any_change()
    {
        Parameter[] parameters = Parameters();
        new SeededRandom(5).FillNormal(parameters[0].Value, 0f, 1f);
        Fill(parameters, 6);
        parameters[2].Gradient[17] = float.NaN;
        float[] values = [.. parameters.SelectMany(p => p.Value)];
        var optimizer = new Adam { MaxGradientNorm = 1f };

        var error = Assert.Throws<InvalidOperationException>(() => optimizer.Step(parameters));

        Assert.Contains("V's gradient element 17 is NaN", error.Message);
        Assert.Contains("no parameter was updated", error.Message);
        Assert.Equal(values, parameters.SelectMany(p => p.Value));
        Assert.Equal(0, optimizer.StepCount);
    }

    [Fact]
    public void Settings_out_of_range_are_rejected_by_name()
    {
        Assert.Equal("MaxGradientNorm", Assert.Throws<ArgumentOutOfRangeException>(() => new Adam { MaxGradientNorm = 0f }).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adam { MaxGradientNorm = float.PositiveInfinity });
        Assert.Equal("AccumulationSteps", Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd { AccumulationSteps = 0 }).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => Gradients.ClipByGlobalNorm(Parameters(), -1f));
        Assert.Equal("weightDecay", Assert.Throws<ArgumentOutOfRangeException>(() => new AdamW(weightDecay: -0.1f)).ParamName);
        Assert.Equal("beta2", Assert.Throws<ArgumentOutOfRangeException>(() => new AdamW(beta2: 1f)).ParamName);
    }

    [Fact]
    public void The_global_step_allocates_nothing_after_the_first()
    {
        Parameter[] parameters = [new("W", 784, 300), new("b", 1, 300)];
        var optimizer = new AdamW { MaxGradientNorm = 1f, AccumulationSteps = 2, Schedule = new CosineSchedule(2, 100) };
        for (int i = 0; i < 4; i++)
            optimizer.Step(parameters);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 4; i++)
            optimizer.Step(parameters);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(4, optimizer.StepCount);
    }
}
