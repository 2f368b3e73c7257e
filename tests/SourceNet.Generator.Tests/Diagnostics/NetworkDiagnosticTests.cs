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
    /// <summary>
    /// The stub reopens the class as partial, so the compiler adds one CS0260 on the class (saying the same
    /// thing) instead of CS0751 and CS9248 on every layer property.
    /// </summary>
    [Fact]
    public void SN0001_class_not_partial_costs_one_compiler_error_not_two_per_layer() => Verify(
        """
        using SourceNet;
        [Network(Input = 4)]
        public class {|CS0260:{|SN0001:Net|}|}
        {
            [Dense(3, Activation.ReLU)] public partial DenseLayer Hidden { get; }
            [Dense(3)] public partial DenseLayer Out { get; }
        }
        """,
        "CS0260: Missing partial modifier on declaration of type 'Net'; another partial declaration of this type exists",
        "SN0001: Network class 'Net' must be declared 'partial' so SourceNet can generate its forward and backward passes");

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
        "SN0011: Layer 'Out' names the custom activation 'Swish', but 'Net' has no method named 'Swish'; declare '[Differentiable] static float Swish(float x)' in 'Net'");

    [Fact]
    public void SN0011_custom_activation_declared_in_another_class() => Verify(
        """
        using SourceNet;
        [Network(Input = 4, Loss = Loss.MeanSquaredError)]
        public partial class Net
        {
            [Dense(3, {|SN0011:CustomActivation = nameof(Activations.Swish)|})] public partial DenseLayer Out { get; }
        }
        public static partial class Activations
        {
            [Differentiable] public static float Swish(float x) => x / (1f + System.MathF.Exp(-x));
        }
        """,
        "SN0011: Layer 'Out' names the custom activation 'Swish', but 'Net' has no method named 'Swish' (found 'Activations.Swish', but a custom activation is a method of the network class); declare '[Differentiable] static float Swish(float x)' in 'Net', which may return Activations.Swish(x) if that is [Differentiable]");

    [Fact]
    public void SN0011_custom_activation_with_another_signature_says_which() => Verify(
        """
        using SourceNet;
        [Network(Input = 4, Loss = Loss.MeanSquaredError)]
        public partial class Net
        {
            [Dense(3, {|SN0011:CustomActivation = nameof(Swish)|})] public partial DenseLayer Out { get; }
            public double Swish(double x) => x / (1 + System.Math.Exp(-x));
        }
        """,
        "SN0011: Layer 'Out' names the custom activation 'Swish', but 'Swish' is declared as 'double Swish(double x)', an instance method; a custom activation is '[Differentiable] static float Swish(float x)'");

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
        "SN0011: Layer 'Out' names the custom activation 'Swish', but 'Swish' is not marked [Differentiable], so its derivative is unknown; add [Differentiable] to it");

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
        "SN0011: Layer 'Out' names the custom activation 'Swish', but 'Swish' cannot be differentiated (SN0102: 'if' cannot be differentiated in 'Swish': branching on a value is not differentiated; use Math.Max/Min, Math.Abs or ActivationFunctions.ReLU for kinks)",
        "SN0102: 'if' cannot be differentiated in 'Swish': branching on a value is not differentiated; use Math.Max/Min, Math.Abs or ActivationFunctions.ReLU for kinks");

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
    public void SN0054_an_empty_state_dict_name() => Verify(
        """
        using SourceNet;
        [Network(Input = 4)]
        public partial class Net
        {
            [Dense(8, {|SN0054:Name = ""|})] public partial DenseLayer Hidden { get; }
            [Dense(3)] public partial DenseLayer Out { get; }
        }
        """,
        "SN0054: Layer 'Hidden' has Name = \"\", which is empty or holds whitespace, a quote or a backslash; write the name of the PyTorch module, such as \"fc1\" or \"features.0\"");

    [Fact]
    public void SN0054_a_state_dict_name_with_a_space() => Verify(
        """
        using SourceNet;
        [Network(Input = 4)]
        public partial class Net
        {
            [Dense(8, {|SN0054:Name = "fc 1"|})] public partial DenseLayer Hidden { get; }
            [Dense(3)] public partial DenseLayer Out { get; }
        }
        """,
        "SN0054: Layer 'Hidden' has Name = \"fc 1\", which is empty or holds whitespace, a quote or a backslash; write the name of the PyTorch module, such as \"fc1\" or \"features.0\"");

    [Fact]
    public void SN0055_two_layers_with_one_state_dict_name() => Verify(
        """
        using SourceNet;
        [Network(Input = 4)]
        public partial class Net
        {
            [Dense(8, Name = "fc1")] public partial DenseLayer Hidden { get; }
            [Dense(3, {|SN0055:Name = "fc1"|})] public partial DenseLayer Out { get; }
        }
        """,
        "SN0055: Layers 'Hidden' and 'Out' both have the state_dict name 'fc1', so their tensors would share names; give one of them another Name");

    [Fact]
    public void SN0055_a_name_that_another_layer_has_from_its_property() => Verify(
        """
        using SourceNet;
        [Network(Input = 4)]
        public partial class Net
        {
            [Dense(8, Name = "out")] public partial DenseLayer Hidden { get; }
            [Dense(3)] public partial DenseLayer {|SN0055:Out|} { get; }
        }
        """,
        "SN0055: Layers 'Hidden' and 'Out' both have the state_dict name 'out', so their tensors would share names; give one of them another Name");

    [Fact]
    public void A_state_dict_name_with_dots_names_the_parameters()
    {
        GeneratorRun run = GeneratorHarness.RunClean("""
            using SourceNet;
            namespace Samples;
            [Network(Input = 4)]
            public partial class Net
            {
                [Dense(8, Name = "features.0")] public partial DenseLayer Hidden { get; }
                [Dense(3, Name = "classifier")] public partial DenseLayer Out { get; }
            }
            """);
        string source = run.Source("Samples.Net.g.cs");
        Assert.Contains("_hidden.Weight.MapToStateDict(\"features.0.weight\"", source, StringComparison.Ordinal);
        Assert.Contains("_out.Bias.MapToStateDict(\"classifier.bias\")", source, StringComparison.Ordinal);
    }

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
    public void SN0016_empty_input_shape_is_a_shape_error_not_input_zero() => Verify(
        """
        using SourceNet;
        [Network({|SN0016:InputShape = new int[0]|})]
        public partial class Net
        {
            [Dense(3)] public partial DenseLayer Out { get; }
        }
        """,
        "SN0016: Network 'Net' has InputShape = (): a sample has 1 to 3 dimensions: (N), (height, width) or (height, width, channels), for example new[] { 28, 28, 1 }");

    [Fact]
    public void SN0017_two_dimensional_input_to_a_dense_layer() => Verify(
        """
        using SourceNet;
        [Network(InputShape = new[] { 28, 28 })]
        public partial class Net
        {
            [{|SN0017:Dense|}(300, Activation.ReLU)] public partial DenseLayer Hidden { get; }
            [Dense(10)] public partial DenseLayer Out { get; }
        }
        """,
        "SN0017: Layer 'Hidden' is dense and takes a vector, but its input has shape (28, 28, 1); set Flatten = true on its [Dense] attribute (or add a [Flatten] layer before it) to flatten the 784 values into one vector");

    [Fact]
    public void SN0017_points_at_a_written_Flatten_false() => Verify(
        """
        using SourceNet;
        [Network(InputShape = new[] { 4, 4 }, Loss = Loss.MeanSquaredError)]
        public partial class Net
        {
            [Dense(2, {|SN0017:Flatten = false|})] public partial DenseLayer Out { get; }
        }
        """,
        "SN0017: Layer 'Out' is dense and takes a vector, but its input has shape (4, 4, 1); set Flatten = true on its [Dense] attribute (or add a [Flatten] layer before it) to flatten the 16 values into one vector");

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
        "SN0019: Layer 'Out' has weight [100000, 100000] = 10000000000 and bias [100000] = 100000 values; an array holds at most 2147483647 values; make the layer smaller (fewer units or filters, a smaller kernel) or shrink its input first (a pooling layer or a larger stride)");

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

    [Fact]
    public void SN0026_convolution_after_a_dense_layer() => Verify(
        """
        using SourceNet;
        [Network(Input = 784)]
        public partial class Net
        {
            [{|SN0026:Conv2D(8, 3)|}] public partial Conv2DLayer Conv { get; }
            [Dense(10, Flatten = true)] public partial DenseLayer Out { get; }
        }
        """,
        "SN0026: Layer 'Conv' is Conv2D and takes an image (height, width, channels), but its input has shape (784); place it before any Flatten or Dense layer, and give the network an image input, such as InputShape = new[] { 28, 28, 1 }");

    [Fact]
    public void SN0027_a_classifier_ending_in_an_image() => Verify(
        """
        using SourceNet;
        [Network(InputShape = new[] { 8, 8 })]
        public partial class Net
        {
            [{|SN0027:Conv2D(2, 3)|}] public partial Conv2DLayer Conv { get; }
        }
        """,
        "SN0027: SoftmaxCrossEntropy needs a vector of class scores, but the last layer 'Conv' outputs an image (6, 6, 2); flatten it and add a dense layer");

    [Fact]
    public void SN0024_sizes_point_at_their_arguments() => Verify(
        """
        using SourceNet;
        [Network(InputShape = new[] { 8, 8, 3 })]
        public partial class Net
        {
            [Conv2D({|SN0024:0|}, 3, 2, Stride = 1)] public partial Conv2DLayer Conv { get; }
            [AvgPool2D({|SN0024:-2|})] public partial Pool2DLayer Pool { get; }
            [Dense(10, Flatten = true)] public partial DenseLayer Out { get; }
        }
        """,
        "SN0024: Layer 'Conv' has filters = 0; it must be at least 1",
        "SN0024: Layer 'Pool' has poolSize = -2; it must be at least 1");

    [Fact]
    public void SN0024_a_negative_per_axis_stride_points_at_its_argument() => Verify(
        """
        using SourceNet;
        [Network(InputShape = new[] { 8, 8, 3 })]
        public partial class Net
        {
            [Conv2D(4, 3, {|SN0024:StrideY = -1|})] public partial Conv2DLayer Conv { get; }
            [MaxPool2D(2, {|SN0024:StrideX = -2|})] public partial Pool2DLayer Pool { get; }
            [Dense(10, Flatten = true)] public partial DenseLayer Out { get; }
        }
        """,
        "SN0024: Layer 'Conv' has StrideY = -1; it must be at least 0",
        "SN0024: Layer 'Pool' has StrideX = -2; it must be at least 0");

    [Fact]
    public void SN0007_a_layer_property_of_another_kind_names_the_right_type() => Verify(
        """
        using SourceNet;
        [Network(InputShape = new[] { 8, 8 })]
        public partial class Net
        {
            [Conv2D(2, 3)] public partial DenseLayer {|SN0007:Conv|} { get; }
            [Dense(10, Flatten = true)] public partial DenseLayer Out { get; }
        }
        """,
        "SN0007: Layer property 'Conv' has type 'SourceNet.DenseLayer' instead of Conv2DLayer, the type of a Conv2D layer; declare it as 'public partial Conv2DLayer Conv { get; }'");

    [Fact]
    public void The_deep_mnist_network_has_no_diagnostic() => Verify(Models.Cnn);

    [Fact]
    public void SN0023_kernel_larger_than_its_input_names_the_axis_and_its_size() => Verify(
        """
        using SourceNet;
        [Network(InputShape = new[] { 28, 28, 1 })]
        public partial class Net
        {
            [Conv2D(8, {|SN0023:30|})] public partial Conv2DLayer Conv { get; }
            [Dense(10, Flatten = true)] public partial DenseLayer Out { get; }
        }
        """,
        "SN0023: Layer 'Conv' has a 30x30 kernel, but its input height is 28; with Valid padding no window fits, so there is no output. Use a smaller window or Padding = Padding.Same");

    [Fact]
    public void SN0023_pool_window_wider_than_its_input_points_at_the_width() => Verify(
        """
        using SourceNet;
        [Network(InputShape = new[] { 8, 3, 2 })]
        public partial class Net
        {
            [MaxPool2D(2, {|SN0023:4|})] public partial Pool2DLayer Pool { get; }
            [Dense(10, Flatten = true)] public partial DenseLayer Out { get; }
        }
        """,
        "SN0023: Layer 'Pool' has a 2x4 window, but its input width is 3; with Valid padding no window fits, so there is no output. Use a smaller window or Padding = Padding.Same");

    [Fact]
    public void SN0025_dropout_rate_of_one() => Verify(
        """
        using SourceNet;
        [Network(Input = 4)]
        public partial class Net
        {
            [Dense(8, Activation.ReLU)] public partial DenseLayer Hidden { get; }
            [Dropout({|SN0025:1f|})] public partial DropoutLayer Drop { get; }
            [Dense(3)] public partial DenseLayer Out { get; }
        }
        """,
        "SN0025: Layer 'Drop' has a dropout rate of 1; it must be in [0, 1)");

    /// <summary>Without the check, the compiler would report CS0111 inside the generated file.</summary>
    [Fact]
    public void SN0028_constructor_with_the_generated_constructors_parameters() => Verify(
        """
        using SourceNet;
        [Network(Input = 4)]
        public partial class Net
        {
            [Dense(3)] public partial DenseLayer Out { get; }

            public {|SN0028:Net|}(int epochs, int batch) { }
        }
        """,
        "SN0028: Constructor 'Net(int, int)' has the parameters of the constructor that SourceNet generates in network 'Net' (Net(int seed = 0, int maxBatchSize = 100)); remove it, or give it other parameters and call this(seed, maxBatchSize) from it");

    [Fact]
    public void A_constructor_with_other_parameters_may_call_the_generated_one() => Verify(
        """
        using SourceNet;
        [Network(Input = 4)]
        public partial class Net
        {
            [Dense(3)] public partial DenseLayer Out { get; }

            public Net(string name) : this(seed: 1, maxBatchSize: 10) => Name = name;

            public string Name { get; } = "";
        }
        """);
}
