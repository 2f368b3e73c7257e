using System;
using System.Collections.Generic;
using SourceNet.Generator.Differentiable.Model;

namespace SourceNet.Generator.Differentiable;

/// <summary>
/// A slow, obviously-correct evaluator of the IR and of its <see cref="GradientProgram"/>, in <c>double</c>.
/// Tests run it against finite differences to check the differentiation rules without compiling anything.
/// Scalar inputs are one-element arrays; span inputs are arrays of any length.
/// </summary>
internal static class IrInterpreter
{
    /// <summary>The method's value at <paramref name="inputs"/>.</summary>
    public static double Evaluate(DifferentiableMethodSpec method, IReadOnlyList<double[]> inputs) =>
        Forward(method, inputs)[method.Result];

    /// <summary>The value and, per parameter, the gradient (one element per span element).</summary>
    public static (double Value, double[][] Gradient) Gradient(DifferentiableMethodSpec method, IReadOnlyList<double[]> inputs)
    {
        double[] values = Forward(method, inputs);
        GradientProgram program = ReverseMode.Differentiate(method);

        double[] adjoint = new double[method.Nodes.Count];
        double[][] gradient = new double[method.Parameters.Count][];
        for (int p = 0; p < gradient.Length; p++)
        {
            gradient[p] = new double[inputs[p].Length];
        }
        adjoint[method.Result] = 1;
        if (method.Nodes[method.Result].Op == OpKind.Parameter)
        {
            gradient[(int)method.Nodes[method.Result].Value][0] = 1;
        }

        foreach (AdjointStep step in program.Steps)
        {
            IrNode target = method.Nodes[step.To];
            if (target.Op == OpKind.SpanParameter)
            {
                double[] g = gradient[(int)target.Value];
                for (int i = 0; i < g.Length; i++)
                {
                    if (step.Element < 0 || step.Element == i)
                    {
                        g[i] += adjoint[step.From] * Term(step.Partial, method, inputs, values, i);
                    }
                }
                continue;
            }
            double contribution = adjoint[step.From] * Term(step.Partial, method, inputs, values, -1);
            adjoint[step.To] += contribution;
            if (target.Op == OpKind.Parameter)
            {
                gradient[(int)target.Value][0] += contribution;
            }
        }
        return (values[method.Result], gradient);
    }

    private static double[] Forward(DifferentiableMethodSpec method, IReadOnlyList<double[]> inputs)
    {
        double[] values = new double[method.Nodes.Count];
        for (int i = 0; i < values.Length; i++)
        {
            IrNode node = method.Nodes[i];
            values[i] = node.Op switch
            {
                OpKind.Parameter => inputs[(int)node.Value][0],
                OpKind.SpanParameter => double.NaN,
                OpKind.Constant => node.Value,
                OpKind.External => throw new NotSupportedException("The interpreter has no value for external '" + node.Text + "'."),
                OpKind.Call => throw new NotSupportedException("The interpreter does not follow calls."),
                OpKind.SpanSum => Reduce(Span(method, inputs, node.Args[0]), null, static (x, _) => x),
                OpKind.SpanSumOfSquares => Reduce(Span(method, inputs, node.Args[0]), null, static (x, _) => x * x),
                OpKind.SpanDot => Reduce(Span(method, inputs, node.Args[0]), Span(method, inputs, node.Args[1]), static (x, y) => x * y),
                OpKind.SpanLength => Span(method, inputs, node.Args[0]).Length,
                OpKind.SpanElement => Span(method, inputs, node.Args[0])[(int)node.Value],
                OpKind.SpanAverage => Reduce(Span(method, inputs, node.Args[0]), null, static (x, _) => x) / Span(method, inputs, node.Args[0]).Length,
                OpKind.SpanNorm => Math.Sqrt(Reduce(Span(method, inputs, node.Args[0]), null, static (x, _) => x * x)),
                OpKind.SpanDistance => Math.Sqrt(Reduce(Span(method, inputs, node.Args[0]), Span(method, inputs, node.Args[1]), static (x, y) => (x - y) * (x - y))),
                OpKind.SpanSumOfMagnitudes => Reduce(Span(method, inputs, node.Args[0]), null, static (x, _) => Math.Abs(x)),
                _ => Apply(node, values),
            };
        }
        return values;
    }

    private static double Apply(IrNode node, double[] values)
    {
        double[] args = new double[node.Args.Count];
        for (int a = 0; a < args.Length; a++)
        {
            args[a] = values[node.Args[a]];
        }
        return OpCatalog.Get(node.Op).Evaluate(args);
    }

    private static double[] Span(DifferentiableMethodSpec method, IReadOnlyList<double[]> inputs, int node) =>
        inputs[(int)method.Nodes[node].Value];

    private static double Reduce(double[] x, double[]? y, Func<double, double, double> term)
    {
        if (y is not null && y.Length != x.Length)
        {
            throw new ArgumentException("Spans differ in length.");
        }
        double sum = 0;
        for (int i = 0; i < x.Length; i++)
        {
            sum += term(x[i], y is null ? 0 : y[i]);
        }
        return sum;
    }

    private static double Term(Term term, DifferentiableMethodSpec method, IReadOnlyList<double[]> inputs, double[] values, int element) => term switch
    {
        ValueTerm v => values[v.Node],
        ConstantTerm c => c.Value,
        ElementTerm e => Span(method, inputs, e.Node)[element],
        LengthTerm l => Span(method, inputs, l.Node).Length,
        UnaryTerm u => TermMath.Apply(u.Function, Term(u.Operand, method, inputs, values, element)),
        BinaryTerm b => TermMath.Apply(b.Function, Term(b.Left, method, inputs, values, element), Term(b.Right, method, inputs, values, element)),
        SelectTerm s => TermMath.Compare(s.Comparison, Term(s.Left, method, inputs, values, element), Term(s.Right, method, inputs, values, element))
            ? Term(s.WhenTrue, method, inputs, values, element)
            : Term(s.WhenFalse, method, inputs, values, element),
        KernelDerivativeTerm k => KernelDerivative(method, values, k),
        _ => throw new NotSupportedException(term.GetType().Name),
    };

    /// <summary>
    /// A kernel's derivative is compiled runtime code the generator cannot run; the reference takes it by
    /// central differences of the operation's double rule instead, which also checks the kernel independently.
    /// </summary>
    private static double KernelDerivative(DifferentiableMethodSpec method, double[] values, KernelDerivativeTerm term)
    {
        Func<double[], double> f = OpCatalog.Get(method.Nodes[term.Node].Op).Evaluate;
        double z = values[term.Operand], h = 1e-6 * Math.Max(1, Math.Abs(z));
        return (f(new[] { z + h }) - f(new[] { z - h })) / (2 * h);
    }
}
