using System;

namespace SourceNet;

/// <summary>
/// A long short-term memory layer over a sequence (PyTorch's <c>nn.LSTM</c>, one layer, one direction,
/// <c>batch_first</c>): for each step t, with gates in PyTorch's order i, f, g, o,
/// <c>i = σ(W_ii x + b_ii + W_hi h + b_hi)</c>, <c>f = σ(...)</c>, <c>g = tanh(...)</c>, <c>o = σ(...)</c>,
/// <c>c' = f ⊙ c + i ⊙ g</c>, <c>h' = o ⊙ tanh(c')</c>. It reads a sequence (steps, features): the network's
/// <c>InputSequence</c> or a recurrent layer with <see cref="ReturnSequences"/>. The state starts at zeros for every
/// sample, and every sequence has the length declared at compile time (there are no masks).
/// Put it on a <c>public partial LstmLayer Name { get; }</c> property.
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
public sealed class LstmAttribute : LayerAttribute
{
    /// <summary>Creates an LSTM layer with <paramref name="units"/> hidden units.</summary>
    /// <param name="units">Size of the hidden and cell state (PyTorch's <c>hidden_size</c>); must be positive.</param>
    public LstmAttribute(int units) => Units = units;

    /// <summary>Size of the hidden and cell state.</summary>
    public int Units { get; }

    /// <summary>
    /// False (the default): the output is the last step's hidden state, a vector (units). True: the hidden state of
    /// every step, a sequence (steps, units), which another recurrent layer can read.
    /// </summary>
    public bool ReturnSequences { get; set; }

    /// <summary>The default of <see cref="ForgetBias"/>: 0, as PyTorch (no extra forget-gate bias).</summary>
    public const float DefaultForgetBias = 0f;

    /// <summary>
    /// Added to the initial values of the forget gate's part of <c>bias_ih_l0</c> (after the uniform draw). PyTorch adds
    /// nothing (the default, 0); Keras's <c>unit_forget_bias</c> is 1, which helps the state survive early in training.
    /// </summary>
    public float ForgetBias { get; set; } = DefaultForgetBias;
}
