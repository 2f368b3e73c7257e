using SourceNet.Generator.Helpers;

namespace SourceNet.Generator.Differentiable.Model;

/// <summary>
/// One value of a differentiable method in SSA form. Nodes are kept in a list in evaluation order and refer
/// to their operands by index, so a sub-expression used twice is one node computed once.
/// </summary>
/// <param name="Op">What the node computes.</param>
/// <param name="Args">Indices of the operand nodes, all smaller than this node's index.</param>
/// <param name="Value">The constant of a <see cref="OpKind.Constant"/>, the index of a parameter.</param>
/// <param name="Text">A parameter's name, an external's C# text, a call's companion, or the math class a call named.</param>
/// <param name="Label">Where the value came from in the user's code (<c>d = b + c</c>), for comments.</param>
internal sealed record IrNode(OpKind Op, EquatableArray<int> Args, double Value, string Text, string Label)
{
    public static IrNode Leaf(OpKind op, double value, string text, string label) =>
        new(op, EquatableArray<int>.Empty, value, text, label);
}
