using System;
using System.Collections.Generic;
using SourceNet.Export;

namespace SourceNet;

/// <summary>
/// A lookup table from token ids to vectors: token ids (T) int become the sequence (T, <see cref="Dimension"/>), each
/// step the row of <see cref="Weight"/> [<see cref="Vocabulary"/>, <see cref="Dimension"/>] its id selects. PyTorch's
/// <c>nn.Embedding</c>, with the same <c>weight</c> layout. The maths lives in the generated network; this object owns
/// the named tensor.
/// </summary>
public sealed class EmbeddingLayer : Layer
{
    private readonly Parameter[] _parameters;

    /// <summary>Creates the table, zero-filled.</summary>
    /// <param name="name">The layer's name.</param>
    /// <param name="steps">Token ids per sample (T).</param>
    /// <param name="vocabulary">Distinct ids: rows of the table.</param>
    /// <param name="dimension">Floats per row.</param>
    public EmbeddingLayer(string name, int steps, int vocabulary, int dimension)
        : base(name, LayerShape.Tokens(steps), LayerShape.Sequence(steps, dimension))
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(vocabulary);
        Vocabulary = vocabulary;
        Dimension = dimension;
        Weight = new Parameter(name + ".Weight", vocabulary, dimension);
        _parameters = new[] { Weight };
    }

    /// <summary>Distinct token ids: ids run from 0 to <c>Vocabulary - 1</c>.</summary>
    public int Vocabulary { get; }

    /// <summary>Floats per token.</summary>
    public int Dimension { get; }

    /// <summary>The table, [vocabulary, dimension]: row i is the vector of token id i.</summary>
    public Parameter Weight { get; }

    /// <inheritdoc/>
    public override IReadOnlyList<Parameter> Parameters => _parameters;

    /// <inheritdoc/>
    protected override string DefaultDescription => "Embedding";

    /// <summary>
    /// <c>Gather</c> of the table's rows by the ids [N, T] (axis 0) gives [N, T, D]; a <c>Reshape</c> lays it out as
    /// every exported value is, [N, T·D], step-major (the same bytes).
    /// </summary>
    public override OpValue Lower(IOpGraph graph, IReadOnlyList<OpValue> inputs)
    {
        OpValue input = SingleInput(inputs);
        string table = graph.Floats(Name + ".weight", Weight.Value, Vocabulary, Dimension);
        string gathered = graph.Node("Gather", Name + "_gather", new[] { table, input.Name }, OpAttribute.Integer("axis", 0));
        string output = graph.Node("Reshape", Name, new[] { gathered, graph.Int64s(Name + "_shape", -1, OutputShape.Elements) });
        return new OpValue(output, OpLayout.Features, OutputShape);
    }
}
