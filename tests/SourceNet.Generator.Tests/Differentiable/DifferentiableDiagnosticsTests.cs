using Microsoft.CodeAnalysis;
using SourceNet.Generator.Tests.Harness;

namespace SourceNet.Generator.Tests.Differentiable;

/// <summary>
/// Unsupported code gets one diagnostic, with its id and the exact location of the offending code, and no
/// companion; nothing else is reported (an unasserted diagnostic fails the test).
/// </summary>
public class DifferentiableDiagnosticsTests
{
    private const string Prelude = """
        using System;
        using SourceNet;

        namespace Checks;

        """;

    /// <summary>
    /// Runs the generator; asserts it reports exactly one diagnostic, <paramref name="id"/>, at the text marked [|…|],
    /// with the rendered message <paramref name="expectedMessage"/> (written as <c>"SN0101: text"</c>).
    /// </summary>
    private static void AssertSingle(string id, string expectedMessage, string markedBody)
    {
        string marked = Prelude + markedBody;
        int start = marked.IndexOf("[|", StringComparison.Ordinal);
        int end = marked.IndexOf("|]", StringComparison.Ordinal) - 2;
        Assert.True(start >= 0 && end >= start, "Mark the expected location with [| |].");
        string source = marked.Replace("[|", string.Empty).Replace("|]", string.Empty);

        GeneratorRun run = GeneratorHarness.Run(source);
        Diagnostic diagnostic = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Equal(source.Substring(start, end - start), source.Substring(diagnostic.Location.SourceSpan.Start, diagnostic.Location.SourceSpan.Length));
        Assert.Equal("/src/Model0.cs", diagnostic.Location.GetLineSpan().Path);
        Assert.DoesNotContain(run.GeneratedSources, s => s.HintName.EndsWith(".Differentiable.g.cs", StringComparison.Ordinal));
        Assert.Equal(expectedMessage, $"{diagnostic.Id}: {diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}");
        Assert.EndsWith($"docs/diagnostics/{id}.md", diagnostic.Descriptor.HelpLinkUri);
    }

    [Fact]
    public void Type_must_be_partial() => AssertSingle("SN0100",
        "SN0100: 'Activations' must be declared 'partial' so SourceNet can add 'SwishWithGradient' to it",
        """
        public static class Activations
        {
            [Differentiable] public static float [|Swish|](float x) => x / (1 + MathF.Exp(-x));
        }
        """);

    [Fact]
    public void Enclosing_types_must_be_partial() => AssertSingle("SN0100",
        "SN0100: 'Outer' must be declared 'partial' so SourceNet can add 'SquareWithGradient' to it",
        """
        public class Outer
        {
            public static partial class Inner
            {
                [Differentiable] public static float [|Square|](float x) => x * x;
            }
        }
        """);

    [Fact]
    public void File_local_types_are_reported() => AssertSingle("SN0101",
        "SN0101: [Differentiable] method 'Square' is in the file-local type 'Local', which generated code (in its own file) cannot extend",
        """
        file static partial class Local
        {
            [Differentiable] public static float [|Square|](float x) => x * x;
        }
        """);

    [Fact]
    public void Local_functions_are_reported() => AssertSingle("SN0101",
        "SN0101: [Differentiable] method 'Square' is a local function; declare it as a static method of a partial type",
        """
        public static partial class Model
        {
            public static float Outer(float y)
            {
                return Square(y);

                [Differentiable] static float [|Square|](float x) => x * x;
            }
        }
        """);

    [Fact]
    public void Method_must_be_static() => AssertSingle("SN0101",
        "SN0101: [Differentiable] method 'Scale' is not static; only static methods can be differentiated",
        """
        public partial class Model
        {
            [Differentiable] public float [|Scale|](float x) => 2 * x;
        }
        """);

    [Fact]
    public void Return_type_must_be_float_or_double() => AssertSingle("SN0101",
        "SN0101: [Differentiable] method 'Twice' returns 'int'; it must return float or double",
        """
        public static partial class Model
        {
            [Differentiable] public static [|int|] Twice(int x) => 2 * x;
        }
        """);

    [Fact]
    public void Parameters_must_have_the_element_type() => AssertSingle("SN0101",
        "SN0101: [Differentiable] method 'Scale' has parameter 'y' of type 'double'; parameters must be 'float' or 'System.ReadOnlySpan<float>', passed by value",
        """
        public static partial class Model
        {
            [Differentiable] public static float Scale(float x, [|double y|]) => x * (float)y;
        }
        """);

    [Fact]
    public void Parameters_must_be_passed_by_value() => AssertSingle("SN0101",
        "SN0101: [Differentiable] method 'Scale' has parameter 'x' of type 'ref float'; parameters must be 'float' or 'System.ReadOnlySpan<float>', passed by value",
        """
        public static partial class Model
        {
            [Differentiable] public static float Scale([|ref float x|]) => x * x;
        }
        """);

