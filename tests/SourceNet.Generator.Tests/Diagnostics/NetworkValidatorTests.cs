using SourceNet.Generator.Diagnostics;
using SourceNet.Generator.Helpers;
using SourceNet.Generator.Layers;
using SourceNet.Generator.Model;
using SourceNet.Generator.Shapes;

namespace SourceNet.Generator.Tests.Diagnostics;

/// <summary>Shape inference as a pure function over the model: no compilation involved.</summary>
public class NetworkValidatorTests
{
    private static readonly ActivationSpec Relu = new("ReLU", "global::SourceNet.Kernels.ReluActivation", "Relu", false, null);
    private static readonly ActivationSpec Sigmoid = new("Sigmoid", "global::SourceNet.Kernels.SigmoidActivation", "Sigmoid", false, null);
    private static readonly ActivationSpec Tanh = new("Tanh", "global::SourceNet.Kernels.TanhActivation", "Tanh", false, null);

    private static DenseSpec Dense(string name, int units, ActivationSpec? activation = null, bool flatten = false) =>
        new(name, "public", units, activation ?? ActivationSpec.None, 0.03f, 0.03f, flatten);

    private static Conv2DSpec Conv(string name, int filters, int kh, int kw, int stride = 1, bool same = false) =>
        new(name, "public", filters, kh, kw, stride, same, Relu, 0.03f, 0.03f);

    private static Pool2DSpec Pool(string name, int size, int stride = 0, bool same = false, bool max = true) =>
        new(name, "public", max, size, size, stride, same);

    private static NetworkSpec Network(int input, LossKind loss, params LayerSpec[] layers) =>
        new("N", "Net", "N.Net", input, EquatableArray<int>.Empty, EquatableArray<int>.Empty, 0, loss, layers.SelectMany(l => l.Kind.Expand(l)).ToEquatableArray());

    private static NetworkSpec Image(int[] shape, LossKind loss, params LayerSpec[] layers) =>
        Network(0, loss, layers) with { DeclaredInputShape = shape.ToEquatableArray() };

    private static string[] Ids(NetworkSpec network) => NetworkValidator.Validate(network).Problems.Select(p => p.DescriptorId).ToArray();

    [Fact]
    public void The_tutorial_network_is_valid() =>
        Assert.Empty(Ids(Network(784, LossKind.SoftmaxCrossEntropy, Dense("Hidden", 300, Relu), Dense("Output", 10))));

    [Fact]
    public void A_flattened_image_is_valid_and_a_plain_one_is_not()
    {
        NetworkSpec image = Image([28, 28], LossKind.SoftmaxCrossEntropy, Dense("Hidden", 300, Relu, flatten: true), Dense("Output", 10));
        Assert.Empty(Ids(image));

        NetworkSpec unflattened = Image([28, 28], LossKind.SoftmaxCrossEntropy, Dense("Hidden", 300, Relu), Dense("Output", 10));
        ShapeProblem problem = Assert.Single(NetworkValidator.Validate(unflattened).Problems);
        Assert.Equal(DiagnosticDescriptors.DenseNeedsVectorInputId, problem.DescriptorId);
        Assert.Equal("Flatten", problem.Argument); // where the fix goes: Flatten = false if written, else the attribute's name

        Assert.Equal(new[] { "Hidden", "(28, 28, 1)", "784" }, problem.Arguments.ToArray());
    }

    [Fact]
    public void Flatten_true_is_an_explicit_step_in_the_spec()
    {
        NetworkSpec network = Image([28, 28], LossKind.SoftmaxCrossEntropy, Dense("Hidden", 300, Relu, flatten: true), Dense("Output", 10));
        NetworkSpec inferred = NetworkValidator.Validate(network).Network;
        Assert.Equal(3, inferred.Layers.Count);
        LayerSpec flatten = inferred.Layers[0];
        Assert.Same(FlattenKind.Instance, flatten.Kind);
        Assert.False(flatten.HasProperty);
        Assert.Equal(Shape.Image(28, 28, 1), flatten.Input);
        Assert.Equal(784, flatten.Out.Elements);
        Assert.Equal(Shape.Image(28, 28, 1), flatten.Out.FlattenedFrom);
    }

    [Fact]
    public void Three_dimensional_input_is_an_image_with_channels()
    {
        NetworkSpec volume = Image([3, 32, 32], LossKind.MeanSquaredError, Dense("Out", 2));
        ShapeProblem problem = Assert.Single(NetworkValidator.Validate(volume).Problems);
        Assert.Equal(new[] { "Out", "(3, 32, 32)", "3072" }, problem.Arguments.ToArray());
    }

