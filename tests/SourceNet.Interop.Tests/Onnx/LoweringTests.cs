using SourceNet.Export;
using SourceNet.Interop.Tests.Networks;
using SourceNet.Kernels;
using SourceNet.Onnx.Protos;

namespace SourceNet.Interop.Tests.Onnx;

/// <summary>
/// Every layer kind's own lowering (<see cref="Layer.Lower"/>), run in ONNX Runtime against the naive double
/// reference, in graphs with skip connections and merges; and what cannot be lowered fails clearly, never as the identity.
/// </summary>
public sealed class LoweringTests
{
    private static readonly LayerActivation s_relu = new("ReLU", "Relu");

    /// <summary>
    /// A residual block and a channel merge on images: Conv → BatchNorm → Conv, Add(skip), Concatenate, global average
    /// pooling, BatchNorm on the vector, Dense.
    /// </summary>
    internal static GraphNetwork ResidualNetwork()
    {
        var conv1 = new Conv2DLayer("Conv1", Conv2DGeometry.Create(6, 5, 2, 4, 3, 3, 1, 1, samePadding: true), s_relu);
        var norm = new BatchNormLayer("Norm", conv1.OutputShape, momentum: 0.1f, epsilon: 1e-3f);
        var conv2 = new Conv2DLayer("Conv2", Conv2DGeometry.Create(6, 5, 4, 4, 3, 3, 1, 1, samePadding: true), s_relu);
        var skip = new AddLayer("Skip", conv1.OutputShape, 2) { Inputs = ["Conv1", "Conv2"] };
        var join = new ConcatenateLayer("Join", [skip.OutputShape, norm.OutputShape], LayerShape.Image(6, 5, 8)) { Inputs = ["Skip", "Norm"] };
        var gap = new GlobalAvgPool2DLayer("Gap", join.OutputShape);
        var norm2 = new BatchNormLayer("Norm2", gap.OutputShape, momentum: 0.01f, epsilon: 1e-5f);
        var output = new DenseLayer("Output", 8, 3);
        return new GraphNetwork(6 * 5 * 2, conv1, norm, conv2, skip, join, gap, norm2, output);
    }

    [Fact]
    public void A_residual_network_with_merges_runs_in_ONNX_Runtime_as_the_reference_computes_it()
    {
        GraphNetwork network = ResidualNetwork().Randomize(11);

        AssertMatchesReference(network, count: 5);
    }

    [Fact]
    public void Merges_of_vectors_read_the_network_input_directly()
    {
        var a = new DenseLayer("A", 5, 4, s_relu);
        var b = new DenseLayer("B", 5, 4) { Inputs = [Layer.NetworkInput] };
        var sum = new AddLayer("Sum", LayerShape.Features(4), 3) { Inputs = ["A", "B", "A"] };
        var join = new ConcatenateLayer("Join", [LayerShape.Features(4), LayerShape.Features(5)], LayerShape.Features(9)) { Inputs = ["Sum", Layer.NetworkInput] };
        var norm = new BatchNormLayer("Norm", join.OutputShape, 0.1f, 1e-5f);
        var output = new DenseLayer("Output", 9, 2);
        GraphNetwork network = new GraphNetwork(5, a, b, sum, join, norm, output).Randomize(12);

        AssertMatchesReference(network, count: 6);
    }

    [Fact]
    public void An_image_skip_from_the_flat_input_is_added_to_a_conv_output()
    {
        // The input arrives as [N, 75] channels-last; Add brings it to NCHW beside the convolution's output.
        var conv = new Conv2DLayer("Conv", Conv2DGeometry.Create(5, 5, 3, 3, 2, 2, 1, 1, samePadding: true), s_relu);
        var skip = new AddLayer("Skip", conv.OutputShape, 2) { Inputs = [Layer.NetworkInput, "Conv"] };
        var pool = new Pool2DLayer("Pool", Pool2DGeometry.Create(5, 5, 3, 2, 2, 2, 2, samePadding: true), Pool2DMode.Max);
        var flatten = new FlattenLayer("Flatten", pool.OutputShape);
        var drop = new DropoutLayer("Drop", flatten.OutputShape, 0.5f);
        var output = new DenseLayer("Output", flatten.OutputShape.Elements, 4);
        GraphNetwork network = new GraphNetwork(75, conv, skip, pool, flatten, drop, output).Randomize(13);

        AssertMatchesReference(network, count: 4);
    }

