namespace SourceNet.Integration.Tests.Network;

/// <summary>
/// The generated backward pass against central finite differences of an independent double-precision
/// reference (dlib's test_layer idea), and the generated forward pass against the same reference.
/// </summary>
public class GradientTests
{
    private static float[] RandomInputs(int count, int seed, float scale = 1f)
    {
        var random = new SeededRandom(seed);
        var values = new float[count];
        random.FillNormal(values, 0f, scale);
        return values;
    }

    /// <summary>Every parameter's generated gradient against the reference's finite differences.</summary>
    private static void AssertGradientsMatch(INetwork model, double[][] numerical)
    {
        for (int p = 0; p < model.Parameters.Count; p++)
        {
            Parameter parameter = model.Parameters[p];
            for (int i = 0; i < parameter.Length; i++)
                AssertClose(numerical[p][i], parameter.Gradient[i], 2e-3, 2e-5, $"{parameter.Name}[{i}]");
        }
    }

    private static void AssertClose(double expected, double actual, double relative, double absolute, string what)
    {
        double tolerance = absolute + relative * Math.Abs(expected);
        Assert.True(Math.Abs(expected - actual) <= tolerance, $"{what}: expected {expected:G9}, generated {actual:G9} (tolerance {tolerance:G3})");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(8)]
    [InlineData(37)] // two sample chunks (18 and 19), their gradients added
    public void Classifier_gradients_match_finite_differences(int batch)
    {
        var model = new TinyClassifier(seed: 11 + batch, maxBatchSize: Math.Max(8, batch));
        float[] inputs = RandomInputs(batch * TinyClassifier.InputCount, seed: 100 + batch);
        int[] labels = Enumerable.Range(0, batch).Select(i => (i * 3 + 1) % TinyClassifier.OutputCount).ToArray();
        var reference = new ReferenceNetwork(model, softmaxCrossEntropy: true, ReferenceNetwork.Relu, ReferenceNetwork.Sigmoid, ReferenceNetwork.Identity);

        float loss = model.ComputeGradients(inputs, labels);

        AssertClose(reference.Loss(inputs, labels, Array.Empty<float>()), loss, 1e-5, 1e-6, "loss");
        AssertGradientsMatch(model, reference.NumericalGradients(inputs, labels, Array.Empty<float>()));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(32)] // two sample chunks
    public void Regressor_gradients_match_finite_differences(int batch)
    {
        var model = new TinyRegressor(seed: 7, maxBatchSize: Math.Max(5, batch));
        float[] inputs = RandomInputs(batch * TinyRegressor.InputCount, seed: 3);
        float[] targets = RandomInputs(batch * TinyRegressor.OutputCount, seed: 4, scale: 0.3f).Select(t => 0.5f + t).ToArray();
        var reference = new ReferenceNetwork(model, softmaxCrossEntropy: false, ReferenceNetwork.Tanh, ReferenceNetwork.Sigmoid);

        float loss = model.ComputeGradients(inputs, targets);

        AssertClose(reference.Loss(inputs, Array.Empty<int>(), targets), loss, 1e-5, 1e-6, "loss");
        AssertGradientsMatch(model, reference.NumericalGradients(inputs, Array.Empty<int>(), targets));
    }

    [Fact]
    public void Leaky_relu_gradients_match_finite_differences()
    {
        var model = new LeakyClassifier(seed: 6, maxBatchSize: 6);
        const int batch = 6;
        float[] inputs = RandomInputs(batch * LeakyClassifier.InputCount, seed: 13);
        int[] labels = { 2, 1, 0, 0, 1, 2 };
        var reference = new ReferenceNetwork(model, softmaxCrossEntropy: true, z => z > 0 ? z : 0.01 * z, ReferenceNetwork.Identity);

        float loss = model.ComputeGradients(inputs, labels);

        AssertClose(reference.Loss(inputs, labels, Array.Empty<float>()), loss, 1e-5, 1e-6, "loss");
        AssertGradientsMatch(model, reference.NumericalGradients(inputs, labels, Array.Empty<float>()));
    }

