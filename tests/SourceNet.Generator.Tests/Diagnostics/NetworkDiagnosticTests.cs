using SourceNet.Generator.Tests.Harness;
using static SourceNet.Generator.Tests.Diagnostics.DiagnosticVerifier;

namespace SourceNet.Generator.Tests.Diagnostics;

/// <summary>
/// One test per diagnostic (and per distinct cause): the id, the span it points at and the full message.
/// Every other diagnostic, the compiler's included, fails the test, so these also pin down that a broken
/// network costs the user one clear error and no cascade.
/// </summary>
public class NetworkDiagnosticTests
{
    [Fact]
    public void SN0001_class_not_partial() => Verify(
        """
        using SourceNet;
        [Network(Input = 4)]
        public class {|SN0001:Net|}
        {
            [Dense(3)] public partial DenseLayer {|CS0751:{|CS9248:Out|}|} { get; }
        }
        """,
        "SN0001: Network class 'Net' must be declared 'partial' so SourceNet can generate its forward and backward passes",
        "CS0751: A partial member must be declared within a partial type",
        "CS9248: Partial property 'Net.Out' must have an implementation part.");

    [Fact]
    public void SN0002_no_layers() => Verify(
        """
        using SourceNet;
        [Network(Input = 4)]
        public partial class {|SN0002:Net|}
        {
            public int NotALayer { get; set; }
        }
        """,
        "SN0002: Network 'Net' has no layers: add a 'public partial DenseLayer Name { get; }' property with a [Dense(units)] attribute");

    [Fact]
    public void SN0003_units_zero_or_negative() => Verify(
        """
        using SourceNet;
        [Network(Input = 4)]
        public partial class Net
        {
            [Dense({|SN0003:0|}, Activation.ReLU)] public partial DenseLayer Hidden { get; }
            [Dense({|SN0003:units: -5|})] public partial DenseLayer Out { get; }
        }
        """,
        "SN0003: Layer 'Hidden' has 0 units; a layer needs at least 1",
        "SN0003: Layer 'Out' has -5 units; a layer needs at least 1");

    [Fact]
    public void SN0004_input_missing() => Verify(
        """
        using SourceNet;
        [{|SN0004:Network|}]
        public partial class Net
        {
            [Dense(3)] public partial DenseLayer Out { get; }
        }
        """,
        "SN0004: Network 'Net' has Input = 0; set [Network(Input = N)] with N >= 1 (for example 784 for a 28x28 image)");

    [Fact]
    public void SN0004_input_negative() => Verify(
        """
        using SourceNet;
        [Network({|SN0004:Input = -1|}, Loss = Loss.MeanSquaredError)]
        public partial class Net
        {
            [Dense(3)] public partial DenseLayer Out { get; }
        }
        """,
        "SN0004: Network 'Net' has Input = -1; set [Network(Input = N)] with N >= 1 (for example 784 for a 28x28 image)");

    [Fact]
    public void SN0005_softmax_cross_entropy_after_an_activation() => Verify(
        """
        using SourceNet;
        [Network(Input = 4, Loss = Loss.SoftmaxCrossEntropy)]
        public partial class Net
        {
            [Dense(8, Activation.ReLU)] public partial DenseLayer Hidden { get; }
            [Dense(3, {|SN0005:Activation.Sigmoid|})] public partial DenseLayer Out { get; }
        }
        """,
        "SN0005: Layer 'Out' applies Sigmoid, but SoftmaxCrossEntropy expects raw logits: remove the activation from the last layer");

    [Fact]
    public void SN0005_points_at_a_custom_activation() => Verify(
        """
        using SourceNet;
        [Network(Input = 4)]
        public partial class Net
        {
            [Dense(3, Activation.None, {|SN0005:CustomActivation = nameof(Swish)|})] public partial DenseLayer Out { get; }

            [Differentiable]
            public static float Swish(float x) => x / (1f + System.MathF.Exp(-x));
        }
        """,
        "SN0005: Layer 'Out' applies Swish, but SoftmaxCrossEntropy expects raw logits: remove the activation from the last layer");

