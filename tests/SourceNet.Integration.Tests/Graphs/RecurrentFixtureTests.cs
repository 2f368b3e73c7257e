using SourceNet.Interop;

namespace SourceNet.Integration.Tests.Graphs;

/// <summary>
/// LSTM and GRU against PyTorch (fixtures by interop/pytorch_rnn_fixtures.py): PyTorch's state_dict loads through
/// <see cref="SafeTensors"/> one to one and gives PyTorch's outputs; a saved file has the state_dict's names, shapes
/// and dtypes, and the same values.
/// </summary>
public class RecurrentFixtureTests
{
    [Fact]
    public void Lstm_last_state_matches_PyTorch() => Check(new LstmLastFixtureNet(seed: 1, maxBatchSize: 5), "lstm_last");

    [Fact]
    public void Lstm_sequences_match_PyTorch() => Check(new LstmSequencesFixtureNet(seed: 1, maxBatchSize: 5), "lstm_sequences");

    [Fact]
    public void Gru_last_state_matches_PyTorch() => Check(new GruLastFixtureNet(seed: 1, maxBatchSize: 5), "gru_last");

    [Fact]
    public void Gru_sequences_match_PyTorch() => Check(new GruSequencesFixtureNet(seed: 1, maxBatchSize: 5), "gru_sequences");

    private static void Check(INetwork network, string name)
    {
        string fixturePath = Path.Combine(Network.RepoPaths.Root, "tests", "SourceNet.Interop.Tests", "Fixtures", name + ".safetensors");
        SafeTensors.Load(fixturePath, network);
        FixtureTensors data = FixtureTensors.Load(name + "_data.safetensors");
        float[] x = data.Floats("x");
        float[] expected = data.Floats("output");
        int count = x.Length / network.InputSize;
        var outputs = new float[count * network.OutputSize];
        Forward(network, x, outputs);
        Assert.Equal(expected.Length, outputs.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - outputs[i]) <= 1e-5, $"{name}: output {i}: PyTorch {expected[i]:G9}, SourceNet {outputs[i]:G9}");
        }

        string saved = Path.Combine(Path.GetTempPath(), $"sourcenet-{name}-{Environment.ProcessId}.safetensors");
        try
        {
            SafeTensors.Save(saved, network);
            FixtureTensors pytorch = FixtureTensors.Load(name + ".safetensors");
            FixtureTensors ours = FixtureTensors.LoadFile(saved);
            Assert.Equal(pytorch.Names.Order(StringComparer.Ordinal), ours.Names.Order(StringComparer.Ordinal));
            foreach (string tensor in pytorch.Names)
            {
                Assert.Equal(pytorch.Shape(tensor), ours.Shape(tensor));
                Assert.Equal(pytorch.DType(tensor), ours.DType(tensor));
                Assert.Equal(pytorch.Floats(tensor), ours.Floats(tensor));
            }
        }
        finally
        {
            File.Delete(saved);
        }
    }

    private static void Forward(INetwork network, float[] x, float[] outputs)
    {
        switch (network)
        {
            case LstmLastFixtureNet n: n.Forward(x, outputs); break;
            case LstmSequencesFixtureNet n: n.Forward(x, outputs); break;
            case GruLastFixtureNet n: n.Forward(x, outputs); break;
            case GruSequencesFixtureNet n: n.Forward(x, outputs); break;
            default: throw new NotSupportedException(network.GetType().Name);
        }
    }
}
