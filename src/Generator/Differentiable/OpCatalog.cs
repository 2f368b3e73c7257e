using System;
using System.Collections.Generic;
using SourceNet.Generator.Differentiable.Model;
using SourceNet.Generator.Helpers;

namespace SourceNet.Generator.Differentiable;

/// <summary>
/// The one place that knows each operation: how to recognise it in C#, how to compute it (as C# text and,
/// for the interpreter, in <c>double</c>), and its local derivative with respect to each operand, side by side.
/// Adding an operation means adding one row here (and, for a new spelling, one line in the parser's lookup).
/// Activations are not rows of their own: they are the runtime's kernels, which the parser finds through the
/// <c>[ActivationFunction]</c> attribute of the <c>SourceNet.ActivationFunctions</c> call, so their rules are written
/// once, in the runtime.
/// </summary>
internal static class OpCatalog
{
    /// <summary>How to emit a forward value: operand C# texts and the math class (<c>global::System.MathF</c>) to C#.</summary>
    internal delegate string ForwardEmitter(IReadOnlyList<string> operands, string math);

    /// <summary>∂node/∂operand[k], as a term over forward values; <c>self</c> is the node's own index.</summary>
    internal delegate Term PartialRule(int self, EquatableArray<int> args, int k);

    internal sealed class OpInfo
    {
        public OpInfo(OpKind kind, int arity, string? methodName, bool commutative, ForwardEmitter forward, Func<double[], double> evaluate, PartialRule? partial)
        {
            Kind = kind;
            Arity = arity;
            MethodName = methodName;
            IsCommutative = commutative;
            Forward = forward;
            Evaluate = evaluate;
            Partial = partial;
        }

        public OpKind Kind { get; }

        /// <summary>Number of operands.</summary>
        public int Arity { get; }

        /// <summary>The name of the <c>Math</c>/<c>MathF</c>/<c>Functions</c>/<c>TensorPrimitives</c> method that spells it, if any.</summary>
        public string? MethodName { get; }

        /// <summary>Operands may be swapped, so <c>b + c</c> and <c>c + b</c> are one node.</summary>
        public bool IsCommutative { get; }

        public ForwardEmitter Forward { get; }

        /// <summary>The forward rule in <c>double</c>, for the reference interpreter (span operations excepted).</summary>
        public Func<double[], double> Evaluate { get; }

        /// <summary>The local derivative rule, or <see langword="null"/> when no gradient flows through it.</summary>
        public PartialRule? Partial { get; }
    }

    private const string Primitives = "global::System.Numerics.Tensors.TensorPrimitives";

    private static Term V(int node) => Term.Of(node);