    [Fact]
    public void SN0006_softmax_cross_entropy_with_one_output() => Verify(
        """
        using SourceNet;
        [Network(Input = 4)]
        public partial class Net
        {
            [Dense({|SN0006:1|})] public partial DenseLayer Out { get; }
        }
        """,
        "SN0006: SoftmaxCrossEntropy needs at least 2 outputs, but the last layer 'Out' has 1");

    [Fact]
    public void SN0007_unsupported_layer_properties() => Verify(
        """
        using SourceNet;
        [Network(Input = 4, Loss = Loss.MeanSquaredError)]
        public partial class Net
        {
            [Dense(3)] public static partial DenseLayer {|SN0007:Static|} { get; }
            [Dense(3)] public partial int {|SN0007:WrongType|} { get; }
            [Dense(3)] public DenseLayer {|SN0007:NotPartial|} { get; } = null!;
            [Dense(3)] public partial DenseLayer {|SN0007:Settable|} { get; set; }
            [Dense(3)] public virtual partial DenseLayer {|SN0007:Virtual|} { get; }
            [Dense(3)] public partial DenseLayer {|SN0007:Implemented|} { get; }
            public partial DenseLayer Implemented => null!;
            [Dense(3)] public partial DenseLayer {|SN0007:@class|} { get; }
        }
        """,
        "SN0007: Layer property 'Static' is static; declare it as 'public partial DenseLayer Static { get; }'",
        "SN0007: Layer property 'WrongType' has type 'int' instead of DenseLayer, the type of a Dense layer; declare it as 'public partial DenseLayer WrongType { get; }'",
        "SN0007: Layer property 'NotPartial' is not partial; declare it as 'public partial DenseLayer NotPartial { get; }'",
        "SN0007: Layer property 'Settable' has a setter; declare it as 'public partial DenseLayer Settable { get; }'",
        "SN0007: Layer property 'Virtual' has the modifier 'virtual'; declare it as 'public partial DenseLayer Virtual { get; }'",
        "SN0007: Layer property 'Implemented' already has an implementation; remove it, SourceNet generates it",
        "SN0007: Layer property 'class' is named with the C# keyword 'class', which the generated code cannot use; rename it");

    [Fact]
    public void SN0008_layer_named_like_a_generated_member() => Verify(
        """
        using SourceNet;
        [Network(Input = 4)]
        public partial class Net
        {
            [Dense(3)] public partial DenseLayer {|SN0008:Predict|} { get; }
        }
        """,
        "SN0008: Layer 'Predict' conflicts with the member 'Predict' that SourceNet generates in network 'Net'; rename the layer");

    [Fact]
    public void SN0008_member_named_like_a_generated_member() => Verify(
        """
        using SourceNet;
        [Network(Input = 4)]
        public partial class Net
        {
            [Dense(8)] public partial DenseLayer Hidden { get; }
            [Dense(3)] public partial DenseLayer Out { get; }
            private const int {|SN0008:HiddenUnits|} = 8;
            public static string {|SN0008:Summary|}() => "mine";
        }
        """,
        "SN0008: Member 'HiddenUnits' conflicts with the member 'HiddenUnits' that SourceNet generates in network 'Net' for layer 'Hidden'; rename the member",
        "SN0008: Member 'Summary' conflicts with the member 'Summary' that SourceNet generates in network 'Net'; rename the member");

    [Fact]
    public void SN0009_generic_class() => Verify(
        """
        using SourceNet;
        [Network(Input = 4)]
        public partial class {|SN0009:Net|}<T>
        {
            [Dense(3)] public partial DenseLayer Out { get; }
        }
        """,
        "SN0009: Network class 'Net' is generic; SourceNet generates code for concrete classes only");

    [Fact]
    public void SN0010_nested_class() => Verify(
        """
        using SourceNet;
        public partial class Outer
        {
            [Network(Input = 4)]
            public partial class {|SN0010:Net|}
            {
                [Dense(3)] public partial DenseLayer Out { get; }
            }
        }
        """,
        "SN0010: Network class 'Net' is nested in 'Outer'; declare it at namespace level");

