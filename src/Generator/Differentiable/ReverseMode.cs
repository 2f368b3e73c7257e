using System.Collections.Generic;
using SourceNet.Generator.Differentiable.Model;
using SourceNet.Generator.Helpers;

namespace SourceNet.Generator.Differentiable;

/// <summary>One contribution of the backward pass: <c>adjoint[To] += adjoint[From] * Partial</c>.</summary>
/// <param name="From">The node whose adjoint flows back.</param>
/// <param name="To">The operand receiving it.</param>
/// <param name="Partial">∂From/∂To, over forward values (element-wise when <c>To</c> is a span).</param>
/// <param name="Element">For a span <c>To</c>, the one element receiving it (<c>x[k]</c>), or -1 for every element.</param>
internal sealed record AdjointStep(int From, int To, Term Partial, int Element = -1);

/// <summary>The backward pass: for each node, latest first, the contributions it sends to its operands.</summary>
/// <param name="Steps">Grouped by <see cref="AdjointStep.From"/>, in reverse evaluation order.</param>
/// <param name="Active">Per node, whether it depends on a parameter (only those carry adjoints).</param>
internal sealed record GradientProgram(EquatableArray<AdjointStep> Steps, EquatableArray<bool> Active);

/// <summary>
/// Reverse-mode differentiation as a pure function over the IR. Because every node's operands precede it,
/// walking the list backwards visits a node only after every use of it has added its contribution, so each
/// adjoint is complete when it is read: one backward sweep gives the gradient with respect to every input.
/// </summary>
internal static class ReverseMode
{
    public static GradientProgram Differentiate(DifferentiableMethodSpec method)
    {
        EquatableArray<IrNode> nodes = method.Nodes;

        // Activity analysis: constants and externals never need an adjoint, nor does anything built only from them.
        bool[] active = new bool[nodes.Count];
        for (int i = 0; i < nodes.Count; i++)
        {
            IrNode node = nodes[i];
            if (node.Op is OpKind.Parameter or OpKind.SpanParameter)
            {
                active[i] = true;
            }
            else if (!OpCatalog.IsLeaf(node.Op) && OpCatalog.Get(node.Op).Partial is not null)
            {
                foreach (int arg in node.Args)
                {
                    active[i] |= active[arg];
                }
            }
        }

        var steps = new List<AdjointStep>();
        if (active[method.Result])
        {
            // Only nodes the seed reaches carry an adjoint.
            bool[] reached = new bool[nodes.Count];
            reached[method.Result] = true;
            for (int i = nodes.Count - 1; i >= 0; i--)
            {
                IrNode node = nodes[i];
                if (!reached[i] || OpCatalog.IsLeaf(node.Op))
                {
                    continue;
                }
                OpCatalog.PartialRule? partial = OpCatalog.Get(node.Op).Partial;
                if (partial is null)
                {
                    continue;
                }
                for (int k = 0; k < node.Args.Count; k++)
                {
                    int arg = node.Args[k];
                    if (active[arg])
                    {
                        int element = node.Op == OpKind.SpanElement ? (int)node.Value : -1;
                        steps.Add(new AdjointStep(i, arg, partial(i, node.Args, k), element));
                        reached[arg] = true;
                    }
                }
            }
        }

        return new GradientProgram(steps.ToEquatableArray(), new EquatableArray<bool>(active));
    }
}
