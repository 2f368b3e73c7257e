using System.Reflection;

namespace SourceNet.Integration.Tests.Graphs;

/// <summary>
/// Generated graph networks (fan-out, merges, batch normalisation, global pooling) against <see cref="GraphReference"/>:
/// every parameter's gradient against central differences of the double-precision loss in training mode, and the
/// inference forward pass (running statistics) value for value.
/// </summary>
public class GraphGradientTests
{
    private static float[] RandomInputs(int count, int seed)
    {
        var values = new float[count];
        new SeededRandom(seed).FillNormal(values, 0f, 1f);
        return values;
    }

    private static int[] Labels(int batch, int classes) => Enumerable.Range(0, batch).Select(i => (i * 5 + 1) % classes).ToArray();

    private static Dictionary<string, float[]> Masks(INetwork network)
    {
        var masks = new Dictionary<string, float[]>();
        foreach (DropoutLayer dropout in network.Layers.OfType<DropoutLayer>())
        {
            string field = "_" + char.ToLowerInvariant(dropout.Name[0]) + dropout.Name[1..] + "Mask";
            masks[dropout.Name] = (float[])network.GetType().GetField(field, BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(network)!;
        }
        return masks;
    }

    private static void AssertClose(double expected, double actual, double relative, double absolute, string what)
    {
        double tolerance = absolute + relative * Math.Abs(expected);
        Assert.True(Math.Abs(expected - actual) <= tolerance, $"{what}: expected {expected:G9}, generated {actual:G9} (tolerance {tolerance:G3})");
    }

    /// <param name="blankSteps">For a sequence input ([batch, steps, channels]), how many first steps of each sample
    /// are zeros; null for none.</param>
    internal static void CheckEveryGradient(INetwork network, Func<float[], int[], float> computeGradients, int batch, int seed, int[]? blankSteps = null,
        int stepSize = 0)
    {
        Assert.True(blankSteps is null || stepSize > 0, "blank steps need the size of a step");
        float[] inputs = RandomInputs(batch * network.InputSize, seed);
        for (int b = 0; blankSteps is not null && b < batch; b++)
            Array.Clear(inputs, b * network.InputSize, blankSteps[b] * stepSize);
        int[] labels = Labels(batch, network.OutputSize);
        float loss = computeGradients(inputs, labels);
        var reference = new GraphReference(network, training: true, Masks(network));
        AssertClose(reference.Loss(inputs, labels), loss, 1e-5, 1e-6, "loss");
        int checkedCount = 0;
        foreach (Parameter parameter in network.Parameters)
        {
            for (int i = 0; i < parameter.Length; i++)
            {
                AssertClose(reference.NumericalGradient(inputs, labels, parameter, i), parameter.Gradient[i], 3e-3, 3e-5, $"{parameter.Name}[{i}] (batch {batch})");
                checkedCount++;
            }
        }
        Assert.Equal(network.Parameters.Sum(p => p.Length), checkedCount);
    }

    internal static void CheckInference(INetwork network, Action<float[], float[]> forward, int count, int seed)
    {
        float[] inputs = RandomInputs(count * network.InputSize, seed);
        var outputs = new float[count * network.OutputSize];
        forward(inputs, outputs);
        double[][] expected = new GraphReference(network, training: false).Forward(inputs, count);
        for (int s = 0; s < count; s++)
        {
            for (int j = 0; j < network.OutputSize; j++)
            {
                AssertClose(expected[s][j], outputs[s * network.OutputSize + j], 1e-5, 1e-5, $"sample {s} output {j}");
            }
        }
    }

    [Fact]
    public void Residual_block_split_by_samples()
    {
        // 33 samples: two chunks (16 and 17), each with its own slots for the fan-out's shares; their gradients added.
        var network = new ChunkedResidualNet(seed: 13, maxBatchSize: 33);
        CheckEveryGradient(network, (x, y) => network.ComputeGradients(x, y), 33, seed: 133);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void Residual_block_with_fan_out_concatenation_and_pooling(int batch)
    {
        var network = new ResidualBlockNet(seed: 11, maxBatchSize: 4);
        CheckEveryGradient(network, (x, y) => network.ComputeGradients(x, y), batch, seed: 100 + batch);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(6)]
    public void Vector_batch_norm_and_a_sum_of_three(int batch)
    {
        var network = new VectorGraphNet(seed: 4, maxBatchSize: 6);
        CheckEveryGradient(network, (x, y) => network.ComputeGradients(x, y), batch, seed: 200 + batch);
    }

    [Fact]
    public void Sixteen_channel_batch_norm_and_a_value_added_to_itself()
    {
        var network = new WideNormNet(seed: 2, maxBatchSize: 3);
        CheckEveryGradient(network, (x, y) => network.ComputeGradients(x, y), batch: 3, seed: 300);
    }

    [Fact]
    public void Inference_uses_the_running_statistics_after_training()
    {
        var network = new ResidualBlockNet(seed: 12, maxBatchSize: 4);
        var adam = new Adam(1e-2f);
        for (int step = 0; step < 5; step++)
        {
            network.TrainStep(RandomInputs(4 * ResidualBlockNet.InputCount, 400 + step), Labels(4, 3), adam);
        }
        var norm = network.NormA;
        Assert.Equal(5, norm.BatchesTracked.Int64s[0]);
        Assert.Contains(norm.RunningMean.Singles, v => v != 0f);
        CheckInference(network, (x, y) => network.Forward(x, y), count: 9, seed: 500);

        var vectors = new VectorGraphNet(seed: 5, maxBatchSize: 6);
        for (int step = 0; step < 3; step++)
        {
            vectors.TrainStep(RandomInputs(6 * VectorGraphNet.InputCount, 600 + step), Labels(6, 4), adam);
        }
        CheckInference(vectors, (x, y) => vectors.Forward(x, y), count: 13, seed: 700);
    }
}