    [Fact]
    public void SN0011_custom_activation_not_found() => Verify(
        """
        using SourceNet;
        [Network(Input = 4, Loss = Loss.MeanSquaredError)]
        public partial class Net
        {
            [Dense(3, {|SN0011:CustomActivation = "Swish"|})] public partial DenseLayer Out { get; }
        }
        """,
        "SN0011: Layer 'Out' names the custom activation 'Swish', but 'Net' has no method named 'Swish'");

    [Fact]
    public void SN0011_custom_activation_without_derivative() => Verify(
        """
        using SourceNet;
        [Network(Input = 4, Loss = Loss.MeanSquaredError)]
        public partial class Net
        {
            [Dense(3, {|SN0011:CustomActivation = nameof(Swish)|})] public partial DenseLayer Out { get; }
            public static float Swish(float x) => x / (1f + System.MathF.Exp(-x));
        }
        """,
        "SN0011: Layer 'Out' names the custom activation 'Swish', but 'Swish' is not marked [Differentiable], so its derivative is unknown");

    /// <summary>
    /// A [Differentiable] activation whose body the [Differentiable] generator rejects has no companion: the
    /// network reports that on the argument naming it (and emits only its stub) instead of calling the missing
    /// 'SwishWithGradient' from generated code (CS0103).
    /// </summary>
    [Fact]
    public void SN0011_custom_activation_that_cannot_be_differentiated() => Verify(
        """
        using SourceNet;
        [Network(Input = 4, Loss = Loss.MeanSquaredError)]
        public partial class Net
        {
            [Dense(3, {|SN0011:CustomActivation = nameof(Swish)|})] public partial DenseLayer Out { get; }

            [Differentiable]
            public static float Swish(float x)
            {
                {|SN0102:if|} (x < -10) return 0;
                return x / (1f + System.MathF.Exp(-x));
            }
        }
        """,
        "SN0011: Layer 'Out' names the custom activation 'Swish', but 'Swish' cannot be differentiated (SN0102: 'if' cannot be differentiated in 'Swish': branching on a value is not differentiated; use Math.Max/Min, Math.Abs or Functions.Relu for kinks)",
        "SN0102: 'if' cannot be differentiated in 'Swish': branching on a value is not differentiated; use Math.Max/Min, Math.Abs or Functions.Relu for kinks");

    [Fact]
    public void SN0011_custom_activation_calling_what_cannot_be_differentiated()
    {
        GeneratorRun run = Verify(
            """
            using SourceNet;
            [Network(Input = 4, Loss = Loss.MeanSquaredError)]
            public partial class Net
            {
                [Dense(3, {|SN0011:CustomActivation = nameof(Swish)|})] public partial DenseLayer Out { get; }

                private static float Gate(float x) => 1f / (1f + System.MathF.Exp(-x));

                [Differentiable]
                public static float Swish(float x) => x * {|SN0103:Gate(x)|};
            }
            """,
            "SN0011: Layer 'Out' names the custom activation 'Swish', but 'Swish' cannot be differentiated (SN0103: The call to 'Net.Gate' cannot be differentiated: SourceNet cannot see into it; mark it [Differentiable] if it is straight-line arithmetic)",
            "SN0103: The call to 'Net.Gate' cannot be differentiated: SourceNet cannot see into it; mark it [Differentiable] if it is straight-line arithmetic");

        // Only the stub: layer properties that throw, no forward or backward pass calling 'SwishWithGradient'.
        string network = run.Source("Net.g.cs");
        Assert.DoesNotContain("SwishWithGradient", network);
        Assert.DoesNotContain("TrainStep", network);
        Assert.DoesNotContain(run.GeneratedSources, s => s.HintName.EndsWith(".Differentiable.g.cs", StringComparison.Ordinal));
    }

    [Fact]
    public void SN0012_static_abstract_and_record_classes() => Verify(
        """
        using SourceNet;
        [Network(Input = 4)]
        public static partial class {|SN0002:{|SN0012:Static|}|}
        {
        }
        [Network(Input = 4)]
        public abstract partial class {|SN0012:Abstract|}
        {
            [Dense(3)] public partial DenseLayer Out { get; }
        }
        [Network(Input = 4)]
        public partial record {|SN0012:Record|}
        {
            [Dense(3)] public partial DenseLayer Out { get; }
        }
        """,
        "SN0002: Network 'Static' has no layers: add a 'public partial DenseLayer Name { get; }' property with a [Dense(units)] attribute",
        "SN0012: Network class 'Static' is static; a network must be an instantiable class",
        "SN0012: Network class 'Abstract' is abstract; a network must be an instantiable class",
        "SN0012: Network class 'Record' is a record; declare it as a plain 'partial class'");

