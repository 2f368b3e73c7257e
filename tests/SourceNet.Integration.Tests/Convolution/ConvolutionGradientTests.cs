using System.Reflection;
using SourceNet.Kernels;

namespace SourceNet.Integration.Tests.Convolution;

/// <summary>
/// Generated convolutional networks against <see cref="LayerReference"/>: the forward pass value for value, and
/// every parameter's gradient against central finite differences of the reference's double-precision loss
/// (with the dropout masks the training step drew).
/// </summary>
public class ConvolutionGradientTests
{
    internal static float[] RandomInputs(int count, int seed)
    {
        var values = new float[count];
        new SeededRandom(seed).FillNormal(values, 0f, 1f);
        return values;
    }

    private static int[] Labels(int batch, int classes) => Enumerable.Range(0, batch).Select(i => (i * 7 + 2) % classes).ToArray();

    /// <summary>The masks each dropout layer drew in the last training step (a private buffer of the generated class).</summary>
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

    internal static void CheckEveryGradient(INetwork network, Func<float[], int[], float> computeGradients, int batch, int seed)
    {
        int classes = network.OutputSize;
        float[] inputs = RandomInputs(batch * network.InputSize, seed);
        int[] labels = Labels(batch, classes);
        float loss = computeGradients(inputs, labels);
        var reference = new LayerReference(network, Masks(network));
        AssertClose(reference.Loss(inputs, labels), loss, 1e-5, 1e-6, "loss");
        foreach (Parameter parameter in network.Parameters)
        {
            for (int i = 0; i < parameter.Length; i++)
            {
                AssertClose(reference.NumericalGradient(inputs, labels, parameter, i), parameter.Gradient[i], 2e-3, 2e-5, $"{parameter.Name}[{i}] (batch {batch})");
            }
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    public void Strided_same_padding_three_channels(int batch)
    {
        var network = new StridedSameCnn(seed: 3, maxBatchSize: 7);
        CheckEveryGradient(network, (x, y) => network.ComputeGradients(x, y), batch, seed: 40 + batch);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    public void Valid_then_same_one_channel_with_average_pool_and_dropout(int batch)
    {
        var network = new ValidThenSameCnn(seed: 5, maxBatchSize: 7);
        CheckEveryGradient(network, (x, y) => network.ComputeGradients(x, y), batch, seed: 60 + batch);
    }

    [Fact]
    public void Deep_mnist_structure_gradients_match_the_double_reference()
    {
        var network = new SmallDeepCnn(seed: 8, maxBatchSize: 8);
        CheckEveryGradient(network, (x, y) => network.ComputeGradients(x, y), batch: 5, seed: 90);
    }

    [Fact]
    public void Forward_matches_the_reference_and_ignores_dropout_outside_training()
    {
        var network = new ValidThenSameCnn(seed: 9, maxBatchSize: 4);
        const int count = 9; // three chunks of 4, the last one short
        float[] inputs = RandomInputs(count * ValidThenSameCnn.InputCount, 17);
        var outputs = new float[count * ValidThenSameCnn.OutputCount];
        network.Forward(inputs, outputs);
        var reference = new LayerReference(network);
        for (int s = 0; s < count; s++)
        {
            double[] expected = reference.Forward(inputs.AsSpan(s * ValidThenSameCnn.InputCount, ValidThenSameCnn.InputCount), s);
            for (int j = 0; j < expected.Length; j++)
            {
                AssertClose(expected[j], outputs[s * ValidThenSameCnn.OutputCount + j], 1e-5, 1e-6, $"sample {s} logit {j}");
            }
        }
    }

    [Fact]
    public void The_generated_geometry_is_the_runtime_geometry_for_the_same_arguments()
    {
        // The generator (netstandard2.0) infers shapes and padding on its own; the runtime's Create is the other
        // implementation of TensorFlow's rule. They must agree for every layer the tests' networks declare.
        Layer[] strided = new StridedSameCnn(seed: 1, maxBatchSize: 1).Layers.ToArray();
        Assert.Equal(Conv2DGeometry.Create(7, 5, 3, 4, 3, 2, 2, 2, samePadding: true), ((Conv2DLayer)strided[0]).Geometry);
        Assert.Equal(Pool2DGeometry.Create(4, 3, 4, 2, 2, 2, 2, samePadding: true), ((Pool2DLayer)strided[1]).Geometry);

        Layer[] mixed = new ValidThenSameCnn(seed: 1, maxBatchSize: 1).Layers.ToArray();
        Assert.Equal(Conv2DGeometry.Create(9, 6, 1, 3, 2, 3, 1, 1, samePadding: false), ((Conv2DLayer)mixed[0]).Geometry);
        Assert.Equal(Pool2DGeometry.Create(8, 4, 3, 2, 2, 1, 1, samePadding: false), ((Pool2DLayer)mixed[1]).Geometry);
        Assert.Equal(Conv2DGeometry.Create(7, 3, 3, 2, 3, 1, 2, 2, samePadding: true), ((Conv2DLayer)mixed[2]).Geometry);
        Assert.Equal(Pool2DGeometry.Create(4, 2, 2, 2, 1, 1, 1, samePadding: false), ((Pool2DLayer)mixed[3]).Geometry);
    }

    [Fact]
    public void The_same_seed_gives_the_same_dropout_masks_and_training_bit_for_bit()
    {
        static int[] Train(int seed)
        {
            var network = new SmallDeepCnn(seed: seed, maxBatchSize: 6);
            var adam = new Adam(learningRate: 1e-2f);
            float[] inputs = RandomInputs(6 * SmallDeepCnn.InputCount, 5);
            int[] labels = Labels(6, 10);
            var bits = new List<int>();
            for (int step = 0; step < 4; step++)
            {
                bits.Add(BitConverter.SingleToInt32Bits(network.TrainStep(inputs, labels, adam)));
            }
            bits.AddRange(network.Parameters.SelectMany(p => p.Value).Select(BitConverter.SingleToInt32Bits));
            bits.AddRange(Masks(network)["Drop"].Select(BitConverter.SingleToInt32Bits));
            return bits.ToArray();
        }

        Assert.Equal(Train(21), Train(21));
        Assert.NotEqual(Train(21), Train(22));
    }
}
