using SourceNet.Interop.Tests.Networks;

namespace SourceNet.Interop.Tests.PyTorch;

/// <summary>
/// A network trained in PyTorch (interop/pytorch_fixtures.py: nn.Linear(784, 300), ReLU, nn.Linear(300, 10)) loads
/// from its state_dict and computes the same logits in SourceNet; and a SourceNet network saves a state_dict the
/// same script loads back (run by hand: the script is not part of CI).
/// </summary>
public sealed class PyTorchFixtureTests
{
    private const int Samples = 100;

    private static float[] FixtureLogits()
    {
        var logits = new TestData.Tensors(("logits", Samples, 10));
        SafeTensors.Load(TestData.Fixture("mnist_mlp_logits.safetensors"), logits);
        return logits[0];
    }

    [Fact]
    public void A_PyTorch_state_dict_gives_PyTorchs_logits_in_the_generated_network()
    {
        var network = new MnistMlp(seed: 1);
        SafeTensors.Load(TestData.Fixture("mnist_mlp.safetensors"), network);
        float[] expected = FixtureLogits();
        ReadOnlySpan<float> images = TestData.Mnist.TestImages.AsSpan(0, Samples * 784);
        var logits = new float[Samples * 10];

        network.Forward(images, logits);

        for (int n = 0; n < Samples; n++)
        {
            ReadOnlySpan<float> mine = logits.AsSpan(n * 10, 10), theirs = expected.AsSpan(n * 10, 10);
            Assert.Equal(TestData.ArgMax(theirs), TestData.ArgMax(mine));
            for (int j = 0; j < 10; j++)
            {
                Assert.True(Math.Abs(mine[j] - theirs[j]) <= 1e-5f, $"image {n}, logit {j}: SourceNet {mine[j]}, PyTorch {theirs[j]}");
            }
        }
    }

    [Fact]
    public void A_PyTorch_weight_is_transposed_into_SourceNets_layout()
    {
        var network = new MnistMlp();
        SafeTensors.Load(TestData.Fixture("mnist_mlp.safetensors"), network);
        var raw = new TestData.Tensors(("hidden.weight", 300, 784), ("hidden.bias", 1, 300), ("output.weight", 10, 300), ("output.bias", 1, 10));
        SafeTensors.Load(TestData.Fixture("mnist_mlp.safetensors"), raw);
        DenseLayer hidden = network.Hidden;
        Assert.Same(hidden, network.Layers[0]);

        // PyTorch's hidden.weight is [out 300, in 784]; SourceNet's [in 784, out 300].
        for (int output = 0; output < 300; output += 7)
        {
            for (int input = 0; input < 784; input += 13)
            {
                Assert.Equal(raw[0][output * 784 + input], hidden.Weight.Value[input * 300 + output]);
            }
        }
        Assert.Equal(raw[1], hidden.Bias.Value);
    }

    /// <summary>
    /// Writes a SourceNet network's state_dict and its logits on the first 100 test images, for
    /// <c>/usr/bin/python3 interop/pytorch_fixtures.py check model.safetensors logits.safetensors</c>. The folder is
    /// SOURCENET_INTEROP_OUT when set (to run the script on), else a temporary one.
    /// </summary>
    [Fact]
    public void Writes_a_state_dict_for_PyTorch()
    {
        string? folder = Environment.GetEnvironmentVariable("SOURCENET_INTEROP_OUT");
        using var temp = new TempDirectory();
        folder ??= temp.Path;
        Directory.CreateDirectory(folder);
        var network = new MnistMlp(seed: 11);
        var logits = new float[Samples * 10];
        network.Forward(TestData.Mnist.TestImages.AsSpan(0, Samples * 784), logits);
        var tensor = new TestData.Tensors(("logits", Samples, 10));
        logits.CopyTo(tensor[0], 0);

        SafeTensors.Save(Path.Combine(folder, "sourcenet_mlp.safetensors"), network);
        SafeTensors.Save(Path.Combine(folder, "sourcenet_mlp_logits.safetensors"), tensor);

        var reloaded = new MnistMlp(seed: 12);
        SafeTensors.Load(Path.Combine(folder, "sourcenet_mlp.safetensors"), reloaded);
        Assert.Equal(network.Parameters.Select(p => p.Value), reloaded.Parameters.Select(p => p.Value));
    }
}
