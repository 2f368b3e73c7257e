namespace SourceNet.Integration.Tests.Graphs;

// Recurrent networks at odd sizes (3 steps of 5 features, 7 units), compiled by the real generator.

/// <summary>An LSTM's last state into the logits.</summary>
[Network(InputSequence = new[] { 3, 5 })]
public sealed partial class LstmLastStateNet
{
    [Lstm(7)] public partial LstmLayer Recurrent { get; }
    [Dense(4, WeightStdDev = 0.5f)] public partial DenseLayer Logits { get; }
}

/// <summary>Every step of an LSTM, flattened into the logits (the ForgetBias path too).</summary>
[Network(InputSequence = new[] { 3, 5 })]
public sealed partial class LstmSequencesNet
{
    [Lstm(7, ReturnSequences = true, ForgetBias = 1f)] public partial LstmLayer Recurrent { get; }
    [Flatten] public partial FlattenLayer Steps { get; }
    [Dense(4, WeightStdDev = 0.5f)] public partial DenseLayer Logits { get; }
}

/// <summary>A GRU's last state into the logits.</summary>
[Network(InputSequence = new[] { 3, 5 })]
public sealed partial class GruLastStateNet
{
    [Gru(7)] public partial GruLayer Recurrent { get; }
    [Dense(4, WeightStdDev = 0.5f)] public partial DenseLayer Logits { get; }
}

/// <summary>Every step of a GRU, flattened into the logits.</summary>
[Network(InputSequence = new[] { 3, 5 })]
public sealed partial class GruSequencesNet
{
    [Gru(7, ReturnSequences = true)] public partial GruLayer Recurrent { get; }
    [Flatten] public partial FlattenLayer Steps { get; }
    [Dense(4, WeightStdDev = 0.5f)] public partial DenseLayer Logits { get; }
}

/// <summary>Two LSTMs stacked with dropout between them: the lower one's input gradient goes through the upper one.</summary>
[Network(InputSequence = new[] { 3, 5 })]
public sealed partial class StackedLstmNet
{
    [Lstm(7, ReturnSequences = true)] public partial LstmLayer Lower { get; }
    [Dropout(0.25f)] public partial DropoutLayer Drop { get; }
    [Lstm(6)] public partial LstmLayer Upper { get; }
    [Dense(4, WeightStdDev = 0.5f)] public partial DenseLayer Logits { get; }
}

/// <summary>Two GRUs stacked with dropout between them.</summary>
[Network(InputSequence = new[] { 3, 5 })]
public sealed partial class StackedGruNet
{
    [Gru(7, ReturnSequences = true)] public partial GruLayer Lower { get; }
    [Dropout(0.25f)] public partial DropoutLayer Drop { get; }
    [Gru(5)] public partial GruLayer Upper { get; }
    [Dense(4, WeightStdDev = 0.5f)] public partial DenseLayer Logits { get; }
}
