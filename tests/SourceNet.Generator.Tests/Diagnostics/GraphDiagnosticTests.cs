using SourceNet.Generator.Tests.Harness;
using static SourceNet.Generator.Tests.Diagnostics.DiagnosticVerifier;

namespace SourceNet.Generator.Tests.Diagnostics;

/// <summary>
/// The diagnostics of networks as graphs (layers naming their inputs, merges) and of typed shapes: each at the
/// argument at fault, with its full message, and no other diagnostic.
/// </summary>
public class GraphDiagnosticTests
{
    [Fact]
    public void A_residual_network_with_merges_compiles_cleanly() => Verify(
        """
        using SourceNet;
        [Network(InputShape = new[] { 8, 8, 1 })]
        public partial class Net
        {
            [Conv2D(4, 3, Padding = Padding.Same)] public partial Conv2DLayer Stem { get; }
            [Conv2D(4, 3, Padding = Padding.Same)] public partial Conv2DLayer Conv { get; }
            [BatchNorm] public partial BatchNormLayer Norm { get; }
            [Add(nameof(Norm), nameof(Stem), Activation = Activation.ReLU)] public partial AddLayer Sum { get; }
            [Conv2D(2, 1, From = nameof(Stem))] public partial Conv2DLayer Side { get; }
            [Concatenate(nameof(Sum), nameof(Side))] public partial ConcatenateLayer Joined { get; }
            [GlobalAvgPool2D] public partial GlobalAvgPool2DLayer Pool { get; }
            [Dense(3)] public partial DenseLayer Out { get; }
        }
        """);

    [Fact]
    public void SN0040_an_input_that_names_no_layer() => Verify(
        """
        using SourceNet;
        [Network(Input = 4)]
        public partial class Net
        {
            [Dense(3)] public partial DenseLayer Hidden { get; }
            [Dense(3, {|SN0040:From = "Hiden"|})] public partial DenseLayer Out { get; }
        }
        """,
        "SN0040: Layer 'Out' reads 'Hiden', which is not a layer of network 'Net'; name an earlier layer with nameof (earlier: Hidden), or NetworkAttribute.InputName for the network's input");

    [Fact]
    public void SN0041_reading_a_later_layer_or_itself_is_a_cycle() => Verify(
        """
        using SourceNet;
        [Network(Input = 4)]
        public partial class Net
        {
            [Dense(3, {|SN0041:From = nameof(Out)|})] public partial DenseLayer Hidden { get; }
            [Add(nameof(Hidden), {|SN0041:nameof(Sum)|})] public partial AddLayer Sum { get; }
            [Dense(3)] public partial DenseLayer Out { get; }
        }
        """,
        "SN0041: Layer 'Hidden' reads 'Out', which is declared after it; layers are computed in declaration order, so a layer reads only layers declared before it: move 'Out' above 'Hidden'",
        "SN0041: Layer 'Sum' reads 'Sum', which is declared as the layer itself; layers are computed in declaration order, so a layer reads only layers declared before it: move 'Sum' above 'Sum'");

    [Fact]
    public void SN0042_added_shapes_must_match() => Verify(
        """
        using SourceNet;
        [Network(InputShape = new[] { 8, 8 })]
        public partial class Net
        {
            [Conv2D(4, 3, Padding = Padding.Same)] public partial Conv2DLayer Wide { get; }
            [Conv2D(2, 3, Padding = Padding.Same, From = NetworkAttribute.InputName)] public partial Conv2DLayer Narrow { get; }
            [Add({|SN0042:nameof(Wide), nameof(Narrow)|})] public partial AddLayer Sum { get; }
            [GlobalAvgPool2D] public partial GlobalAvgPool2DLayer Pool { get; }
            [Dense(3)] public partial DenseLayer Out { get; }
        }
        """,
        "SN0042: Layer 'Sum' (Add) cannot combine 'Wide' (8, 8, 4) and 'Narrow' (8, 8, 2): an element-wise sum needs one shape; give the branches the same size (a 1x1 convolution on the skip path changes the channels)");

