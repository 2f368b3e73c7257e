namespace SourceNet.Samples.MnistLstm;

/// <summary>
/// MNIST read row by row: each image is a sequence of 28 steps of 28 pixels (the same 784 values, top row first), an
/// LSTM of 128 units reads it, and one dense layer turns its last hidden state into the 10 logits. The LSTM starts as
/// PyTorch's <c>nn.LSTM</c> does (every tensor from U(−1/√128, 1/√128)), plus 1 on the forget gate's bias.
/// </summary>
[Network(InputSequence = new[] { 28, 28 }, Loss = Loss.SoftmaxCrossEntropy)]
public sealed partial class MnistLstm
{
    // (28, 28) -> (128): the state after the last row. The forget gate's bias starts 1 higher (Keras's default), so
    // the state survives the 28 steps from the start.
    [Lstm(128, ForgetBias = 1f)] public partial LstmLayer Rows { get; }

    // (128) -> 10 logits.
    [Dense(10, WeightStdDev = 0.05f, BiasStdDev = 0f)] public partial DenseLayer Output { get; }
}
