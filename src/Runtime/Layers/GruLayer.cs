using SourceNet.Export;

namespace SourceNet;

/// <summary>
/// A gated recurrent unit layer (<c>[Gru(units)]</c>, PyTorch's <c>nn.GRU</c> with one layer, <c>batch_first</c>):
/// three gate blocks in PyTorch's order r, z, n, the reset gate applied after the hidden product
/// (<c>n = tanh(W_in x + b_in + r·(W_hn h + b_hn))</c>). The state starts at zeros for every sample.
/// </summary>
public sealed class GruLayer : RecurrentLayer
{
    /// <summary>Creates the layer's parameters, zero-filled.</summary>
    /// <param name="name">The layer's name.</param>
    /// <param name="steps">Steps of every sequence.</param>
    /// <param name="inputs">Features of each input step.</param>
    /// <param name="units">Size of the hidden state.</param>
    /// <param name="returnSequences">Whether the output is every step's hidden state rather than the last.</param>
    public GruLayer(string name, int steps, int inputs, int units, bool returnSequences)
        : base(name, steps, inputs, units, gates: 3, returnSequences)
    {
    }

    /// <inheritdoc/>
    protected override string DefaultDescription => ReturnSequences ? $"Gru {Units}, sequences" : $"Gru {Units}";

    /// <inheritdoc/>
    protected override string OnnxOperator => "GRU";

    /// <summary>ONNX's GRU gates are z, r, h; PyTorch's r, z, n.</summary>
    protected override int[] OnnxGateOrder => new[] { 1, 0, 2 };

    /// <summary>PyTorch applies the reset gate after the hidden product: ONNX's <c>linear_before_reset = 1</c>.</summary>
    protected override OpAttribute[] OnnxAttributes => new[] { OpAttribute.Integer("linear_before_reset", 1) };
}