    [Fact]
    public void SN0042_concatenated_images_must_have_one_size() => Verify(
        """
        using SourceNet;
        [Network(InputShape = new[] { 8, 8 })]
        public partial class Net
        {
            [Conv2D(2, 3, Padding = Padding.Same)] public partial Conv2DLayer Full { get; }
            [Conv2D(2, 3, Stride = 2, Padding = Padding.Same)] public partial Conv2DLayer Small { get; }
            [Concatenate({|SN0042:nameof(Full), nameof(Small)|})] public partial ConcatenateLayer Joined { get; }
            [GlobalAvgPool2D] public partial GlobalAvgPool2DLayer Pool { get; }
            [Dense(3)] public partial DenseLayer Out { get; }
        }
        """,
        "SN0042: Layer 'Joined' (Concatenate) cannot combine 'Full' (8, 8, 2) and 'Small' (4, 4, 2): images are joined along the channel axis and must have the same height and width");

    [Fact]
    public void SN0043_a_layer_nothing_reads_is_a_warning_and_the_network_is_generated()
    {
        GeneratorRun run = Verify(
            """
            using SourceNet;
            [Network(Input = 4)]
            public partial class Net
            {
                [Dense(5, Activation.ReLU)] public partial DenseLayer Hidden { get; }
                [{|SN0043:Dropout(0.5f)|}] public partial DropoutLayer Drop { get; }
                [Dense(3, From = nameof(Hidden))] public partial DenseLayer Out { get; }
            }
            """,
            "SN0043: The output of layer 'Drop' is never used: no layer reads it, and only the last layer 'Out' is the network's output; remove 'Drop' or read it with From or a merge");
        Assert.Contains(run.GeneratedSources, s => s.HintName == "Net.g.cs" && s.SourceText.ToString().Contains("RunBackward", StringComparison.Ordinal));
    }

    [Fact]
    public void SN0044_a_second_head_with_parameters_is_an_error() => Verify(
        """
        using SourceNet;
        [Network(Input = 4)]
        public partial class Net
        {
            [Dense(5, Activation.ReLU)] public partial DenseLayer Hidden { get; }
            [{|SN0044:Dense(2, From = nameof(Hidden))|}] public partial DenseLayer Auxiliary { get; }
            [Dense(3, From = nameof(Hidden))] public partial DenseLayer Out { get; }
        }
        """,
        "SN0044: Network 'Net' has 2 outputs (Auxiliary, Out), but SoftmaxCrossEntropy trains one: the parameters of 'Auxiliary' would never get a gradient; make the last layer read 'Auxiliary' (through a merge) or remove it");

    [Fact]
    public void SN0045_a_merge_of_one() => Verify(
        """
        using SourceNet;
        [Network(Input = 4)]
        public partial class Net
        {
            [Dense(3)] public partial DenseLayer Hidden { get; }
            [Add({|SN0045:nameof(Hidden)|})] public partial AddLayer Sum { get; }
            [Dense(3)] public partial DenseLayer Out { get; }
        }
        """,
        "SN0045: Layer 'Sum' (Add) names only 'Hidden'; a merge combines at least two earlier layers: [Add(nameof(A), nameof(B))]");

    [Fact]
    public void SN0046_token_ids_need_an_embedding() => Verify(
        """
        using SourceNet;
        [Network(InputTokens = 12)]
        public partial class Net
        {
            [{|SN0046:Dense(3)|}] public partial DenseLayer Out { get; }
        }
        """,
        "SN0046: Layer 'Out' (Dense) takes float values, but its input is token ids (12) int; token ids enter a network through an embedding layer");

    [Fact]
    public void SN0005_looks_through_dropout_to_the_layer_that_made_the_logits() => Verify(
        """
        using SourceNet;
        [Network(Input = 4)]
        public partial class Net
        {
            [Dense(3, {|SN0005:Activation.ReLU|})] public partial DenseLayer Out { get; }
            [Dropout(0.5f)] public partial DropoutLayer Drop { get; }
        }
        """,
        "SN0005: Layer 'Out' applies ReLU, but SoftmaxCrossEntropy expects raw logits (they reach the loss through 'Drop'): remove the activation");

    [Fact]
    public void SN0016_a_sequence_input_has_two_dimensions() => Verify(
        """
        using SourceNet;
        [Network({|SN0016:InputSequence = new[] { 28, 28, 1 }|})]
        public partial class Net
        {
            [Dense(3)] public partial DenseLayer Out { get; }
        }
        """,
        "SN0016: Network 'Net' has InputSequence = (28, 28, 1): a sequence is (steps, features), two dimensions");
}
