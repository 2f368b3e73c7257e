namespace SourceNet.Integration.Tests.Graphs;

/// <summary>
/// Generated backpropagation through time against central differences of <see cref="RecurrentReference"/> (double
/// precision, PyTorch's equations), every parameter element, at 3 steps, 5 inputs and 7 units; and the inference
/// forward pass value for value.
/// </summary>
public class RecurrentGradientTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Lstm_last_state(int batch)
    {
        var network = new LstmLastStateNet(seed: 3, maxBatchSize: 2);
        GraphGradientTests.CheckEveryGradient(network, (x, y) => network.ComputeGradients(x, y), batch, seed: 10 + batch);
    }

    [Fact]
    public void Lstm_last_state_with_blank_first_steps()
    {
        // Samples whose first inputs are zeros share those steps, which backpropagation through time carries once
        // (LstmStep.FindSharedSteps): two all blank, groups of 5, 4 and 2 rows at steps 0, 1 and 2.
        var network = new LstmLastStateNet(seed: 3, maxBatchSize: 6);
        GraphGradientTests.CheckEveryGradient(network, (x, y) => network.ComputeGradients(x, y), batch: 6, seed: 15,
            blankSteps: new[] { 2, 3, 0, 1, 3, 2 }, stepSize: 5);
    }

    [Fact]
    public void Lstm_sequences()
    {
        var network = new LstmSequencesNet(seed: 4, maxBatchSize: 2);
        GraphGradientTests.CheckEveryGradient(network, (x, y) => network.ComputeGradients(x, y), batch: 2, seed: 20);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Gru_last_state(int batch)
    {
        var network = new GruLastStateNet(seed: 5, maxBatchSize: 2);
        GraphGradientTests.CheckEveryGradient(network, (x, y) => network.ComputeGradients(x, y), batch, seed: 30 + batch);
    }

    [Fact]
    public void Gru_sequences()
    {
        var network = new GruSequencesNet(seed: 6, maxBatchSize: 2);
        GraphGradientTests.CheckEveryGradient(network, (x, y) => network.ComputeGradients(x, y), batch: 2, seed: 40);
    }

    [Fact]
    public void Stacked_lstm_with_dropout_between()
    {
        var network = new StackedLstmNet(seed: 7, maxBatchSize: 2);
        GraphGradientTests.CheckEveryGradient(network, (x, y) => network.ComputeGradients(x, y), batch: 2, seed: 50);
    }

    [Fact]
    public void Stacked_gru_with_dropout_between()
    {
        var network = new StackedGruNet(seed: 8, maxBatchSize: 2);
        GraphGradientTests.CheckEveryGradient(network, (x, y) => network.ComputeGradients(x, y), batch: 2, seed: 60);
    }

    [Fact]
    public void Inference_matches_the_reference_over_several_chunks()
    {
        var lstm = new StackedLstmNet(seed: 9, maxBatchSize: 2);
        GraphGradientTests.CheckInference(lstm, (x, y) => lstm.Forward(x, y), count: 5, seed: 70);
        var gru = new StackedGruNet(seed: 10, maxBatchSize: 2);
        GraphGradientTests.CheckInference(gru, (x, y) => gru.Forward(x, y), count: 5, seed: 80);
    }

    [Fact]
    public void Parameters_start_uniform_within_one_over_the_square_root_of_units_and_the_forget_bias_is_added()
    {
        var plain = new LstmLastStateNet(seed: 1);
        float bound = 1f / MathF.Sqrt(7);
        foreach (Parameter parameter in plain.Recurrent.Parameters)
        {
            Assert.All(parameter.Value, v => Assert.InRange(v, -bound, bound));
            Assert.True(parameter.Value.Max() > 0.6f * bound && parameter.Value.Min() < -0.6f * bound, $"{parameter.Name} spans the interval");
        }
        var biased = new LstmSequencesNet(seed: 1);
        Assert.All(biased.Recurrent.BiasIh.Value.AsSpan(7, 7).ToArray(), v => Assert.InRange(v, 1f - bound, 1f + bound));
        Assert.All(biased.Recurrent.BiasIh.Value.AsSpan(0, 7).ToArray(), v => Assert.InRange(v, -bound, bound));
    }
}
