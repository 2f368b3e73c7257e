using System.Reflection;

namespace SourceNet.Integration.Tests.Graphs;

/// <summary>
/// Batch normalisation against PyTorch (fixtures by interop/pytorch_batchnorm_fixtures.py): the same five training
/// batches through the generated network's <c>ComputeGradients</c> and through <c>nn.BatchNorm2d</c> /
/// <c>nn.BatchNorm1d</c> in train mode give the same running mean, running (unbiased) variance and batch count, the
/// same losses, the same normalised output of the last batch and the same gradients.
/// </summary>
public class BatchNormFixtureTests
{
    private const int Batches = 5;

    [Fact]
    public void Image_running_statistics_match_PyTorchs_BatchNorm2d_with_its_defaults() =>
        Check(new ImageNormFixtureNet(seed: 1, maxBatchSize: 4), n => n.Norm, n => n.Logits, "batchnorm_image.safetensors");

    [Fact]
    public void Image_running_statistics_match_PyTorchs_BatchNorm2d_with_momentum_and_epsilon_set() =>
        Check(new ImageMomentumNormFixtureNet(seed: 1, maxBatchSize: 4), n => n.Norm, n => n.Logits, "batchnorm_image_momentum.safetensors");

    [Fact]
    public void Vector_running_statistics_match_PyTorchs_BatchNorm1d() =>
        Check(new VectorNormFixtureNet(seed: 1, maxBatchSize: 4), n => n.Norm, n => n.Logits, "batchnorm_vector.safetensors");

    private static void Check<TNetwork>(TNetwork network, Func<TNetwork, BatchNormLayer> norm, Func<TNetwork, DenseLayer> logits, string fixtureName)
        where TNetwork : INetwork
    {
        FixtureTensors fixture = FixtureTensors.Load(fixtureName);
        BatchNormLayer layer = norm(network);
        DenseLayer dense = logits(network);
        fixture.Floats("norm.weight").CopyTo(layer.Weight.Value, 0);
        fixture.Floats("norm.bias").CopyTo(layer.Bias.Value, 0);
        TransposeInto(fixture.Floats("logits.weight"), dense.Weight.Value, dense.Weight.Rows, dense.Weight.Columns);
        fixture.Floats("logits.bias").CopyTo(dense.Bias.Value, 0);

        float[] inputs = Array.Empty<float>();
        for (int i = 0; i < Batches; i++)
        {
            inputs = fixture.Floats($"batch{i}.x");
            int[] labels = fixture.Longs($"batch{i}.labels").Select(l => (int)l).ToArray();
            float loss = ComputeGradients(network, inputs, labels);
            AssertClose(fixture.Floats($"batch{i}.loss")[0], loss, 1e-5, 1e-6, $"batch {i}: loss");
        }

        (float[] mean, float[] variance, long tracked) = RunningStatistics(layer);
        AssertAllClose(fixture.Floats("norm.running_mean"), mean, 1e-6, "running_mean");
        AssertAllClose(fixture.Floats("norm.running_var"), variance, 1e-6, "running_var");
        Assert.Equal(fixture.Longs("norm.num_batches_tracked")[0], tracked);

        AssertAllClose(fixture.Floats("last.output"), TrainingOutput(network, layer, inputs.Length), 1e-5, "the last batch's normalised output");
        AssertAllClose(fixture.Floats("last.grad.norm.weight"), layer.Weight.Gradient, 1e-5, "dLoss/dγ");
        AssertAllClose(fixture.Floats("last.grad.norm.bias"), layer.Bias.Gradient, 1e-5, "dLoss/dβ");
        var denseGradient = new float[dense.Weight.Length];
        TransposeInto(fixture.Floats("last.grad.logits.weight"), denseGradient, dense.Weight.Rows, dense.Weight.Columns);
        AssertAllClose(denseGradient, dense.Weight.Gradient, 1e-5, "dLoss/d(dense weight)");
        AssertAllClose(fixture.Floats("last.grad.logits.bias"), dense.Bias.Gradient, 1e-5, "dLoss/d(dense bias)");
    }

    /// <summary>
    /// The layer's running statistics and batch count: the one place that knows how the runtime keeps them (float
    /// state buffers of the layer), so a change of its buffer API changes this method only.
    /// </summary>
    private static (float[] Mean, float[] Variance, long Tracked) RunningStatistics(BatchNormLayer layer) =>
        (layer.RunningMean.Singles.ToArray(), layer.RunningVariance.Singles.ToArray(), layer.BatchesTracked.Int64s[0]);

    /// <summary>
    /// The normalised values of the last training batch, as the generated forward pass left them in the layer's
    /// activation buffer (a private field the generator names <c>_{layer}Activations</c>; no public API shows them).
    /// </summary>
    private static float[] TrainingOutput(INetwork network, BatchNormLayer layer, int count)
    {
        string field = "_" + char.ToLowerInvariant(layer.Name[0]) + layer.Name[1..] + "Activations";
        FieldInfo? info = network.GetType().GetField(field, BindingFlags.NonPublic | BindingFlags.Instance);
        Assert.True(info is not null, $"{network.GetType().Name} has no field {field}: the generator's activation buffers were renamed; update this helper.");
        return ((float[])info!.GetValue(network)!)[..count];
    }

    private static float ComputeGradients(INetwork network, float[] inputs, int[] labels) => network switch
    {
        ImageNormFixtureNet n => n.ComputeGradients(inputs, labels),
        ImageMomentumNormFixtureNet n => n.ComputeGradients(inputs, labels),
        VectorNormFixtureNet n => n.ComputeGradients(inputs, labels),
        _ => throw new ArgumentException("Not a fixture network: " + network.GetType().Name, nameof(network)),
    };

    /// <summary>PyTorch's [out, in] weight into SourceNet's [in, out].</summary>
    private static void TransposeInto(float[] outByIn, float[] inByOut, int inputs, int outputs)
    {
        Assert.Equal(inputs * outputs, outByIn.Length);
        for (int i = 0; i < inputs; i++)
        {
            for (int o = 0; o < outputs; o++) inByOut[i * outputs + o] = outByIn[o * inputs + i];
        }
    }

    private static void AssertAllClose(float[] expected, ReadOnlySpan<float> actual, double relative, string what)
    {
        Assert.True(expected.Length == actual.Length, $"{what}: PyTorch has {expected.Length} values, SourceNet {actual.Length}");
        for (int i = 0; i < expected.Length; i++)
        {
            // Relative to the value, with a floor of 1 so that values near 0 get the same absolute tolerance.
            AssertClose(expected[i], actual[i], 0, relative * Math.Max(1.0, Math.Abs(expected[i])), $"{what}[{i}]");
        }
    }

    private static void AssertClose(double expected, double actual, double relative, double absolute, string what)
    {
        double tolerance = absolute + relative * Math.Abs(expected);
        Assert.True(Math.Abs(expected - actual) <= tolerance, $"{what}: PyTorch {expected:G9}, SourceNet {actual:G9} (tolerance {tolerance:G3})");
    }
}
