using SourceNet.Generator.Helpers;

namespace SourceNet.Generator.Layers;

/// <summary>
/// One trainable tensor of a layer, as its kind declares it: stored as a [Rows, Columns] matrix, drawn
/// from N(0, StdDev²), and named and laid out as PyTorch's <c>state_dict</c> has it for the same layer.
/// </summary>
/// <param name="Member">The runtime layer's property (<c>Weight</c>, <c>Bias</c>).</param>
/// <param name="Rows">Rows of the stored matrix (1 for a vector).</param>
/// <param name="Columns">Columns of the stored matrix.</param>
/// <param name="StdDev">Standard deviation of the initial values.</param>
/// <param name="StateDictName">The name in PyTorch's <c>state_dict</c> (<c>hidden.weight</c>).</param>
/// <param name="StorageShape">The stored values as an n-d array (empty: [Rows, Columns] as stored).</param>
/// <param name="StateDictAxes">The permutation from the storage axes to PyTorch's (empty: none).</param>
internal sealed record ParameterSpec(
    string Member,
    int Rows,
    int Columns,
    float StdDev,
    string StateDictName,
    EquatableArray<int> StorageShape,
    EquatableArray<int> StateDictAxes)
{
    public long Length => (long)Rows * Columns;

    /// <summary>When set, every value starts at this constant (BatchNorm's γ at 1) and nothing is drawn from the generator.</summary>
    public float? Constant { get; init; }

    /// <summary>When set, the values are drawn from U(−bound, bound) instead of N(0, StdDev²) (PyTorch's recurrent layers).</summary>
    public float? UniformBound { get; init; }

    /// <summary>The shape as text: <c>[784, 300]</c>, or <c>[300]</c> for a vector.</summary>
    public string ShapeText => Rows == 1 ? $"[{Columns}]" : $"[{Rows}, {Columns}]";
}
