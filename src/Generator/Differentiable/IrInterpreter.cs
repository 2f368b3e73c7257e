using System;
using System.Collections.Generic;
using SourceNet.Generator.Differentiable.Model;

namespace SourceNet.Generator.Differentiable;

/// <summary>
/// The runtime activation kernels' rules at <c>double</c>, keyed by the kernel's <c>global::</c>-qualified type name.
/// The generator cannot run runtime code, so whoever runs the interpreter (the tests) supplies them, calling each
/// kernel's one generic rule through <c>IActivationMath&lt;double&gt;</c>: the interpreter then evaluates the very rule
/// the generated code and the network kernels use, written nowhere else.
/// </summary>
/// <param name="Forward">f(z).</param>
/// <param name="DerivativeFromOutput">f'(z) from y = f(z), for an output-derived kernel.</param>
/// <param name="DerivativeFromPreActivation">f'(z) from z, for a kernel whose derivative needs it.</param>
internal sealed record KernelRules(
    Func<string, double, double> Forward,
    Func<string, double, double> DerivativeFromOutput,
    Func<string, double, double> DerivativeFromPreActivation);

/// <summary>
/// A slow, obviously-correct evaluator of the IR and of its <see cref="GradientProgram"/>, in <c>double</c>.
/// Tests run it against finite differences to check the differentiation rules without compiling anything.
/// Scalar inputs are one-element arrays; span inputs are arrays of any length. A method that calls activation
/// kernels needs their <see cref="KernelRules"/>.
/// </summary>
internal static class IrInterpreter
{
    /// <summary>The method's value at <paramref name="inputs"/>.</summary>
    public static double Evaluate(DifferentiableMethodSpec method, IReadOnlyList<double[]> inputs, KernelRules? kernels = null) =>
        Forward(method, inputs, kernels)[method.Result];

    /// <summary>The value and, per parameter, the gradient (one element per span element).</summary>
    public static (double Value, double[][] Gradient) Gradient(DifferentiableMethodSpec method, IReadOnlyList<double[]> inputs, KernelRules? kernels = null)
    {
        double[] values = Forward(method, inputs, kernels);
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
                        g[i] += adjoint[step.From] * Term(step.Partial, method, inputs, values, i, kernels);
                    }
                }
                continue;
            }
            double contribution = adjoint[step.From] * Term(step.Partial, method, inputs, values, -1, kernels);
            adjoint[step.To] += contribution;
            if (target.Op == OpKind.Parameter)
            {
                gradient[(int)target.Value][0] += contribution;
            }
        }
        return (values[method.Result], gradient);
    }

    private static double[] Forward(DifferentiableMethodSpec method, IReadOnlyList<double[]> inputs, KernelRules? kernels)
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
                OpKind.ActivationFromOutput or OpKind.ActivationFromPreActivation => Rules(kernels).Forward(node.Text, values[node.Args[0]]),
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

    private static double Term(Term term, DifferentiableMethodSpec method, IReadOnlyList<double[]> inputs, double[] values, int element, KernelRules? kernels)
    {
        double Inner(Term inner) => Term(inner, method, inputs, values, element, kernels);
        return term switch
        {
            ValueTerm v => values[v.Node],
            ConstantTerm c => c.Value,
            ElementTerm e => Span(method, inputs, e.Node)[element],
            LengthTerm l => Span(method, inputs, l.Node).Length,
            UnaryTerm u => TermMath.Apply(u.Function, Inner(u.Operand)),
            BinaryTerm b => TermMath.Apply(b.Function, Inner(b.Left), Inner(b.Right)),
            SelectTerm s => TermMath.Compare(s.Comparison, Inner(s.Left), Inner(s.Right)) ? Inner(s.WhenTrue) : Inner(s.WhenFalse),
            KernelDerivativeTerm k => k.FromPreActivation
                ? Rules(kernels).DerivativeFromPreActivation(method.Nodes[k.Node].Text, values[k.Operand])
                : Rules(kernels).DerivativeFromOutput(method.Nodes[k.Node].Text, values[k.Node]),
            _ => throw new NotSupportedException(term.GetType().Name),
        };
    }

    private static KernelRules Rules(KernelRules? kernels) =>
        kernels ?? throw new NotSupportedException("The method calls an activation kernel: pass the kernels' rules to the interpreter.");
}