    private static readonly OpInfo[] s_ops =
    [
        // y = a + b            ∂y/∂a = 1, ∂y/∂b = 1
        new(OpKind.Add, 2, null, true, (o, _) => $"{o[0]} + {o[1]}", a => a[0] + a[1],
            (self, args, k) => Term.One),
        // y = a - b            ∂y/∂a = 1, ∂y/∂b = -1
        new(OpKind.Subtract, 2, null, false, (o, _) => $"{o[0]} - {o[1]}", a => a[0] - a[1],
            (self, args, k) => k == 0 ? Term.One : Term.MinusOne),
        // y = a * b            ∂y/∂a = b, ∂y/∂b = a
        new(OpKind.Multiply, 2, null, true, (o, _) => $"{o[0]} * {o[1]}", a => a[0] * a[1],
            (self, args, k) => V(args[1 - k])),
        // y = a / b            ∂y/∂a = 1 / b, ∂y/∂b = -a / b² = -y / b
        new(OpKind.Divide, 2, null, false, (o, _) => $"{o[0]} / {o[1]}", a => a[0] / a[1],
            (self, args, k) => k == 0 ? Term.Divide(Term.One, V(args[1])) : Term.Negate(Term.Divide(V(self), V(args[1])))),
        // y = -a               ∂y/∂a = -1
        new(OpKind.Negate, 1, null, false, (o, _) => $"-{o[0]}", a => -a[0],
            (self, args, k) => Term.MinusOne),
        // y = exp(a)           ∂y/∂a = y
        new(OpKind.Exp, 1, "Exp", false, (o, m) => $"{m}.Exp({o[0]})", a => Math.Exp(a[0]),
            (self, args, k) => V(self)),
        // y = log(a)           ∂y/∂a = 1 / a
        new(OpKind.Log, 1, "Log", false, (o, m) => $"{m}.Log({o[0]})", a => Math.Log(a[0]),
            (self, args, k) => Term.Divide(Term.One, V(args[0]))),
        // y = sqrt(a)          ∂y/∂a = 1 / (2y)
        new(OpKind.Sqrt, 1, "Sqrt", false, (o, m) => $"{m}.Sqrt({o[0]})", a => Math.Sqrt(a[0]),
            (self, args, k) => Term.Divide(Term.Constant(0.5), V(self))),
        // y = tanh(a)          ∂y/∂a = 1 - y²
        new(OpKind.Tanh, 1, "Tanh", false, (o, m) => $"{m}.Tanh({o[0]})", a => Math.Tanh(a[0]),
            (self, args, k) => Term.Subtract(Term.One, Term.Multiply(V(self), V(self)))),
        // y = sin(a)           ∂y/∂a = cos(a)
        new(OpKind.Sin, 1, "Sin", false, (o, m) => $"{m}.Sin({o[0]})", a => Math.Sin(a[0]),
            (self, args, k) => Term.Apply(UnaryFunction.Cos, V(args[0]))),
        // y = cos(a)           ∂y/∂a = -sin(a)
        new(OpKind.Cos, 1, "Cos", false, (o, m) => $"{m}.Cos({o[0]})", a => Math.Cos(a[0]),
            (self, args, k) => Term.Negate(Term.Apply(UnaryFunction.Sin, V(args[0])))),
        // y = |a|              ∂y/∂a = sign(a) (0 at the kink)
        new(OpKind.Abs, 1, "Abs", false, (o, m) => $"{m}.Abs({o[0]})", a => Math.Abs(a[0]),
            (self, args, k) => Term.Apply(UnaryFunction.Sign, V(args[0]))),
        // y = max(a, b)        the gradient goes to the larger operand; a tie goes to a (so max(0, x) at 0 has slope 0)
        new(OpKind.Max, 2, "Max", false, (o, m) => $"{m}.Max({o[0]}, {o[1]})", a => Math.Max(a[0], a[1]),
            (self, args, k) => Term.Select(Comparison.GreaterOrEqual, V(args[0]), V(args[1]), k == 0 ? Term.One : Term.Zero, k == 0 ? Term.Zero : Term.One)),
        // y = min(a, b)        the gradient goes to the smaller operand; a tie goes to a
        new(OpKind.Min, 2, "Min", false, (o, m) => $"{m}.Min({o[0]}, {o[1]})", a => Math.Min(a[0], a[1]),
            (self, args, k) => Term.Select(Comparison.LessOrEqual, V(args[0]), V(args[1]), k == 0 ? Term.One : Term.Zero, k == 0 ? Term.Zero : Term.One)),
        // y = a^b              ∂y/∂a = b·a^(b-1), ∂y/∂b = y·log(a)
        new(OpKind.Pow, 2, "Pow", false, (o, m) => $"{m}.Pow({o[0]}, {o[1]})", a => Math.Pow(a[0], a[1]),
            (self, args, k) => k == 0
                ? Term.Multiply(V(args[1]), Term.Pow(V(args[0]), Term.Subtract(V(args[1]), Term.One)))
                : Term.Multiply(V(self), Term.Apply(UnaryFunction.Log, V(args[0])))),
        // y = f(a), a runtime activation kernel (ActivationFunctions.ReLU, ActivationFunctions.GELU, ...): forward rule and derivative
        // (from y, or from a) are the kernel's own, named by the node's text; the generator writes neither
        Activation(OpKind.ActivationFromOutput, fromPreActivation: false),
        Activation(OpKind.ActivationFromPreActivation, fromPreActivation: true),
        // y = f(a, b, ...)     the companion fWithGradient returns y and every ∂y/∂operand
        new(OpKind.Call, -1, null, false, (o, _) => throw new InvalidOperationException("Calls are emitted by the emitter."), a => throw new InvalidOperationException("Calls are evaluated by the interpreter."),
            (self, args, k) => new CallPartialTerm(self, k)),
        // y = Σ xᵢ             ∂y/∂xᵢ = 1
        new(OpKind.SpanSum, 1, "Sum", false, (o, _) => $"{Primitives}.Sum({o[0]})", a => throw new InvalidOperationException("Span operations are evaluated by the interpreter."),
            (self, args, k) => Term.One),
        // y = Σ xᵢ²            ∂y/∂xᵢ = 2xᵢ
        new(OpKind.SpanSumOfSquares, 1, "SumOfSquares", false, (o, _) => $"{Primitives}.SumOfSquares({o[0]})", a => throw new InvalidOperationException("Span operations are evaluated by the interpreter."),
            (self, args, k) => Term.Multiply(Term.Constant(2), new ElementTerm(args[0]))),
        // y = Σ xᵢ·wᵢ          ∂y/∂xᵢ = wᵢ, ∂y/∂wᵢ = xᵢ
        new(OpKind.SpanDot, 2, "Dot", true, (o, _) => $"{Primitives}.Dot({o[0]}, {o[1]})", a => throw new InvalidOperationException("Span operations are evaluated by the interpreter."),
            (self, args, k) => new ElementTerm(args[1 - k])),
        // y = x[k]             ∂y/∂x[k] = 1 (and 0 for every other element)
        new(OpKind.SpanElement, 1, null, false, (o, _) => throw new InvalidOperationException("Elements are emitted by the emitter."), a => throw new InvalidOperationException("Span operations are evaluated by the interpreter."),
            (self, args, k) => Term.One),
        // y = Σ xᵢ / n         ∂y/∂xᵢ = 1 / n
        new(OpKind.SpanAverage, 1, "Average", false, (o, _) => $"{Primitives}.Average({o[0]})", a => throw new InvalidOperationException("Span operations are evaluated by the interpreter."),
            (self, args, k) => Term.Divide(Term.One, new LengthTerm(args[0]))),
        // y = √(Σ xᵢ²)         ∂y/∂xᵢ = xᵢ / y
        new(OpKind.SpanNorm, 1, "Norm", false, (o, _) => $"{Primitives}.Norm({o[0]})", a => throw new InvalidOperationException("Span operations are evaluated by the interpreter."),
            (self, args, k) => Term.Divide(new ElementTerm(args[0]), V(self))),
        // y = √(Σ (xᵢ - wᵢ)²)  ∂y/∂xᵢ = (xᵢ - wᵢ) / y, ∂y/∂wᵢ = (wᵢ - xᵢ) / y
        new(OpKind.SpanDistance, 2, "Distance", true, (o, _) => $"{Primitives}.Distance({o[0]}, {o[1]})", a => throw new InvalidOperationException("Span operations are evaluated by the interpreter."),
            (self, args, k) => Term.Divide(Term.Subtract(new ElementTerm(args[k]), new ElementTerm(args[1 - k])), V(self))),
        // y = Σ |xᵢ|           ∂y/∂xᵢ = sign(xᵢ) (0 at 0)
        new(OpKind.SpanSumOfMagnitudes, 1, "SumOfMagnitudes", false, (o, _) => $"{Primitives}.SumOfMagnitudes({o[0]})", a => throw new InvalidOperationException("Span operations are evaluated by the interpreter."),
            (self, args, k) => Term.Apply(UnaryFunction.Sign, new ElementTerm(args[0]))),
        // y = x.Length         a count: no gradient flows through it
        new(OpKind.SpanLength, 1, null, false, (o, _) => $"{o[0]}.Length", a => throw new InvalidOperationException("Span operations are evaluated by the interpreter."),
            null),
    ];

