namespace SourceNet.Generator.Differentiable.Model;

/// <summary>The operations of the differentiable IR. <see cref="OpCatalog"/> holds each one's forward and gradient rules.</summary>
internal enum OpKind
{
    /// <summary>A scalar parameter; <see cref="IrNode.Value"/> is its index, <see cref="IrNode.Text"/> its name.</summary>
    Parameter,

    /// <summary>A <c>ReadOnlySpan</c> parameter; usable only as the argument of a span reduction.</summary>
    SpanParameter,

    /// <summary>A compile-time constant; <see cref="IrNode.Value"/> holds it.</summary>
    Constant,

    /// <summary>A value that does not depend on the inputs (a static field), emitted as <see cref="IrNode.Text"/>.</summary>
    External,

    Add,
    Subtract,
    Multiply,
    Divide,
    Negate,
    Exp,
    Log,
    Sqrt,
    Tanh,
    Sin,
    Cos,
    Abs,
    Max,
    Min,
    Pow,

    /// <summary>An activation kernel whose derivative reads its output (ReLU, Sigmoid); <see cref="IrNode.Text"/> names the kernel.</summary>
    ActivationFromOutput,

    /// <summary>An activation kernel whose derivative reads its operand (GELU, SiLU); <see cref="IrNode.Text"/> names the kernel.</summary>
    ActivationFromPreActivation,

    /// <summary>A call to another <c>[Differentiable]</c> method through its companion; <see cref="IrNode.Text"/> names the companion.</summary>
    Call,

    /// <summary><c>TensorPrimitives.Sum(x)</c> over a span parameter.</summary>
    SpanSum,

    /// <summary><c>TensorPrimitives.SumOfSquares(x)</c> over a span parameter.</summary>
    SpanSumOfSquares,

    /// <summary><c>TensorPrimitives.Dot(x, y)</c> over two span parameters.</summary>
    SpanDot,

    /// <summary><c>x.Length</c> of a span parameter, as a number; it has no gradient.</summary>
    SpanLength,

    /// <summary><c>x[k]</c> of a span parameter at a constant index <c>k</c> (<see cref="IrNode.Value"/>), as in an unrolled loop.</summary>
    SpanElement,

    /// <summary><c>TensorPrimitives.Average(x)</c>: the mean.</summary>
    SpanAverage,

    /// <summary><c>TensorPrimitives.Norm(x)</c>: the Euclidean norm.</summary>
    SpanNorm,

    /// <summary><c>TensorPrimitives.Distance(x, y)</c>: the Euclidean distance.</summary>
    SpanDistance,

    /// <summary><c>TensorPrimitives.SumOfMagnitudes(x)</c>: the L1 norm.</summary>
    SpanSumOfMagnitudes,
}
