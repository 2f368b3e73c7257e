using SourceNet.Generator.Tests.Harness;

namespace SourceNet.Generator.Tests;

/// <summary>The generated code of the recurrent sample, against its golden file (accept a change with SOURCENET_ACCEPT_SNAPSHOTS=1).</summary>
public class RecurrentSnapshotTests
{
    /// <summary>The row-by-row LSTM of samples/MnistLstm, as the sample declares it.</summary>
    public const string MnistLstm = """
        using SourceNet;

        namespace Samples;

        [Network(InputSequence = new[] { 28, 28 }, Loss = Loss.SoftmaxCrossEntropy)]
        public sealed partial class MnistLstm
        {
            [Lstm(128, ForgetBias = 1f)] public partial LstmLayer Rows { get; }
            [Dense(10, WeightStdDev = 0.05f, BiasStdDev = 0f)] public partial DenseLayer Output { get; }
        }
        """;

    [Fact]
    public void Lstm_sample_snapshot() =>
        Snapshot.Match(GeneratorHarness.RunClean(MnistLstm).Source("Samples.MnistLstm.g.cs"), "MnistLstm");
}