    [Fact]
    public void Four_dimensional_input_is_rejected() =>
        Assert.Equal(new[] { DiagnosticDescriptors.InvalidInputShapeId }, Ids(Image([2, 3, 4, 5], LossKind.MeanSquaredError, Dense("Out", 2))));

    [Fact]
    public void A_bad_width_stops_inference_instead_of_cascading()
    {
        // Only the zero-unit layer is reported: the layer after it has an unknown input, not a wrong one.
        Assert.Equal(new[] { DiagnosticDescriptors.NonPositiveUnitsId },
            Ids(Network(4, LossKind.MeanSquaredError, Dense("A", 0), Dense("B", 3, flatten: true))));
    }

    [Fact]
    public void Softmax_cross_entropy_checks_only_the_last_layer()
    {
        Assert.Empty(Ids(Network(4, LossKind.SoftmaxCrossEntropy, Dense("A", 1, Sigmoid), Dense("B", 3))));
        Assert.Equal(new[] { DiagnosticDescriptors.LossNeedsLinearLastLayerId, DiagnosticDescriptors.LossOutputCountId },
            Ids(Network(4, LossKind.SoftmaxCrossEntropy, Dense("A", 3), Dense("B", 1, Tanh))));
    }

    [Fact]
    public void Parameter_overflow_is_caught_per_layer_and_for_the_network()
    {
        Assert.Equal(new[] { DiagnosticDescriptors.LayerTooLargeId },
            Ids(Network(65536, LossKind.MeanSquaredError, Dense("Huge", 65536))));
        // Each layer fits; together they pass int.MaxValue.
        Assert.Equal(new[] { DiagnosticDescriptors.LayerTooLargeId },
            Ids(Network(40000, LossKind.MeanSquaredError, Dense("A", 40000), Dense("B", 40000))));
    }

    [Fact]
    public void The_deep_mnist_network_infers_every_shape()
    {
        NetworkSpec network = Image([28, 28, 1], LossKind.SoftmaxCrossEntropy,
            Conv("Conv1", 32, 5, 5, same: true), Pool("Pool1", 2),
            Conv("Conv2", 64, 5, 5, same: true), Pool("Pool2", 2),
            new FlattenSpec("Flat", "public", null),
            Dense("Hidden", 1024, Relu), new DropoutSpec("Drop", "public", 0.5f), Dense("Output", 10));
        NetworkValidator.Result result = NetworkValidator.Validate(network);
        Assert.Empty(result.Problems);
        Shape[] outputs = result.Network.Layers.Select(l => l.Out).ToArray();
        Assert.Equal(
            new[] { Shape.Image(28, 28, 32), Shape.Image(14, 14, 32), Shape.Image(14, 14, 64), Shape.Image(7, 7, 64), Shape.Features(3136), Shape.Features(1024), Shape.Features(1024), Shape.Features(10) },
            outputs.Select(o => o with { FlattenedFrom = null }).ToArray());
        // 5·5·1·32 + 32, 5·5·32·64 + 64, 3136·1024 + 1024, 1024·10 + 10: the deep MNIST network's 3,274,634.
        Assert.Equal(3_274_634, result.Network.ParameterCount);
    }

    [Theory]
    // input, kernel, stride, same -> output (TensorFlow's rules)
    [InlineData(7, 3, 2, false, 3)]
    [InlineData(7, 3, 2, true, 4)]
    [InlineData(5, 5, 1, false, 1)]
    [InlineData(5, 2, 3, false, 2)]
    [InlineData(1, 4, 1, true, 1)]
    public void Convolution_output_size_follows_the_padding_rule(int input, int kernel, int stride, bool same, int expected)
    {
        NetworkSpec network = Image([input, input, 3], LossKind.MeanSquaredError, Conv("C", 2, kernel, kernel, stride, same));
        NetworkValidator.Result result = NetworkValidator.Validate(network);
        Assert.Empty(result.Problems);
        Assert.Equal(Shape.Image(expected, expected, 2), result.Network.Layers[0].Out);
    }

    [Fact]
    public void A_kernel_larger_than_its_valid_input_is_reported_with_the_numbers()
    {
        NetworkSpec network = Image([5, 7], LossKind.MeanSquaredError, Conv("C", 2, 6, 3), new FlattenSpec("F", "public", null), Dense("Out", 1));
        ShapeProblem problem = Assert.Single(NetworkValidator.Validate(network).Problems);
        Assert.Equal(DiagnosticDescriptors.WindowTooLargeId, problem.DescriptorId);
        // The message's arguments in its order: "Layer 'C' has a 6x3 kernel, but its input height is 5", on the kernel's height.
        Assert.Equal(new[] { "C", "a 6x3 kernel", "height", "5" }, problem.Arguments.ToArray());
        Assert.Equal("kernelSize", problem.Argument);
        // Same padding pads the input, so the same kernel fits.
        Assert.Empty(Ids(Image([5, 7], LossKind.MeanSquaredError, Conv("C", 2, 6, 3, same: true), new FlattenSpec("F", "public", null), Dense("Out", 1))));
    }

