using Microsoft.CodeAnalysis;
using SourceNet.Generator.Model;

namespace SourceNet.Generator.Parsing;

/// <summary>
/// A layer as the parser holds it: the spec, and where it is written, so that a problem found later (by shape
/// inference) is reported on the argument that caused it. The location never reaches the cached model.
/// </summary>
internal sealed record ParsedLayer(LayerSpec Spec, AttributeArguments Arguments, Location PropertyLocation)
{
    /// <summary>Where to report a problem about <paramref name="argument"/> (null: the layer's own source argument, else the attribute).</summary>
    public Location LocationOf(string? argument) => Arguments.LocationOf(argument ?? Spec.SourceArgument);
}
