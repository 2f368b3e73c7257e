using System;

namespace SourceNet;

/// <summary>
/// A gated recurrent unit layer over a sequence (PyTorch's <c>nn.GRU</c>, one layer, one direction,
/// <c>batch_first</c>): for each step, with gates in PyTorch's order r, z, n,
/// <c>r = σ(W_ir x + b_ir + W_hr h + b_hr)</c>, <c>z = σ(W_iz x + b_iz + W_hz h + b_hz)</c>,
/// <c>n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))</c>, <c>h' = (1 − z) ⊙ n + z ⊙ h</c>. It reads a sequence
/// (steps, features). The state starts at zeros for every sample, and every sequence has the length declared at
/// compile time (there are no masks). Put it on a <c>public partial GruLayer Name { get; }</c> property.
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
public sealed class GruAttribute : LayerAttribute
{
    /// <summary>Creates a GRU layer with <paramref name="units"/> hidden units.</summary>
    /// <param name="units">Size of the hidden state (PyTorch's <c>hidden_size</c>); must be positive.</param>
    public GruAttribute(int units) => Units = units;

    /// <summary>Size of the hidden state.</summary>
    public int Units { get; }

    /// <summary>
    /// False (the default): the output is the last step's hidden state, a vector (units). True: the hidden state of
    /// every step, a sequence (steps, units), which another recurrent layer can read.
    /// </summary>
    public bool ReturnSequences { get; set; }
}
