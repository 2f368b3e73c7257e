using SourceNet.Generator.Differentiable;
using SourceNet.Generator.Differentiable.Model;

namespace SourceNet.Generator.Tests.Differentiable;

/// <summary>
/// The middle end on its own: IR building, reverse-mode differentiation and the reference interpreter,
/// with no Roslyn types. Every rule in the op catalogue is checked against central finite differences.
/// </summary>
public class ReverseModeTests
{
    private static DifferentiableMethodSpec Tutorial()
    {
        var ir = new IrBuilder();
        int b = ir.Parameter("b");
        int c = ir.Parameter("c");
        int d = ir.Op(OpKind.Add, "d = b + c", b, c);
        int e = ir.Op(OpKind.Add, "e = c + 2", c, ir.Constant(2));
        int a = ir.Op(OpKind.Multiply, "a = d * e", d, e);
        return ir.Build("A", ScalarType.Float, a);
    }

    [Fact]
    public void Tutorial_value_and_gradient()
    {
        (double value, double[][] gradient) = IrInterpreter.Gradient(Tutorial(), [[2], [1]]);
        Assert.Equal(9, value);
        Assert.Equal(3, gradient[0][0]);
        Assert.Equal(6, gradient[1][0]);
    }

    [Fact]
    public void Shared_sub_expressions_are_one_node()
    {
        var ir = new IrBuilder();
        int b = ir.Parameter("b");
        int c = ir.Parameter("c");
        int first = ir.Op(OpKind.Add, "b + c", b, c);
        int swapped = ir.Op(OpKind.Add, "c + b", c, b);
        int twoA = ir.Constant(2);
        int twoB = ir.Constant(2);
        int notCommutative = ir.Op(OpKind.Subtract, "c - b", c, b);
        Assert.Equal(first, swapped);
        Assert.Equal(twoA, twoB);
        Assert.NotEqual(first, notCommutative);

        int square = ir.Op(OpKind.Multiply, "(b + c) * (b + c)", first, swapped);
        int unused = ir.Op(OpKind.Exp, "exp(b)", b);
        DifferentiableMethodSpec method = ir.Build("F", ScalarType.Double, square);
        Assert.Equal(4, method.Nodes.Count); // b, c, b + c, square: the unused exp(b) and c - b are dropped
        Assert.True(unused > square);
        Assert.Equal(OpKind.Multiply, method.Nodes[method.Result].Op);
    }

    [Fact]
    public void Constants_get_no_adjoint()
    {
        var ir = new IrBuilder();
        int x = ir.Parameter("x");
        int k = ir.Op(OpKind.Exp, "exp(3)", ir.Constant(3));
        int y = ir.Op(OpKind.Multiply, "x * exp(3)", x, k);
        DifferentiableMethodSpec method = ir.Build("F", ScalarType.Double, y);
        GradientProgram program = ReverseMode.Differentiate(method);
        AdjointStep step = Assert.Single(program.Steps);
        Assert.Equal(method.Result, step.From);
        Assert.Equal(0, step.To);
    }

    [Theory]
    [InlineData("b", "dB")]
    [InlineData("weight", "dWeight")]
    [InlineData("@in", "dIn")]
    [InlineData("x1", "dX1")]
    public void Gradient_names_are_d_plus_pascal_case(string name, string expected) =>
        Assert.Equal(expected, IrBuilder.GradientName(name));

    // OpKind is internal, so the theories take its name.
    private static readonly string[] s_unary = ["Negate", "Exp", "Log", "Sqrt", "Tanh", "Sin", "Cos", "Abs"];
    private static readonly string[] s_binary = ["Add", "Subtract", "Multiply", "Divide", "Max", "Min", "Pow"];

    public static TheoryData<string> UnaryOps => new(s_unary);

    public static TheoryData<string> BinaryOps => new(s_binary);

    [Fact]
    public void Theories_cover_every_scalar_operation()
    {
        var covered = s_unary.Concat(s_binary).Select(Enum.Parse<OpKind>).ToHashSet();
        covered.UnionWith([OpKind.ActivationFromOutput, OpKind.ActivationFromPreActivation]); // Activation_kernel_rule_matches_finite_differences
        var scalar = Enum.GetValues<OpKind>().Where(k => !OpCatalog.IsLeaf(k) && !OpCatalog.IsSpanOperation(k) && k != OpKind.Call);
        Assert.All(scalar, k => Assert.Contains(k, covered));
    }

    [Theory]
    [MemberData(nameof(UnaryOps))]
    public void Unary_rule_matches_finite_differences(string name)
    {
        OpKind op = Enum.Parse<OpKind>(name);
        var ir = new IrBuilder();
        int x = ir.Parameter("x");
        DifferentiableMethodSpec method = ir.Build("F", ScalarType.Double, ir.Op(op, op.ToString(), x));
        foreach (double point in new[] { 0.35, 1.7, 3.2 })
        {
            CheckAgainstFiniteDifferences(method, [point]);
            CheckAgainstFiniteDifferences(method, op is OpKind.Log or OpKind.Sqrt ? [point / 2] : [-point]);
        }
    }

