using static SourceNet.Generator.Tests.Diagnostics.DiagnosticVerifier;

namespace SourceNet.Generator.Tests.Diagnostics;

/// <summary>The recurrent kinds' diagnostics, each at the argument at fault with its full message, and no other diagnostic.</summary>
public class RecurrentDiagnosticTests
{
    [Fact]
    public void Stacked_recurrent_layers_with_dropout_between_compile_cleanly() => Verify(
        """
        using SourceNet;
        [Network(InputSequence = new[] { 28, 28 })]
        public partial class Net
        {
            [Lstm(16, ReturnSequences = true, ForgetBias = 1f)] public partial LstmLayer First { get; }
            [Dropout(0.2f)] public partial DropoutLayer Drop { get; }
            [Gru(8)] public partial GruLayer Second { get; }
            [Dense(10)] public partial DenseLayer Output { get; }
        }
        """);

    [Fact]
    public void SN0047_an_image_is_not_a_sequence() => Verify(
        """
        using SourceNet;
        [Network(InputShape = new[] { 28, 28 })]
        public partial class Net
        {
            [{|SN0047:Lstm(16)|}] public partial LstmLayer Rows { get; }
            [Dense(10)] public partial DenseLayer Output { get; }
        }
        """,
        "SN0047: Layer 'Rows' (Lstm) takes a sequence (steps, features), but its input is an image (28, 28, 1); to read the image row by row, declare InputSequence = new[] { 28, 28 } (28 steps of 28 features) instead of InputShape");

    [Fact]
    public void SN0047_the_last_state_of_a_recurrent_layer_is_a_vector() => Verify(
        """
        using SourceNet;
        [Network(InputSequence = new[] { 6, 3 })]
        public partial class Net
        {
            [Gru(8)] public partial GruLayer First { get; }
            [{|SN0047:Gru(8)|}] public partial GruLayer Second { get; }
            [Dense(10)] public partial DenseLayer Output { get; }
        }
        """,
        "SN0047: Layer 'Second' (Gru) takes a sequence (steps, features), but its input is a vector (8); set ReturnSequences = true on the recurrent layer before it, or declare the network's input as InputSequence = new[] { steps, features } with steps x features = 8");

    [Fact]
    public void SN0003_zero_units() => Verify(
        """
        using SourceNet;
        [Network(InputSequence = new[] { 6, 3 })]
        public partial class Net
        {
            [Lstm({|SN0003:0|})] public partial LstmLayer Rows { get; }
            [Dense(10)] public partial DenseLayer Output { get; }
        }
        """,
        "SN0003: Layer 'Rows' has 0 units; a layer needs at least 1");

    [Fact]
    public void SN0016_a_sequence_of_zero_steps() => Verify(
        """
        using SourceNet;
        [Network({|SN0016:InputSequence = new[] { 0, 3 }|})]
        public partial class Net
        {
            [Lstm(4)] public partial LstmLayer Rows { get; }
            [Dense(10)] public partial DenseLayer Output { get; }
        }
        """,
        "SN0016: Network 'Net' has InputSequence = (0, 3): every dimension must be at least 1, but one is 0");

    [Fact]
    public void SN0048_a_layer_too_large_for_an_array() => Verify(
        """
        using SourceNet;
        [Network(InputSequence = new[] { 1000, 64 })]
        public partial class Net
        {
            [Lstm({|SN0048:200000|})] public partial LstmLayer Huge { get; }
            [Dense(10)] public partial DenseLayer Output { get; }
        }
        """,
        "SN0048: Layer 'Huge' (Lstm) has 200000 units on input (1000, 64); its largest tensor would hold 160000000000 values per sample, more than an array holds for a batch");

    [Fact]
    public void SN0049_an_infinite_forget_bias() => Verify(
        """
        using SourceNet;
        [Network(InputSequence = new[] { 6, 3 })]
        public partial class Net
        {
            [Lstm(4, {|SN0049:ForgetBias = float.PositiveInfinity|})] public partial LstmLayer Rows { get; }
            [Dense(10)] public partial DenseLayer Output { get; }
        }
        """,
        "SN0049: Layer 'Rows' has ForgetBias = Infinity; it must be a finite number (0 is PyTorch's default, 1 Keras's)");
}