    [Fact]
    public void SN0013_two_layer_attributes() => Verify(
        """
        using SourceNet;
        [Network(Input = 4)]
        public partial class Net
        {
            [Dense(3)][{|CS0579:Dense|}(4)] public partial DenseLayer {|SN0013:Out|} { get; }
        }
        """,
        "CS0579: Duplicate 'Dense' attribute",
        "SN0013: Property 'Out' has more than one layer attribute; a property is one layer");

    [Fact]
    public void SN0014_invalid_initialization_scale() => Verify(
        """
        using SourceNet;
        [Network(Input = 4)]
        public partial class Net
        {
            [Dense(3, {|SN0014:WeightStdDev = -0.5f|}, {|SN0014:BiasStdDev = float.NaN|})] public partial DenseLayer Out { get; }
        }
        """,
        "SN0014: Layer 'Out' has WeightStdDev = -0.5; it must be a finite number >= 0",
        "SN0014: Layer 'Out' has BiasStdDev = NaN; it must be a finite number >= 0");

    [Fact]
    public void SN0015_layer_names_that_collide() => Verify(
        """
        using SourceNet;
        [Network(Input = 4)]
        public partial class Net
        {
            [Dense(8)] public partial DenseLayer Hidden { get; }
            [Dense(3)] public partial DenseLayer {|SN0015:hidden|} { get; }
        }
        """,
        "SN0015: Layers 'Hidden' and 'hidden' would both generate the member '_hidden'; give them names that differ by more than the case of the first letter");

    [Fact]
    public void SN0016_input_shape_with_a_zero_dimension() => Verify(
        """
        using SourceNet;
        [Network({|SN0016:InputShape = new[] { 28, 0 }|})]
        public partial class Net
        {
            [Dense(3, Flatten = true)] public partial DenseLayer Out { get; }
        }
        """,
        "SN0016: Network 'Net' has InputShape = (28, 0): every dimension must be at least 1, but one is 0");

    [Fact]
    public void SN0016_input_shape_that_disagrees_with_input() => Verify(
        """
        using SourceNet;
        [Network(Input = 700, {|SN0016:InputShape = new[] { 28, 28 }|})]
        public partial class Net
        {
            [Dense(3, Flatten = true)] public partial DenseLayer Out { get; }
        }
        """,
        "SN0016: Network 'Net' has InputShape = (28, 28): it holds 784 values, but Input = 700; set only one of them");

    [Fact]
    public void SN0017_two_dimensional_input_to_a_dense_layer() => Verify(
        """
        using SourceNet;
        [Network(InputShape = new[] { 28, 28 })]
        public partial class Net
        {
            [{|SN0017:Dense(300, Activation.ReLU)|}] public partial DenseLayer Hidden { get; }
            [Dense(10)] public partial DenseLayer Out { get; }
        }
        """,
        "SN0017: Layer 'Hidden' is dense and takes a vector, but its input has shape (28, 28, 1); set Flatten = true on its [Dense] attribute (or add a [Flatten] layer before it) to flatten the 784 values into one vector");

    [Fact]
    public void SN0018_flatten_on_a_vector_is_a_warning_and_the_network_is_still_generated()
    {
        GeneratorRun run = Verify(
            """
            using SourceNet;
            [Network(Input = 4)]
            public partial class Net
            {
                [Dense(3, {|SN0018:Flatten = true|})] public partial DenseLayer Out { get; }
            }
            """,
            "SN0018: Layer 'Out' flattens its input, but it is already a vector of 4 values; remove the flatten");
        Assert.Contains("public const int InputCount = 4;", run.Source("Net.g.cs"));
    }

    [Fact]
    public void SN0019_layer_too_large() => Verify(
        """
        using SourceNet;
        [Network(Input = 100000)]
        public partial class Net
        {
            [Dense({|SN0019:100000|})] public partial DenseLayer Out { get; }
        }
        """,
        "SN0019: Layer 'Out' has weight [100000, 100000] = 10000000000 and bias [100000] = 100000 values; an array holds at most 2147483647 values");

