using SourceNet.Generator.Helpers;

namespace SourceNet.Generator.Differentiable.Model;

/// <summary>The element type a differentiable method computes in.</summary>
internal enum ScalarType
{
    Float,
    Double,
}

/// <summary>One parameter of a differentiable method and the name of its gradient parameter.</summary>
/// <param name="Name">The parameter's name as written (with <c>@</c> if it is a keyword).</param>
/// <param name="GradientName"><c>"d" + PascalCase(Name)</c>.</param>
/// <param name="IsSpan">Whether it is a <c>ReadOnlySpan</c> (its gradient is then a <c>Span</c>).</param>
internal sealed record ParameterSpec(string Name, string GradientName, bool IsSpan);

/// <summary>A parsed <c>[Differentiable]</c> method: its signature and its body as IR.</summary>
/// <param name="Name">The method's name; the companion is <c>{Name}WithGradient</c>.</param>
/// <param name="Type">The element type of its parameters and result.</param>
/// <param name="Parameters">Its parameters, in order.</param>
/// <param name="Nodes">The body in SSA form; the first nodes are the parameters, in order.</param>
/// <param name="Result">Index of the node the method returns.</param>
internal sealed record DifferentiableMethodSpec(
    string Name,
    ScalarType Type,
    EquatableArray<ParameterSpec> Parameters,
    EquatableArray<IrNode> Nodes,
    int Result);

/// <summary>All differentiable methods of one partial type, emitted into one file.</summary>
/// <param name="HintName">The generated file's hint name.</param>
/// <param name="Namespace">The type's namespace, or empty for the global namespace.</param>
/// <param name="TypeHeaders">Declarations of the type and the types it is nested in, outermost first (<c>partial class C</c>).</param>
/// <param name="Methods">The methods, in source order.</param>
internal sealed record DifferentiableTypeSpec(
    string HintName,
    string Namespace,
    EquatableArray<string> TypeHeaders,
    EquatableArray<DifferentiableMethodSpec> Methods);
