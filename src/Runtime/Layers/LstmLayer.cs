using SourceNet.Export;

namespace SourceNet;

/// <summary>
/// A long short-term memory layer (<c>[Lstm(units)]</c>, PyTorch's <c>nn.LSTM</c> with one layer, <c>batch_first</c>):
/// four gate blocks in PyTorch's order i, f, g, o. The state (h, c) starts at zeros for every sample.
/// </summary>
public sealed class LstmLayer : RecurrentLayer
{
    /// <summary>Creates the layer's parameters, zero-filled.</summary>
    /// <param name="name">The layer's name.</param>
    /// <param name="steps">Steps of every sequence.</param>
    /// <param name="inputs">Features of each input step.</param>
    /// <param name="units">Size of the hidden and cell state.</param>
    /// <param name="returnSequences">Whether the output is every step's hidden state rather than the last.</param>
    public LstmLayer(string name, int steps, int inputs, int units, bool returnSequences)
        : base(name, steps, inputs, units, gates: 4, returnSequences)
    {
    }

    /// <inheritdoc/>
    protected override string DefaultDescription => ReturnSequences ? $"Lstm {Units}, sequences" : $"Lstm {Units}";

    /// <inheritdoc/>
    protected override string OnnxOperator => "LSTM";

    /// <summary>ONNX's LSTM gates are i, o, f, c; PyTorch's i, f, g, o.</summary>
    protected override int[] OnnxGateOrder => new[] { 0, 3, 1, 2 };
}
