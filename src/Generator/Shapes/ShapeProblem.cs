using System.Collections.Generic;
using SourceNet.Generator.Helpers;

namespace SourceNet.Generator.Shapes;

/// <summary>A shape or wiring mistake, with what to point at and the message arguments.</summary>
/// <param name="DescriptorId">The diagnostic's id.</param>
/// <param name="LayerIndex">The layer, or -1 for the network's own arguments.</param>
/// <param name="Argument">The attribute argument to point at (<c>units</c>, <c>Input</c>); null for the whole attribute.</param>
/// <param name="Arguments">The message arguments.</param>
internal sealed record ShapeProblem(string DescriptorId, int LayerIndex, string? Argument, EquatableArray<string> Arguments);

/// <summary>Collects the problems of one layer (or of the network), so a kind reports without knowing its index.</summary>
internal sealed class ProblemSink
{
    private readonly List<ShapeProblem> _problems;
    private readonly int _layerIndex;

    public ProblemSink(List<ShapeProblem> problems, int layerIndex)
    {
        _problems = problems;
        _layerIndex = layerIndex;
    }

    /// <summary>Reports <paramref name="descriptorId"/> on <paramref name="argument"/> (null: the whole attribute).</summary>
    public void Report(string descriptorId, string? argument, params string[] arguments) =>
        _problems.Add(new ShapeProblem(descriptorId, _layerIndex, argument, new EquatableArray<string>(arguments)));
}
