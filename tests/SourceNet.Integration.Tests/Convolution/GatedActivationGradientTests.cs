namespace SourceNet.Integration.Tests.Convolution;

/// <summary>
/// Generated networks using GELU and SiLU against <see cref="LayerReference"/>, which computes both from PyTorch's
/// formulas in double: every parameter's gradient against central differences of its loss, and the forward pass.
/// </summary>
public class GatedActivationGradientTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    public void GELU_network_gradients_match_the_double_reference(int batch)
    {
        var network = new GeluMlp(seed: 11, maxBatchSize: 5);
        ConvolutionGradientTests.CheckEveryGradient(network, (x, y) => network.ComputeGradients(x, y), batch, seed: 70 + batch);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void SiLU_network_gradients_match_the_double_reference(int batch)
    {
        var network = new SiluCnn(seed: 12, maxBatchSize: 4);
        ConvolutionGradientTests.CheckEveryGradient(network, (x, y) => network.ComputeGradients(x, y), batch, seed: 80 + batch);
    }

    [Fact]
    public void Forward_of_both_matches_the_reference_in_chunks()
    {
        var gelu = new GeluMlp(seed: 3, maxBatchSize: 3);
        CheckForward(gelu, (x, y) => gelu.Forward(x, y));
        var silu = new SiluCnn(seed: 4, maxBatchSize: 3);
        CheckForward(silu, (x, y) => silu.Forward(x, y));
    }

    private static void CheckForward(INetwork network, Action<float[], float[]> forward)
    {
        const int count = 7; // chunks of 3, the last one short
        float[] inputs = ConvolutionGradientTests.RandomInputs(count * network.InputSize, 29);
        var outputs = new float[count * network.OutputSize];
        forward(inputs, outputs);
        var reference = new LayerReference(network);
        for (int s = 0; s < count; s++)
        {
            double[] expected = reference.Forward(inputs.AsSpan(s * network.InputSize, network.InputSize), s);
            for (int j = 0; j < expected.Length; j++)
            {
                double actual = outputs[s * network.OutputSize + j];
                Assert.True(Math.Abs(expected[j] - actual) <= 1e-6 + 1e-5 * Math.Abs(expected[j]), $"{network.GetType().Name} sample {s} logit {j}: reference {expected[j]:G9}, generated {actual:G9}");
            }
        }
    }
}