    [Fact]
    public void Loops_are_reported_at_their_keyword() => AssertSingle("SN0102",
        "SN0102: 'for' cannot be differentiated in 'Power': only a 'for' loop over constant bounds, such as for (int i = 0; i < 4; i++), is differentiated (it is unrolled); make the body its own [Differentiable] method and loop over its companion instead",
        """
        public static partial class Model
        {
            public static int Count = 3;

            [Differentiable]
            public static float Power(float x)
            {
                float y = 1;
                [|for|] (int i = 0; i < Count; i++) y *= x;
                return y;
            }
        }
        """);

    [Fact]
    public void While_loops_are_reported() => AssertSingle("SN0102",
        "SN0102: 'while' cannot be differentiated in 'Power': only a 'for' loop over constant bounds, such as for (int i = 0; i < 4; i++), is differentiated (it is unrolled); make the body its own [Differentiable] method and loop over its companion instead",
        """
        public static partial class Model
        {
            [Differentiable]
            public static float Power(float x)
            {
                float y = 1;
                [|while|] (y < 3) y *= x;
                return y;
            }
        }
        """);

    [Fact]
    public void Huge_unrolled_loops_are_reported() => AssertSingle("SN0102",
        "SN0102: 'for' cannot be differentiated in 'Power': it runs more than 256 times; unrolling it would bloat the generated code",
        """
        public static partial class Model
        {
            [Differentiable]
            public static float Power(float x)
            {
                float y = 1;
                [|for|] (int i = 0; i < 1000; i++) y *= x;
                return y;
            }
        }
        """);

    [Fact]
    public void Assigning_an_unrolled_loop_index_is_reported() => AssertSingle("SN0102",
        "SN0102: 'i' cannot be differentiated in 'Power': only local declarations, assignments to locals and a final return are supported",
        """
        public static partial class Model
        {
            [Differentiable]
            public static float Power(float x)
            {
                float y = 1;
                for (int i = 0; i < 4; i++) { y *= x; [|i|]++; }
                return y;
            }
        }
        """);

    [Fact]
    public void Branches_are_reported_at_their_keyword() => AssertSingle("SN0102",
        "SN0102: 'if' cannot be differentiated in 'Clip': branching on a value is not differentiated; use Math.Max/Min, Math.Abs or ActivationFunctions.ReLU for kinks",
        """
        public static partial class Model
        {
            [Differentiable]
            public static double Clip(double x)
            {
                double y = x;
                [|if|] (x > 1) y = 1;
                return y;
            }
        }
        """);

    [Fact]
    public void Early_returns_are_reported() => AssertSingle("SN0102",
        "SN0102: 'return' cannot be differentiated in 'F': only one return, as the last statement, is supported",
        """
        public static partial class Model
        {
            [Differentiable]
            public static float F(float x)
            {
                [|return|] x;
                #pragma warning disable CS0162
                return x * 2;
            }
        }
        """);

    [Fact]
    public void Calls_it_cannot_see_into_are_reported() => AssertSingle("SN0103",
        "SN0103: The call to 'Model.Helper' cannot be differentiated: SourceNet cannot see into it; mark it [Differentiable] if it is straight-line arithmetic",
        """
        public static partial class Model
        {
            public static float Helper(float x) => x * 3;

            [Differentiable] public static float F(float x) => x + [|Helper(x * 2)|];
        }
        """);

    /// <summary>
    /// A call to a [Differentiable] method the generator rejects would call a companion that is never emitted
    /// (CS0117 inside generated code): the call is reported instead, naming the callee's own diagnostic.
    /// </summary>
    [Fact]
    public void Calls_to_a_rejected_differentiable_method_are_reported() => Diagnostics.DiagnosticVerifier.Verify(
        """
        using SourceNet;
        public static partial class Model
        {
            [Differentiable]
            public static float Step(float x)
            {
                {|SN0102:if|} (x > 0) return 1;
                return 0;
            }

            [Differentiable] public static float F(float x) => x * {|SN0103:Step(x)|};
        }
        """,
        "SN0102: 'if' cannot be differentiated in 'Step': branching on a value is not differentiated; use Math.Max/Min, Math.Abs or ActivationFunctions.ReLU for kinks",
        "SN0103: The call to 'Model.Step' cannot be differentiated: 'Step' cannot be differentiated itself (SN0102: 'if' cannot be differentiated in 'Step': branching on a value is not differentiated; use Math.Max/Min, Math.Abs or ActivationFunctions.ReLU for kinks)");

    /// <summary>Recursion between [Differentiable] methods is the user's to bound: both companions are emitted and compile.</summary>
    [Fact]
    public void Mutually_recursive_differentiable_methods_both_get_companions()
    {
        GeneratorRun run = GeneratorHarness.RunClean("""
            using SourceNet;
            public static partial class Model
            {
                [Differentiable] public static float F(float x) => x * G(x);
                [Differentiable] public static float G(float x) => F(x) + x;
            }
            """);
        string source = run.Source("Model.Differentiable.g.cs");
        Assert.Contains("public static float FWithGradient(", source);
        Assert.Contains("public static float GWithGradient(", source);
    }