    [Fact]
    public void A_pool_larger_than_its_input_is_reported() =>
        Assert.Equal(new[] { DiagnosticDescriptors.WindowTooLargeId },
            Ids(Image([3, 3, 1], LossKind.MeanSquaredError, Pool("P", 4), new FlattenSpec("F", "public", null), Dense("Out", 1))));

    [Fact]
    public void Zero_and_negative_sizes_are_reported_per_argument()
    {
        NetworkValidator.Result result = NetworkValidator.Validate(Image([8, 8], LossKind.MeanSquaredError,
            Conv("C", 0, 3, 3, stride: -1), Pool("P", 0, stride: -2), new FlattenSpec("F", "public", null), Dense("Out", 1)));
        Assert.Equal(new[] { "filters", "Stride", "poolSize", "Stride" }, result.Problems.Select(p => p.Argument).ToArray());
        Assert.All(result.Problems, p => Assert.Equal(DiagnosticDescriptors.NonPositiveSizeId, p.DescriptorId));
    }

    [Theory]
    [InlineData(1f)]
    [InlineData(-0.1f)]
    [InlineData(float.NaN)]
    public void A_dropout_rate_outside_zero_to_one_is_reported(float rate) =>
        Assert.Equal(new[] { DiagnosticDescriptors.InvalidDropoutRateId },
            Ids(Network(4, LossKind.MeanSquaredError, Dense("A", 3), new DropoutSpec("D", "public", rate), Dense("B", 1))));

    [Fact]
    public void Convolution_after_a_vector_needs_an_image()
    {
        ShapeProblem problem = Assert.Single(NetworkValidator.Validate(Network(16, LossKind.MeanSquaredError, Conv("C", 2, 3, 3), new FlattenSpec("F", "public", null), Dense("Out", 1))).Problems);
        Assert.Equal(DiagnosticDescriptors.NeedsImageInputId, problem.DescriptorId);
        Assert.Equal(new[] { "C", "Conv2D", "(16)", "{ 4, 4, 1 }" }, problem.Arguments.ToArray());
    }

    [Fact]
    public void A_classifier_ending_in_an_image_is_reported() =>
        Assert.Equal(new[] { DiagnosticDescriptors.LossNeedsVectorOutputId },
            Ids(Image([8, 8], LossKind.SoftmaxCrossEntropy, Conv("C", 2, 3, 3) with { Function = ActivationSpec.None })));

    [Fact]
    public void Flatten_of_a_vector_is_a_warning_naming_the_dense_layer()
    {
        ShapeProblem problem = Assert.Single(NetworkValidator.Validate(Network(4, LossKind.MeanSquaredError, Dense("Out", 3, flatten: true))).Problems);
        Assert.Equal(DiagnosticDescriptors.FlattenHasNoEffectId, problem.DescriptorId);
        Assert.Equal(new[] { "Out", "4" }, problem.Arguments.ToArray());
    }

    [Fact]
    public void Parameters_carry_pytorch_names_and_layouts()
    {
        NetworkSpec network = NetworkValidator.Validate(Image([6, 5, 3], LossKind.SoftmaxCrossEntropy,
            Conv("Conv1", 4, 3, 2), new FlattenSpec("Flat", "public", null), Dense("Output", 10))).Network;
        ParameterSpec convWeight = network.Layers[0].Kind.Parameters(network.Layers[0])[0];
        Assert.Equal("conv1.weight", convWeight.StateDictName);
        Assert.Equal(new[] { 3, 2, 3, 4 }, convWeight.StorageShape.ToArray());
        Assert.Equal(new[] { 3, 2, 0, 1 }, convWeight.StateDictAxes.ToArray());
        ParameterSpec denseWeight = network.Layers[2].Kind.Parameters(network.Layers[2])[0];
        Assert.Equal("output.weight", denseWeight.StateDictName);
        // The dense layer sees a flattened (4, 4, 4) image: PyTorch's flatten is channels-first.
        Assert.Equal(new[] { 4, 4, 4, 10 }, denseWeight.StorageShape.ToArray());
        Assert.Equal(new[] { 3, 2, 0, 1 }, denseWeight.StateDictAxes.ToArray());
    }
}
