using SourceNet.Interop.Tests.Networks;

namespace SourceNet.Interop.Tests.StateDictNames;

/// <summary>
/// A file named as PyTorch names <c>fc1</c>/<c>fc2</c> loads into layers declared with <c>Name = "fc1"</c>, and the
/// network then computes what the file's [out, in] matrices give by hand.
/// </summary>
public sealed class StateDictNameTests
{
    // PyTorch layout: nn.Linear(4, 3).weight is [3, 4], nn.Linear(3, 2).weight is [2, 3].
    internal static readonly float[] W1 = [0.1f, -0.2f, 0.3f, 0.4f, -0.5f, 0.6f, 0.7f, -0.8f, 0.9f, 1.0f, -1.1f, 0.2f];
    internal static readonly float[] B1 = [0.05f, -0.1f, 0.2f];
    internal static readonly float[] W2 = [0.3f, -0.6f, 0.9f, -0.2f, 0.5f, 0.8f];
    internal static readonly float[] B2 = [0.01f, -0.02f];

    internal static (string, int[], float[])[] Module() =>
        [("fc1.weight", [3, 4], W1), ("fc1.bias", [3], B1), ("fc2.weight", [2, 3], W2), ("fc2.bias", [2], B2)];

    [Fact]
    public void The_Name_argument_names_the_state_dict_tensors()
    {
        var network = new PyTorchNamedMlp();
        Assert.Equal(["fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"], network.Parameters.Select(p => p.StateDictName));
    }

    [Fact]
    public void A_file_named_as_PyTorch_names_it_loads_and_computes_the_modules_outputs()
    {
        using var temp = new TempDirectory();
        string path = temp.File("fc.safetensors");
        HandWrittenSafeTensors.Write(path, Module());
        var network = new PyTorchNamedMlp(seed: 3);

        SafeTensors.Load(path, network);

        float[] x = [0.5f, -1f, 2f, 0.25f];
        var y = new float[2];
        network.Forward(x, y);
        var h = new double[3];
        for (int o = 0; o < 3; o++)
        {
            double z = B1[o];
            for (int i = 0; i < 4; i++)
                z += (double)W1[o * 4 + i] * x[i];
            h[o] = Math.Max(0, z);
        }
        for (int o = 0; o < 2; o++)
        {
            double z = B2[o];
            for (int i = 0; i < 3; i++)
                z += W2[o * 3 + i] * h[i];
            Assert.Equal(z, y[o], 1e-5);
        }
    }
}