    [Fact]
    public void SN0020_undefined_activation_and_loss() => Verify(
        """
        using SourceNet;
        [Network(Input = 4, {|SN0020:Loss = (Loss)7|})]
        public partial class Net
        {
            [Dense(3, {|SN0020:(Activation)100|})] public partial DenseLayer Out { get; }
        }
        """,
        "SN0020: The loss of network 'Net' is (Loss)7, which is not a member of SourceNet.Loss",
        "SN0020: The activation of layer 'Out' is (Activation)100, which is not a member of SourceNet.Activation");

    [Fact]
    public void SN0021_dense_layer_property_without_attribute() => Verify(
        """
        using SourceNet;
        [Network(Input = 4)]
        public partial class Net
        {
            [Dense(8)] public partial DenseLayer Hidden { get; }
            public partial DenseLayer {|SN0021:Out|} { get; }
        }
        """,
        "SN0021: Property 'Out' is a partial DenseLayer but has no layer attribute; add one (such as [Dense(units)]) to make it a layer");

    [Fact]
    public void Flattened_two_dimensional_input_generates_a_784_input_network()
    {
        GeneratorRun run = Verify(
            """
            using SourceNet;
            [Network(InputShape = new[] { 28, 28 })]
            public partial class Net
            {
                [Dense(300, Activation.ReLU, Flatten = true)] public partial DenseLayer Hidden { get; }
                [Dense(10)] public partial DenseLayer Out { get; }
            }
            """);
        string source = run.Source("Net.g.cs");
        Assert.Contains("public const int InputCount = 784;", source);
        Assert.Contains("private const int HiddenInputs = 784;", source);
    }

    [Fact]
    public void A_second_network_attribute_on_another_part_is_reported_once_and_generated_once()
    {
        GeneratorRun run = Verify(
            """
            using SourceNet;
            [Network(Input = 4)]
            public partial class Net
            {
                [Dense(3)] public partial DenseLayer Out { get; }
            }
            [{|CS0579:Network|}(Input = 4)]
            public partial class Net
            {
            }
            """,
            "CS0579: Duplicate 'Network' attribute");
        Assert.Single(run.GeneratedSources, s => s.HintName == "Net.g.cs");
    }

    [Fact]
    public void Layers_without_an_access_modifier_keep_it_implicit_in_the_generated_part() => Verify(
        """
        using SourceNet;
        [Network(Input = 4)]
        public partial class Net
        {
            [Dense(8)] partial DenseLayer Hidden { get; }
            [Dense(3)] private partial DenseLayer Out { get; }
        }
        """);

    [Fact]
    public void A_custom_activation_that_does_not_compile_yet_leaves_only_the_compiler_error() => Verify(
        """
        using SourceNet;
        [Network(Input = 4, Loss = Loss.MeanSquaredError)]
        public partial class Net
        {
            [Dense(3, CustomActivation = nameof(Swish))] public partial DenseLayer Out { get; }

            [Differentiable]
            public static float Swish(float x) => x / (1f + {|CS0103:Exq|}(-x));
        }
        """,
        "CS0103: The name 'Exq' does not exist in the current context");

    [Fact]
    public void A_layer_that_cannot_be_read_does_not_make_its_neighbours_look_miswired() => Verify(
        """
        using SourceNet;
        [Network(InputShape = new[] { 28, 28 })]
        public partial class Net
        {
            [Dense(300, Activation.ReLU, Flatten = true)] public static partial DenseLayer {|SN0007:Hidden|} { get; }
            [Dense(64, Activation.ReLU)] public partial DenseLayer Middle { get; }
            [Dense(10, Activation.ReLU)] public virtual partial DenseLayer {|SN0007:Output|} { get; }
        }
        """,
        "SN0007: Layer property 'Hidden' is static; declare it as 'public partial DenseLayer Hidden { get; }'",
        "SN0007: Layer property 'Output' has the modifier 'virtual'; declare it as 'public partial DenseLayer Output { get; }'");
}