    /// <summary>Every activation kernel of the runtime, found by its interface, so a new kernel is checked without a new line here.</summary>
    public static TheoryData<string> ActivationKernels => new(typeof(SourceNet.Kernels.IActivation).Assembly.GetTypes()
        .Where(t => t.IsValueType && (typeof(SourceNet.Kernels.IOutputDerivative).IsAssignableFrom(t) || typeof(SourceNet.Kernels.IPreActivationDerivative).IsAssignableFrom(t)))
        .Select(t => t.FullName!).Order());

    [Theory]
    [MemberData(nameof(ActivationKernels))]
    public void Activation_kernel_rule_matches_finite_differences(string kernel)
    {
        Type type = typeof(SourceNet.Kernels.IActivation).Assembly.GetType(kernel)!;
        OpKind op = typeof(SourceNet.Kernels.IPreActivationDerivative).IsAssignableFrom(type) ? OpKind.ActivationFromPreActivation : OpKind.ActivationFromOutput;
        var ir = new IrBuilder();
        int x = ir.Parameter("x");
        // Times x, so the rule is exercised inside a chain, not only at the seed.
        DifferentiableMethodSpec method = ir.Build("F", ScalarType.Double, ir.Op(OpKind.Multiply, "f", ir.Op(op, type.Name, "global::" + kernel, x), x));
        foreach (double point in new[] { 0.35, 1.7, 3.2, 9 })
        {
            CheckAgainstFiniteDifferences(method, [point]);
            CheckAgainstFiniteDifferences(method, [-point]);
        }
    }

    [Theory]
    [MemberData(nameof(BinaryOps))]
    public void Binary_rule_matches_finite_differences(string name)
    {
        OpKind op = Enum.Parse<OpKind>(name);
        var ir = new IrBuilder();
        int x = ir.Parameter("x");
        int y = ir.Parameter("y");
        DifferentiableMethodSpec method = ir.Build("F", ScalarType.Double, ir.Op(op, op.ToString(), x, y));
        CheckAgainstFiniteDifferences(method, [0.8], [1.9]);
        CheckAgainstFiniteDifferences(method, [2.5], [-0.6]);
        CheckAgainstFiniteDifferences(method, [1.3], [0.4]);
    }

    [Fact]
    public void Composition_with_reuse_matches_finite_differences()
    {
        // f(x, y) = tanh(x*y) * exp(x*y) / (1 + (x*y)^2) + sigmoid(x) * relu(y) - max(x, y)
        var ir = new IrBuilder();
        int x = ir.Parameter("x");
        int y = ir.Parameter("y");
        int xy = ir.Op(OpKind.Multiply, "x * y", x, y);
        int top = ir.Op(OpKind.Multiply, "t", ir.Op(OpKind.Tanh, "tanh", xy), ir.Op(OpKind.Exp, "exp", xy));
        int bottom = ir.Op(OpKind.Add, "b", ir.Constant(1), ir.Op(OpKind.Multiply, "sq", xy, xy));
        int first = ir.Op(OpKind.Divide, "q", top, bottom);
        int second = ir.Op(OpKind.Multiply, "s", ir.Op(OpKind.ActivationFromOutput, "sig", Sigmoid, x), ir.Op(OpKind.ActivationFromOutput, "relu", Relu, y));
        int result = ir.Op(OpKind.Subtract, "f", ir.Op(OpKind.Add, "sum", first, second), ir.Op(OpKind.Max, "max", x, y));
        DifferentiableMethodSpec method = ir.Build("F", ScalarType.Double, result);
        CheckAgainstFiniteDifferences(method, [0.7], [1.1]);
        CheckAgainstFiniteDifferences(method, [-0.3], [0.9]);
    }

    private const string Sigmoid = "global::SourceNet.Kernels.SigmoidActivation";
    private const string Relu = "global::SourceNet.Kernels.ReluActivation";

    [Fact]
    public void Kernels_whose_derivative_needs_the_operand_match_finite_differences()
    {
        // f(x, y) = gelu(x * y) + silu(x - y) * leaky(y): the interpreter runs the runtime kernels' own rules, and
        // the pre-activation derivatives (GELU, SiLU) read the operand while LeakyReLU's reads its output.
        var ir = new IrBuilder();
        int x = ir.Parameter("x");
        int y = ir.Parameter("y");
        int gelu = ir.Op(OpKind.ActivationFromPreActivation, "gelu", "global::SourceNet.Kernels.GeluActivation", ir.Op(OpKind.Multiply, "xy", x, y));
        int silu = ir.Op(OpKind.ActivationFromPreActivation, "silu", "global::SourceNet.Kernels.SiluActivation", ir.Op(OpKind.Subtract, "d", x, y));
        int leaky = ir.Op(OpKind.ActivationFromOutput, "leaky", "global::SourceNet.Kernels.LeakyReluActivation", y);
        int result = ir.Op(OpKind.Add, "f", gelu, ir.Op(OpKind.Multiply, "p", silu, leaky));
        DifferentiableMethodSpec method = ir.Build("F", ScalarType.Double, result);
        foreach ((double a, double b) in new[] { (0.7, 1.1), (-0.3, 0.9), (2.5, -1.5), (-4, -3), (0.01, -0.02), (6, 7) })
        {
            CheckAgainstFiniteDifferences(method, [a], [b]);
        }
    }