    [Fact]
    public void Math_functions_without_a_known_derivative_are_reported() => AssertSingle("SN0103",
        "SN0103: The call to 'Math.Round' cannot be differentiated: SourceNet knows no derivative for it; supported: Exp, Log, Sqrt, Tanh, Sin, Cos, Abs, Max, Min, Pow on float or double",
        """
        public static partial class Model
        {
            [Differentiable] public static double F(double x) => [|Math.Round(x)|] * x;
        }
        """);

    [Fact]
    public void Conditional_operator_is_reported() => AssertSingle("SN0104",
        "SN0104: 'x > 0 ? x : 0' cannot be differentiated: branching on a value is not differentiated; use Math.Max/Min, Math.Abs or ActivationFunctions.ReLU for kinks",
        """
        public static partial class Model
        {
            [Differentiable] public static float Relu(float x) => [|x > 0 ? x : 0|];
        }
        """);

    [Fact]
    public void Integer_arithmetic_on_values_is_reported() => AssertSingle("SN0104",
        "SN0104: 'N / 2' cannot be differentiated: it computes in 'int'; only float and double arithmetic is differentiated",
        """
        public static partial class Model
        {
            public static readonly int N = 3;

            [Differentiable] public static float F(float x) => x * ([|N / 2|]);
        }
        """);

    [Fact]
    public void Double_arithmetic_inside_a_float_method_is_reported() => AssertSingle("SN0104",
        "SN0104: 'Math.Exp(x) + 1' cannot be differentiated: it computes in double inside a float method; cast each Math call's result to float first",
        """
        public static partial class Model
        {
            [Differentiable] public static float F(float x) => (float)([|Math.Exp(x) + 1|]);
        }
        """);

    [Fact]
    public void Narrowing_inside_a_double_method_is_reported() => AssertSingle("SN0104",
        "SN0104: '(float)x' cannot be differentiated: it narrows to float inside a double method",
        """
        public static partial class Model
        {
            [Differentiable] public static double F(double x) => x * [|(float)x|];
        }
        """);

    [Fact]
    public void Spans_outside_reductions_are_reported() => AssertSingle("SN0104",
        "SN0104: 'x.ToArray()[1]' cannot be differentiated: only elements of ReadOnlySpan parameters can be read",
        """
        public static partial class Model
        {
            [Differentiable] public static float F(ReadOnlySpan<float> x) => x[0] * [|x.ToArray()[1]|];
        }
        """);

    [Fact]
    public void Span_indices_must_be_known_at_compile_time() => AssertSingle("SN0104",
        "SN0104: 'x[x.Length - 1]' cannot be differentiated: the index must be known at compile time: a constant or the index of a for loop over constant bounds",
        """
        public static partial class Model
        {
            [Differentiable] public static float Last(ReadOnlySpan<float> x) => [|x[x.Length - 1]|];
        }
        """);

    [Fact]
    public void Reductions_over_non_parameters_are_reported() => AssertSingle("SN0103",
        "SN0103: The call to 'TensorPrimitives.Sum' cannot be differentiated: its arguments must be ReadOnlySpan parameters of the method",
        """
        public static partial class Model
        {
            [Differentiable] public static float F(ReadOnlySpan<float> x) => [|System.Numerics.Tensors.TensorPrimitives.Sum(x.Slice(1))|];
        }
        """);

    [Fact]
    public void Compiling_code_the_walker_cannot_bind_is_reported_not_skipped() => AssertSingle("SN0104",
        "SN0104: '(a, b) = (x, y)' cannot be differentiated: SourceNet cannot analyse this construct",
        """
        public static partial class Model
        {
            [Differentiable]
            public static float F(float x, float y)
            {
                float a = 0, b = 0;
                [|(a, b) = (x, y)|];
                return a * b;
            }
        }
        """);

    [Fact]
    public void Instance_state_is_reported() => AssertSingle("SN0104",
        "SN0104: 's_weights[1]' cannot be differentiated: only elements of ReadOnlySpan parameters can be read",
        """
        public static partial class Model
        {
            private static readonly float[] s_weights = [1f, 2f];

            [Differentiable] public static float F(float x) => x * [|s_weights[1]|];
        }
        """);

    [Fact]
    public void Gradient_name_conflicts_are_reported() => AssertSingle("SN0105",
        "SN0105: The gradient of parameter 'x' would be named 'dX', which is already a parameter of 'F'; rename one of them",
        """
        public static partial class Model
        {
            [Differentiable] public static float F([|float x|], float dX) => x * dX;
        }
        """);

    [Fact]
    public void Half_typed_code_reports_nothing_and_does_not_throw()
    {
        GeneratorRun run = GeneratorHarness.Run(Prelude + """
            public static partial class Model
            {
                [Differentiable] public static float F(float x) => x * Undefined(x) + ;
                [Differentiable] public static float G(Missing x) => x;
                [Differentiable] public static float H(float x) { float y = x * ; return y }
            }
            """);
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.NotEmpty(run.Input.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
    }
}