    [Fact]
    public void Each_kind_lowers_to_its_standard_operators()
    {
        ModelProto model = ModelProto.Parser.ParseFrom(OnnxRunner.Export(ResidualNetwork().Randomize(1)));

        string[] ops = [.. model.Graph.Node.Select(n => n.OpType)];
        Assert.Equal(2, ops.Count(op => op == "BatchNormalization"));
        Assert.Contains("Add", ops);
        Assert.Contains("Concat", ops);
        Assert.Contains("GlobalAveragePool", ops);
        // Images stay NCHW from the first convolution to the pooling: one transpose in, none between the layers.
        Assert.Equal(1, ops.Count(op => op == "Transpose"));
        NodeProto norm = model.Graph.Node.First(n => n.OpType == "BatchNormalization");
        Assert.Equal(1e-3f, norm.Attribute.Single(a => a.Name == "epsilon").F);
        Assert.Equal(1, model.Graph.Node.Single(n => n.OpType == "Concat").Attribute.Single(a => a.Name == "axis").I);
    }

    /// <summary>A kind that forgot its lowering.</summary>
    private sealed class UnloweredLayer(string name, LayerShape shape) : Layer(name, shape, shape);

    [Fact]
    public void A_kind_without_a_lowering_fails_at_export_naming_the_layer()
    {
        var network = new GraphNetwork(4, new DenseLayer("Hidden", 4, 4), new UnloweredLayer("Mystery", LayerShape.Features(4)));

        var error = Assert.Throws<NotSupportedException>(() => OnnxRunner.Export(network));

        Assert.Contains("'Mystery'", error.Message);
        Assert.Contains(nameof(UnloweredLayer), error.Message);
        Assert.Contains("no ONNX lowering", error.Message);
    }

    [Fact]
    public void A_built_in_activation_without_an_operator_fails_at_export_and_is_not_the_identity()
    {
        var gelu = new LayerActivation("GELU", null);
        var network = new GraphNetwork(3, new DenseLayer("Hidden", 3, 4, gelu), new DenseLayer("Output", 4, 2));

        var error = Assert.Throws<NotSupportedException>(() => OnnxRunner.Export(network));

        Assert.False(gelu.IsIdentity);
        Assert.True(LayerActivation.None.IsIdentity);
        Assert.Contains("'Hidden'", error.Message);
        Assert.Contains("'GELU'", error.Message);
    }

    [Fact]
    public void A_layer_reading_a_later_or_unknown_value_is_a_clear_error()
    {
        var first = new DenseLayer("First", 3, 3) { Inputs = ["Second"] };
        var network = new GraphNetwork(3, first, new DenseLayer("Second", 3, 2));

        var error = Assert.Throws<InvalidOperationException>(() => OnnxRunner.Export(network));

        Assert.Contains("'First' reads 'Second'", error.Message);
    }

    [Fact]
    public void Concatenate_and_Add_check_their_shapes()
    {
        Assert.Throws<ArgumentException>(() => new ConcatenateLayer("Join", [LayerShape.Image(4, 4, 2), LayerShape.Image(3, 4, 2)], LayerShape.Image(4, 4, 4)));
        Assert.Throws<ArgumentException>(() => new ConcatenateLayer("Join", [LayerShape.Features(2), LayerShape.Features(3)], LayerShape.Features(6)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AddLayer("Sum", LayerShape.Features(2), 1));
        Assert.Throws<ArgumentException>(() => new GlobalAvgPool2DLayer("Gap", LayerShape.Features(8)));
    }

    private static void AssertMatchesReference(GraphNetwork network, int count)
    {
        var inputs = new float[count * network.InputSize];
        new SeededRandom(7).FillNormal(inputs, 0f, 1f);

        float[] expected = network.ReferenceForward(inputs, count);
        float[] actual = OnnxRunner.Run(OnnxRunner.Export(network), inputs, count, network.InputSize);

        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-4f * (1 + Math.Abs(expected[i])), $"output {i}: reference {expected[i]}, ONNX Runtime {actual[i]}");
        }
        Assert.Contains(expected, v => Math.Abs(v) > 1e-3f);
    }
}
