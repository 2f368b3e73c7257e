namespace SourceNet.Runtime.Tests.Optimizers;

public class SgdTests
{
    [Theory]
    [InlineData(0f)]
    [InlineData(0.9f)]
    public void MatchesReference(float momentum)
    {
        const float lr = 0.05f;
        var sgd = new Sgd(lr, momentum);
        var parameter = new Parameter("W", 3, 37);
        var random = new Random(3);
        int n = parameter.Length;
        for (int i = 0; i < n; i++)
            parameter.Value[i] = (float)random.NextDouble();
        double[] w = parameter.Value.Select(x => (double)x).ToArray(), velocity = new double[n];
        for (int step = 0; step < 4; step++)
        {
            for (int i = 0; i < n; i++)
                parameter.Gradient[i] = (float)(random.NextDouble() - 0.5);
            sgd.Step(new[] { parameter });
            for (int i = 0; i < n; i++)
            {
                velocity[i] = momentum * velocity[i] + parameter.Gradient[i];
                w[i] -= lr * velocity[i];
            }
        }
        for (int i = 0; i < n; i++)
            Assert.True(Math.Abs(parameter.Value[i] - w[i]) <= 1e-6, $"momentum={momentum}: element {i} is {parameter.Value[i]}, expected {w[i]}");
    }

    [Fact]
    public void PlainSgdKeepsNoState()
    {
        var parameter = new Parameter("b", 1, 5);
        var plain = new Sgd(0.1f);
        var momentum = new Sgd(0.1f, 0.5f);
        plain.Step(new[] { parameter });
        momentum.Step(new[] { parameter });
        Assert.Empty(plain.SlotNames);
        Assert.Equal(["velocity"], momentum.SlotNames);
        Assert.True(momentum.TryGetSlot(parameter, 0, out ReadOnlySpan<float> velocity));
        Assert.Equal(5, velocity.Length);
    }

    [Fact]
    public void RejectsBadHyperparameters()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd(0f));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd(0.1f, 1f));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adam(beta2: 1f));
    }
}