    [Fact]
    public void Span_reductions_match_finite_differences()
    {
        // f(x, w, s) = s * (Σx² - 2 x·w) / |x| + Σw
        var ir = new IrBuilder();
        int x = ir.Parameter("x", isSpan: true);
        int w = ir.Parameter("w", isSpan: true);
        int s = ir.Parameter("s");
        int squares = ir.Op(OpKind.SpanSumOfSquares, "sq", x);
        int dot = ir.Op(OpKind.SpanDot, "dot", x, w);
        int difference = ir.Op(OpKind.Subtract, "diff", squares, ir.Op(OpKind.Multiply, "2dot", ir.Constant(2), dot));
        int mean = ir.Op(OpKind.Divide, "mean", ir.Op(OpKind.Multiply, "scaled", s, difference), ir.Op(OpKind.SpanLength, "n", x));
        int result = ir.Op(OpKind.Add, "f", mean, ir.Op(OpKind.SpanSum, "sum", w));
        DifferentiableMethodSpec method = ir.Build("F", ScalarType.Double, result);
        CheckAgainstFiniteDifferences(method, [0.5, -1.5, 2], [1, 0.25, -0.5], [1.5]);
    }

    [Fact]
    public void Norms_distances_and_means_match_finite_differences()
    {
        // f(x, w) = ‖x‖ * avg(w) + dist(x, w) - Σ|w|
        var ir = new IrBuilder();
        int x = ir.Parameter("x", isSpan: true);
        int w = ir.Parameter("w", isSpan: true);
        int product = ir.Op(OpKind.Multiply, "p", ir.Op(OpKind.SpanNorm, "norm", x), ir.Op(OpKind.SpanAverage, "avg", w));
        int sum = ir.Op(OpKind.Add, "s", product, ir.Op(OpKind.SpanDistance, "dist", x, w));
        int result = ir.Op(OpKind.Subtract, "f", sum, ir.Op(OpKind.SpanSumOfMagnitudes, "l1", w));
        DifferentiableMethodSpec method = ir.Build("F", ScalarType.Double, result);
        CheckAgainstFiniteDifferences(method, [0.5, -1.5, 2], [1, 0.25, -0.5]);
    }

    [Fact]
    public void Span_elements_send_gradient_to_one_element()
    {
        // f(x) = x[0] * x[2] + exp(x[2]) - x[0]: x[1] gets nothing.
        var ir = new IrBuilder();
        int x = ir.Parameter("x", isSpan: true);
        int x0 = ir.Element(x, 0, "x[0]");
        int x2 = ir.Element(x, 2, "x[2]");
        Assert.Equal(x0, ir.Element(x, 0, "x[0] again"));
        int result = ir.Op(OpKind.Subtract, "f", ir.Op(OpKind.Add, "s", ir.Op(OpKind.Multiply, "p", x0, x2), ir.Op(OpKind.Exp, "e", x2)), x0);
        DifferentiableMethodSpec method = ir.Build("F", ScalarType.Double, result);
        CheckAgainstFiniteDifferences(method, [0.5, -1.5, 2]);
        Assert.Equal(0, IrInterpreter.Gradient(method, [[0.5, -1.5, 2]]).Gradient[0][1]);
    }

    private static void CheckAgainstFiniteDifferences(DifferentiableMethodSpec method, params double[][] inputs)
    {
        KernelRules kernels = RuntimeKernelRules.Instance;
        (double value, double[][] gradient) = IrInterpreter.Gradient(method, inputs, kernels);
        Assert.Equal(IrInterpreter.Evaluate(method, inputs, kernels), value);
        const double h = 1e-6;
        for (int p = 0; p < inputs.Length; p++)
        {
            for (int i = 0; i < inputs[p].Length; i++)
            {
                double[][] plus = inputs.Select(a => (double[])a.Clone()).ToArray();
                double[][] minus = inputs.Select(a => (double[])a.Clone()).ToArray();
                plus[p][i] += h;
                minus[p][i] -= h;
                double numeric = (IrInterpreter.Evaluate(method, plus, kernels) - IrInterpreter.Evaluate(method, minus, kernels)) / (2 * h);
                Assert.True(Math.Abs(numeric - gradient[p][i]) <= 1e-6 * Math.Max(1, Math.Abs(numeric)),
                    $"{method.Nodes[method.Result].Label}: ∂/∂input{p}[{i}] at ({string.Join(", ", inputs.Select(a => string.Join(" ", a)))}) is {gradient[p][i]}, finite differences say {numeric}");
            }
        }
    }
}