    /// <summary>
    /// An activation kernel, as a <c>SourceNet.ActivationFunctions</c> call spells it (its <c>[ActivationFunction]</c>
    /// names the kernel): the forward value is the kernel's <c>Apply&lt;K&gt;.Forward</c>, the derivative the kernel's
    /// (see <see cref="KernelDerivativeTerm"/>). The interpreter evaluates both through its <see cref="KernelRules"/>.
    /// </summary>
    private static OpInfo Activation(OpKind kind, bool fromPreActivation) =>
        new(kind, 1, null, false, (o, kernel) => $"global::SourceNet.Kernels.Apply<{kernel}>.Forward({o[0]})",
            a => throw new InvalidOperationException("Activation kernels are evaluated by the interpreter's kernel rules."),
            (self, args, k) => new KernelDerivativeTerm(self, args[0], fromPreActivation));

    /// <summary>Whether the operation is a runtime activation kernel (its node's text names the kernel).</summary>
    public static bool IsActivation(OpKind kind) => kind is OpKind.ActivationFromOutput or OpKind.ActivationFromPreActivation;

    private static readonly Dictionary<OpKind, OpInfo> s_byKind = BuildByKind();

    private static Dictionary<OpKind, OpInfo> BuildByKind()
    {
        var byKind = new Dictionary<OpKind, OpInfo>();
        foreach (OpInfo op in s_ops)
        {
            byKind.Add(op.Kind, op);
        }
        return byKind;
    }

    public static OpInfo Get(OpKind kind) => s_byKind[kind];

    public static bool IsLeaf(OpKind kind) =>
        kind is OpKind.Parameter or OpKind.SpanParameter or OpKind.Constant or OpKind.External;

    /// <summary>Whether the operation reduces span parameters (its partials are element-wise terms).</summary>
    public static bool IsSpanOperation(OpKind kind) =>
        kind is OpKind.SpanSum or OpKind.SpanSumOfSquares or OpKind.SpanDot or OpKind.SpanLength
            or OpKind.SpanAverage or OpKind.SpanNorm or OpKind.SpanDistance or OpKind.SpanSumOfMagnitudes or OpKind.SpanElement;

    /// <summary>The scalar math operation that <c>System.Math.{name}</c>/<c>System.MathF.{name}</c> with <paramref name="arity"/> arguments spells.</summary>
    public static OpKind? FindMath(string name, int arity) => Find(name, arity, static k => k is >= OpKind.Exp and <= OpKind.Pow);

    /// <summary>The reduction that <c>TensorPrimitives.{name}</c> spells.</summary>
    public static OpKind? FindTensorPrimitive(string name, int arity) => Find(name, arity, IsSpanOperation);

    private static OpKind? Find(string name, int arity, Func<OpKind, bool> family)
    {
        foreach (OpInfo op in s_ops)
        {
            if (op.MethodName == name && op.Arity == arity && family(op.Kind))
            {
                return op.Kind;
            }
        }
        return null;
    }
}
