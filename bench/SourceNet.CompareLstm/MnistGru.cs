namespace SourceNet.Bench.CompareLstm;

/// <summary>
/// The benchmark's GRU twin of samples/MnistLstm (<c>--cell gru</c>): each image is 28 steps of 28 pixels, a GRU of
/// 128 units reads it, one dense layer turns its last hidden state into the 10 logits. PyTorch's side
/// (bench/peers/pytorch_lstm.py --cell gru) is <c>nn.GRU(28, 128)</c> and the same dense layer.
/// </summary>
[Network(InputSequence = new[] { 28, 28 }, Loss = Loss.SoftmaxCrossEntropy)]
public sealed partial class MnistGru
{
    // (28, 28) -> (128): the state after the last row.
    [Gru(128)] public partial GruLayer Rows { get; }

    // (128) -> 10 logits.
    [Dense(10, WeightStdDev = 0.05f, BiasStdDev = 0f)] public partial DenseLayer Output { get; }
}
