using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using SourceNet.Generator.Differentiable.Model;
using SourceNet.Generator.Helpers;

namespace SourceNet.Generator.Differentiable;

/// <summary>
/// Builds the SSA node list of a differentiable method. Identical operations on identical operands are
/// looked up instead of added (hash-consing), so a shared sub-expression is computed once; nodes the result
/// does not depend on are dropped by <see cref="Build"/>. Pure: no Roslyn types.
/// </summary>
internal sealed class IrBuilder
{
    private readonly List<IrNode> _nodes = [];
    private readonly List<ParameterSpec> _parameters = [];
    private readonly Dictionary<string, int> _lookup = new(StringComparer.Ordinal);

    public int Count => _nodes.Count;

    public IrNode this[int index] => _nodes[index];

    /// <summary>Adds a scalar (or span) parameter; parameters must come before every other node.</summary>
    public int Parameter(string name, bool isSpan = false)
    {
        if (_parameters.Count != _nodes.Count)
        {
            throw new InvalidOperationException("Parameters must be added first.");
        }
        _parameters.Add(new ParameterSpec(name, GradientName(name), isSpan));
        _nodes.Add(IrNode.Leaf(isSpan ? OpKind.SpanParameter : OpKind.Parameter, _parameters.Count - 1, name, name));
        return _nodes.Count - 1;
    }

    public int Constant(double value) =>
        Intern(IrNode.Leaf(OpKind.Constant, value, string.Empty, value.ToString("R", CultureInfo.InvariantCulture)));

    public int External(string text, string label) => Intern(IrNode.Leaf(OpKind.External, 0, text, label));

    /// <summary>Adds (or finds) <paramref name="op"/> applied to <paramref name="args"/>.</summary>
    /// <param name="text">For <see cref="OpKind.Call"/>, the companion's name; for math, the math class when it differs from the element type's.</param>
    public int Op(OpKind op, string label, string text, params int[] args)
    {
        if (OpCatalog.Get(op).IsCommutative && args.Length == 2 && args[0] > args[1])
        {
            args = [args[1], args[0]];
        }
        return Intern(new IrNode(op, new EquatableArray<int>(args), 0, text, label));
    }

    public int Op(OpKind op, string label, params int[] args) => Op(op, label, string.Empty, args);

    /// <summary>Adds (or finds) element <paramref name="index"/> of the span parameter <paramref name="span"/>.</summary>
    public int Element(int span, int index, string label) =>
        Intern(new IrNode(OpKind.SpanElement, new EquatableArray<int>(new[] { span }), index, string.Empty, label));

    /// <summary>Records that <paramref name="node"/> was bound to a local, so comments can say <c>d = b + c</c>.</summary>
    public void Name(int node, string label)
    {
        IrNode current = _nodes[node];
        if (!OpCatalog.IsLeaf(current.Op) && current.Label.IndexOf('=') < 0)
        {
            _nodes[node] = current with { Label = label };
        }
    }

    private int Intern(IrNode node)
    {
        string key = Key(node);
        if (_lookup.TryGetValue(key, out int existing))
        {
            return existing;
        }
        _nodes.Add(node);
        _lookup.Add(key, _nodes.Count - 1);
        return _nodes.Count - 1;
    }

    private static string Key(IrNode node)
    {
        var key = new StringBuilder();
        key.Append((int)node.Op).Append('|').Append(node.Value.ToString("R", CultureInfo.InvariantCulture)).Append('|').Append(node.Text);
        foreach (int arg in node.Args)
        {
            key.Append('|').Append(arg);
        }
        return key.ToString();
    }

    /// <summary>The method: parameters first, then only the nodes <paramref name="result"/> depends on, in order.</summary>
    public DifferentiableMethodSpec Build(string name, ScalarType type, int result)
    {
        bool[] live = new bool[_nodes.Count];
        live[result] = true;
        for (int i = _nodes.Count - 1; i >= 0; i--)
        {
            if (live[i] || i < _parameters.Count)
            {
                live[i] = true;
                foreach (int arg in _nodes[i].Args)
                {
                    live[arg] = true;
                }
            }
        }

        int[] renumber = new int[_nodes.Count];
        var kept = new List<IrNode>();
        for (int i = 0; i < _nodes.Count; i++)
        {
            if (!live[i])
            {
                continue;
            }
            IrNode node = _nodes[i];
            int[] args = new int[node.Args.Count];
            for (int a = 0; a < args.Length; a++)
            {
                args[a] = renumber[node.Args[a]];
            }
            renumber[i] = kept.Count;
            kept.Add(node with { Args = new EquatableArray<int>(args) });
        }

        return new DifferentiableMethodSpec(name, type, _parameters.ToEquatableArray(), kept.ToEquatableArray(), renumber[result]);
    }

    /// <summary><c>"d" + PascalCase(name)</c>: <c>b</c> → <c>dB</c>, <c>weight</c> → <c>dWeight</c>, <c>@in</c> → <c>dIn</c>.</summary>
    public static string GradientName(string name)
    {
        string bare = name.TrimStart('@');
        if (bare.Length == 0)
        {
            return "d";
        }
        return "d" + char.ToUpperInvariant(bare[0]) + bare.Substring(1);
    }
}
