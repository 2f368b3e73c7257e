namespace SourceNet.Integration.Tests.Network;

/// <summary>
/// Generic code drives generated networks through their interfaces alone (no adapter per class), and the regression
/// loss is what Keras' mse and PyTorch's MSELoss compute: the mean of the squared error over every output of every
/// sample, checked here against the network's own outputs squared and averaged by hand.
/// </summary>
public class GenericContractTests
{
    private static float[] Normal(int count, int seed, float scale = 1f)
    {
        var values = new float[count];
        new SeededRandom(seed).FillNormal(values, 0f, scale);
        return values;
    }

    /// <summary>What a harness generic over any float regressor would do: a loss, the gradients, and outputs.</summary>
    private static (float Loss, float GradientLoss, float[] Outputs) Probe<TNetwork>(TNetwork network, float[] inputs, float[] targets)
        where TNetwork : IRegressor
    {
        var outputs = new float[targets.Length];
        network.Forward(inputs, outputs);
        float loss = network.ComputeLoss(inputs, targets);
        float gradientLoss = network.ComputeGradients(inputs, targets);
        return (loss, gradientLoss, outputs);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void Regression_loss_is_the_mean_over_every_output_of_every_sample(int batch)
    {
        var model = new TinyRegressor(seed: 3, maxBatchSize: 4);
        float[] inputs = Normal(batch * TinyRegressor.InputCount, seed: 21);
        float[] targets = Normal(batch * TinyRegressor.OutputCount, seed: 22, scale: 0.5f);

        (float loss, float gradientLoss, float[] outputs) = Probe(model, inputs, targets);

        double sum = 0;
        for (int i = 0; i < outputs.Length; i++)
            sum += Math.Pow((double)outputs[i] - targets[i], 2);
        double mse = sum / (batch * TinyRegressor.OutputCount);
        Assert.Equal(mse, loss, 1e-6);
        Assert.Equal(mse, gradientLoss, 1e-6);
    }

    [Fact]
    public void Regression_output_gradient_is_two_differences_over_the_element_count()
    {
        // The last layer's bias gradient is dLoss/dOutput times the sigmoid's derivative, summed over the batch:
        // with MSE's 2(y - t)/(batch·outputs) it follows from the outputs alone.
        const int batch = 3;
        var model = new TinyRegressor(seed: 8, maxBatchSize: batch);
        float[] inputs = Normal(batch * TinyRegressor.InputCount, seed: 31);
        float[] targets = Normal(batch * TinyRegressor.OutputCount, seed: 32, scale: 0.5f);
        (_, _, float[] outputs) = Probe(model, inputs, targets);

        for (int j = 0; j < TinyRegressor.OutputCount; j++)
        {
            double expected = 0;
            for (int s = 0; s < batch; s++)
            {
                double y = outputs[s * TinyRegressor.OutputCount + j];
                expected += 2 * (y - targets[s * TinyRegressor.OutputCount + j]) / (batch * TinyRegressor.OutputCount) * y * (1 - y);
            }
            Assert.Equal(expected, model.Output.Bias.Gradient[j], 1e-6);
        }
    }

    [Fact]
    public void A_classifier_trains_and_predicts_through_its_interface()
    {
        var model = new TinyClassifier(seed: 2, maxBatchSize: 8);
        float[] inputs = Normal(8 * TinyClassifier.InputCount, seed: 41);
        int[] labels = [0, 1, 2, 0, 1, 2, 0, 1];
        float first = TrainGenerically(model, inputs, labels, steps: 1);
        float later = TrainGenerically(model, inputs, labels, steps: 60);

        Assert.True(later < first, $"the loss went from {first} to {later}");
        var outputs = new float[8 * TinyClassifier.OutputCount];
        ((INetwork<float>)model).Forward(inputs, outputs);
        var direct = new float[outputs.Length];
        model.Forward(inputs, direct);
        Assert.Equal(direct, outputs);
    }

    private static float TrainGenerically<TNetwork>(TNetwork network, float[] inputs, int[] labels, int steps)
        where TNetwork : IClassifier<float>
    {
        var sgd = new Sgd(0.2f);
        for (int i = 0; i < steps; i++)
            network.TrainStep(inputs, labels, sgd);
        return network.ComputeLoss(inputs, labels);
    }
}
