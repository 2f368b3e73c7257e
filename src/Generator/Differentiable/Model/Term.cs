using System;

namespace SourceNet.Generator.Differentiable.Model;

/// <summary>
/// A small expression over the values of the forward pass: the local derivative of one node with respect to
/// one operand. The emitter prints it as C#; the interpreter evaluates it; both see the same rule.
/// </summary>
internal abstract record Term
{
    public static readonly Term Zero = new ConstantTerm(0);
    public static readonly Term One = new ConstantTerm(1);
    public static readonly Term MinusOne = new ConstantTerm(-1);

    public static Term Of(int node) => new ValueTerm(node);

    public static Term Constant(double value) => new ConstantTerm(value);

    public static Term Negate(Term operand) => operand switch
    {
        ConstantTerm c => new ConstantTerm(-c.Value),
        UnaryTerm { Function: UnaryFunction.Negate } u => u.Operand,
        _ => new UnaryTerm(UnaryFunction.Negate, operand),
    };

    public static Term Multiply(Term left, Term right) => (left, right) switch
    {
        (ConstantTerm { Value: 1 }, _) => right,
        (_, ConstantTerm { Value: 1 }) => left,
        (ConstantTerm { Value: -1 }, _) => Negate(right),
        (_, ConstantTerm { Value: -1 }) => Negate(left),
        _ => new BinaryTerm(BinaryFunction.Multiply, left, right),
    };

    public static Term Divide(Term left, Term right) => new BinaryTerm(BinaryFunction.Divide, left, right);

    public static Term Subtract(Term left, Term right) => new BinaryTerm(BinaryFunction.Subtract, left, right);

    public static Term Apply(UnaryFunction function, Term operand) => new UnaryTerm(function, operand);

    public static Term Pow(Term left, Term right) => new BinaryTerm(BinaryFunction.Pow, left, right);

    /// <summary><c>left op right ? whenTrue : whenFalse</c>: the derivative of a kink (max, ReLU) picks a side.</summary>
    public static Term Select(Comparison comparison, Term left, Term right, Term whenTrue, Term whenFalse)
    {
        if (left.Equals(right))
        {
            // max(x, x): comparing a value with itself is decided now (and would draw warning CS1718).
            return comparison == Comparison.Greater ? whenFalse : whenTrue;
        }
        return new SelectTerm(comparison, left, right, whenTrue, whenFalse);
    }
}

/// <summary>The forward value of node <paramref name="Node"/>.</summary>
internal sealed record ValueTerm(int Node) : Term;

/// <summary>A number.</summary>
internal sealed record ConstantTerm(double Value) : Term;

/// <summary>Element <c>i</c> of the span parameter node <paramref name="Node"/>, inside an element-wise gradient loop.</summary>
internal sealed record ElementTerm(int Node) : Term;

/// <summary>The length of the span parameter node <paramref name="Node"/>.</summary>
internal sealed record LengthTerm(int Node) : Term;

/// <summary>The partial derivative number <paramref name="Index"/> that the companion of call node <paramref name="Node"/> returned.</summary>
internal sealed record CallPartialTerm(int Node, int Index) : Term;

/// <summary>
/// f'(z) of a runtime activation kernel (named by the activation node's text), from the node's value y or from its
/// operand z, as the kernel's interface says. The emitter calls the kernel's own derivative, the one the network
/// generator uses, and the interpreter evaluates the same rule at double: it is written once, in the runtime.
/// </summary>
/// <param name="Node">The activation node, whose value is y = f(z).</param>
/// <param name="Operand">Its operand z.</param>
/// <param name="FromPreActivation">Whether the derivative reads z (else y).</param>
internal sealed record KernelDerivativeTerm(int Node, int Operand, bool FromPreActivation) : Term;

internal enum UnaryFunction
{
    Negate,
    Exp,
    Log,
    Sin,
    Cos,
    Sign,
}

internal enum BinaryFunction
{
    Subtract,
    Multiply,
    Divide,
    Pow,
}

internal enum Comparison
{
    Greater,
    GreaterOrEqual,
    LessOrEqual,
}

internal sealed record UnaryTerm(UnaryFunction Function, Term Operand) : Term;

internal sealed record BinaryTerm(BinaryFunction Function, Term Left, Term Right) : Term;

internal sealed record SelectTerm(Comparison Comparison, Term Left, Term Right, Term WhenTrue, Term WhenFalse) : Term;

internal static class TermMath
{
    public static double Apply(UnaryFunction function, double x) => function switch
    {
        UnaryFunction.Negate => -x,
        UnaryFunction.Exp => Math.Exp(x),
        UnaryFunction.Log => Math.Log(x),
        UnaryFunction.Sin => Math.Sin(x),
        UnaryFunction.Cos => Math.Cos(x),
        UnaryFunction.Sign => Math.Sign(x),
        _ => throw new ArgumentOutOfRangeException(nameof(function)),
    };

    public static double Apply(BinaryFunction function, double x, double y) => function switch
    {
        BinaryFunction.Subtract => x - y,
        BinaryFunction.Multiply => x * y,
        BinaryFunction.Divide => x / y,
        BinaryFunction.Pow => Math.Pow(x, y),
        _ => throw new ArgumentOutOfRangeException(nameof(function)),
    };

    public static bool Compare(Comparison comparison, double x, double y) => comparison switch
    {
        Comparison.Greater => x > y,
        Comparison.GreaterOrEqual => x >= y,
        Comparison.LessOrEqual => x <= y,
        _ => throw new ArgumentOutOfRangeException(nameof(comparison)),
    };
}