    [Fact]
    public void Custom_activation_gradients_match_finite_differences()
    {
        var model = new SwishClassifier(seed: 4, maxBatchSize: 6);
        const int batch = 6;
        float[] inputs = RandomInputs(batch * SwishClassifier.InputCount, seed: 12);
        int[] labels = { 0, 1, 2, 2, 1, 0 };
        var reference = new ReferenceNetwork(model, softmaxCrossEntropy: true, z => z / (1 + Math.Exp(-z)), ReferenceNetwork.Identity);

        float loss = model.ComputeGradients(inputs, labels);

        AssertClose(reference.Loss(inputs, labels, Array.Empty<float>()), loss, 1e-5, 1e-6, "loss");
        AssertGradientsMatch(model, reference.NumericalGradients(inputs, labels, Array.Empty<float>()));
    }

    [Fact]
    public void Forward_matches_the_reference_for_every_sample_across_chunks()
    {
        // 11 samples through a network whose buffers hold 4: three chunks, the last one short.
        var model = new TinyClassifier(seed: 5, maxBatchSize: 4);
        const int count = 11;
        float[] inputs = RandomInputs(count * TinyClassifier.InputCount, seed: 9);
        var outputs = new float[count * TinyClassifier.OutputCount];
        model.Forward(inputs, outputs);
        var reference = new ReferenceNetwork(model, softmaxCrossEntropy: true, ReferenceNetwork.Relu, ReferenceNetwork.Sigmoid, ReferenceNetwork.Identity);
        var predictions = new int[count];
        model.Predict(inputs, predictions);
        for (int s = 0; s < count; s++)
        {
            ReadOnlySpan<float> sample = inputs.AsSpan(s * TinyClassifier.InputCount, TinyClassifier.InputCount);
            double[] expected = reference.Forward(sample);
            for (int j = 0; j < expected.Length; j++)
                AssertClose(expected[j], outputs[s * TinyClassifier.OutputCount + j], 1e-5, 1e-6, $"sample {s} output {j}");
            int best = Array.IndexOf(expected, expected.Max());
            Assert.Equal(best, predictions[s]);
            Assert.Equal(best, model.Predict(sample));
        }
    }

    [Theory]
    [InlineData(13)]
    [InlineData(33)] // two sample chunks; the first layer's weight gradient computed by blocks of rows after both
    public void Mnist_shaped_network_gradients_match_finite_differences_on_a_sample_of_parameters(int batch)
    {
        // The real 784-300-10 shapes exercise the full-width kernels and their remainders; checking every
        // one of 238,510 parameters by finite differences would be slow, so check a spread of them.
        var model = new MnistNetwork(seed: 2, maxBatchSize: Math.Max(16, batch));
        float[] inputs = RandomInputs(batch * MnistNetwork.InputCount, seed: 21, scale: 0.5f);
        int[] labels = Enumerable.Range(0, batch).Select(i => i % 10).ToArray();
        var reference = new ReferenceNetwork(model, softmaxCrossEntropy: true, ReferenceNetwork.Relu, ReferenceNetwork.Identity);

        model.ComputeGradients(inputs, labels);

        var pick = new SeededRandom(77);
        foreach (Parameter parameter in model.Parameters)
        {
            for (int trial = 0; trial < 12; trial++)
            {
                int index = pick.NextInt(parameter.Length);
                const double step = 1e-5;
                double Perturbed(double delta) => reference.Loss(inputs, labels, Array.Empty<float>(),
                    (q, k) => ReferenceEquals(q, parameter) && k == index ? q.Value[k] + delta : q.Value[k]);
                double numerical = (Perturbed(step) - Perturbed(-step)) / (2 * step);
                AssertClose(numerical, parameter.Gradient[index], 5e-3, 5e-6, $"{parameter.Name}[{index}]");
            }
        }
    }
}
