using SourceNet.Interop;
using SourceNet.Integration.Tests.Graphs;

namespace SourceNet.Integration.Tests.Sequences;

/// <summary>
/// nn.Embedding and an nn.Linear applied per step, against PyTorch (fixtures by interop/pytorch_embedding_fixtures.py):
/// the state_dict loads through the runtime's safetensors reader, and the logits, the per-step loss and every gradient
/// are PyTorch's; the state_dict SourceNet writes is PyTorch's names and layouts.
/// </summary>
public class EmbeddingFixtureTests
{
    private static void AssertAllClose(float[] expected, float[] actual, float tolerance, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance, $"{what}[{i}]: PyTorch {expected[i]:G9}, SourceNet {actual[i]:G9}");
    }

    private static string Fixture(string name) => Path.Combine(Network.RepoPaths.Root, "tests", "SourceNet.Interop.Tests", "Fixtures", name);

    [Fact]
    public void PyTorchs_state_dict_gives_its_logits_loss_and_gradients()
    {
        var network = new EmbeddingFixtureLm(seed: 1, maxBatchSize: 4);
        SafeTensors.Load(Fixture("embedding_lm.safetensors"), network);
        FixtureTensors io = FixtureTensors.Load("embedding_lm_io.safetensors");
        int[] tokens = io.Longs("tokens").Select(t => (int)t).ToArray();
        int[] labels = io.Longs("labels").Select(t => (int)t).ToArray();

        var logits = new float[4 * EmbeddingFixtureLm.OutputCount];
        network.Forward(tokens, logits);
        AssertAllClose(io.Floats("logits"), logits, 1e-5f, "logits");

        float loss = network.ComputeGradients(tokens, labels);
        Assert.True(Math.Abs(io.Floats("loss")[0] - loss) <= 1e-6f, $"loss: PyTorch {io.Floats("loss")[0]}, SourceNet {loss}");
        AssertAllClose(io.Floats("grad.embed.weight"), network.Embed.Weight.Gradient, 1e-6f, "embed.weight gradient");
        // PyTorch's Linear gradient is [out, in]; SourceNet's weight is [in, out].
        float[] linear = io.Floats("grad.logits.weight");
        var transposed = new float[linear.Length];
        for (int o = 0; o < 7; o++)
            for (int i = 0; i < 5; i++)
                transposed[i * 7 + o] = linear[o * 5 + i];
        AssertAllClose(transposed, network.Logits.Weight.Gradient, 1e-6f, "logits.weight gradient");
        AssertAllClose(io.Floats("grad.logits.bias"), network.Logits.Bias.Gradient, 1e-6f, "logits.bias gradient");
        // Id 10 never occurs: its row has no gradient, in PyTorch as here.
        Assert.All(network.Embed.Weight.Gradient.AsSpan(50, 5).ToArray(), g => Assert.Equal(0f, g));
    }

    [Fact]
    public void The_state_dict_SourceNet_writes_is_PyTorchs_names_and_layouts()
    {
        var network = new EmbeddingFixtureLm(seed: 5, maxBatchSize: 2);
        string path = Path.Combine(Path.GetTempPath(), $"sourcenet-embedding-{Guid.NewGuid():N}.safetensors");
        try
        {
            SafeTensors.Save(path, network);
            FixtureTensors written = FixtureTensorsAt(path);
            Assert.Equal(new[] { 11, 5 }, written.Shape("embed.weight"));
            Assert.Equal(network.Embed.Weight.Value, written.Floats("embed.weight"));
            Assert.Equal(new[] { 7, 5 }, written.Shape("logits.weight"));
            float[] weight = written.Floats("logits.weight");
            for (int o = 0; o < 7; o++)
                for (int i = 0; i < 5; i++)
                    Assert.Equal(network.Logits.Weight.Value[i * 7 + o], weight[o * 5 + i]);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void The_table_starts_as_PyTorchs_N_0_1()
    {
        float[] table = new WideTokenLm(seed: 3).Embed.Weight.Value;
        double mean = table.Average(v => (double)v);
        double variance = table.Average(v => (v - mean) * (v - mean));
        // 29 x 24 = 696 draws: the mean within 4 standard errors of 0, the variance within 20% of 1.
        Assert.InRange(mean, -4 / Math.Sqrt(table.Length), 4 / Math.Sqrt(table.Length));
        Assert.InRange(variance, 0.8, 1.2);
    }

    private static FixtureTensors FixtureTensorsAt(string path) =>
        FixtureTensors.Load(Path.GetRelativePath(Path.Combine(Network.RepoPaths.Root, "tests", "SourceNet.Interop.Tests", "Fixtures"), path));
}
