namespace SourceNet.Integration.Tests.Graphs;

// The networks of interop/pytorch_rnn_fixtures.py: property names give PyTorch's state_dict names (Lstm -> lstm.*).

/// <summary>nn.LSTM(5, 7), the last step's h, nn.Linear(7, 4).</summary>
[Network(InputSequence = new[] { 3, 5 })]
public sealed partial class LstmLastFixtureNet
{
    [Lstm(7)] public partial LstmLayer Lstm { get; }
    [Dense(4)] public partial DenseLayer Logits { get; }
}

/// <summary>nn.LSTM(5, 7), every step's h flattened.</summary>
[Network(InputSequence = new[] { 3, 5 }, Loss = Loss.MeanSquaredError)]
public sealed partial class LstmSequencesFixtureNet
{
    [Lstm(7, ReturnSequences = true)] public partial LstmLayer Lstm { get; }
    [Flatten] public partial FlattenLayer Steps { get; }
}

/// <summary>nn.GRU(5, 7), the last step's h, nn.Linear(7, 4).</summary>
[Network(InputSequence = new[] { 3, 5 })]
public sealed partial class GruLastFixtureNet
{
    [Gru(7)] public partial GruLayer Gru { get; }
    [Dense(4)] public partial DenseLayer Logits { get; }
}

/// <summary>nn.GRU(5, 7), every step's h flattened.</summary>
[Network(InputSequence = new[] { 3, 5 }, Loss = Loss.MeanSquaredError)]
public sealed partial class GruSequencesFixtureNet
{
    [Gru(7, ReturnSequences = true)] public partial GruLayer Gru { get; }
    [Flatten] public partial FlattenLayer Steps { get; }
}
