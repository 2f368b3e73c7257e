using SourceNet.Generator.Diagnostics;
using SourceNet.Generator.Helpers;
using SourceNet.Generator.Model;
using SourceNet.Generator.Shapes;

namespace SourceNet.Generator.Tests.Diagnostics;

/// <summary>Shape inference as a pure function over the model: no compilation involved.</summary>
public class NetworkValidatorTests
{
    private static LayerSpec Dense(string name, int units, ActivationKind activation = ActivationKind.None, bool flatten = false) =>
        new(name, "public", units, activation, null, 0.03f, 0.03f) { Flatten = flatten };

    private static NetworkSpec Network(int input, LossKind loss, params LayerSpec[] layers) =>
        new("N", "Net", "N.Net", input, loss, layers.ToEquatableArray());

    private static string[] Ids(NetworkSpec network) => NetworkValidator.Validate(network).Select(p => p.DescriptorId).ToArray();

    [Fact]
    public void The_tutorial_network_is_valid() =>
        Assert.Empty(Ids(Network(784, LossKind.SoftmaxCrossEntropy, Dense("Hidden", 300, ActivationKind.ReLU), Dense("Output", 10))));

    [Fact]
    public void A_flattened_image_is_valid_and_a_plain_one_is_not()
    {
        NetworkSpec image = Network(0, LossKind.SoftmaxCrossEntropy, Dense("Hidden", 300, ActivationKind.ReLU, flatten: true), Dense("Output", 10))
            with { InputShape = new[] { 28, 28 }.ToEquatableArray() };
        Assert.Empty(Ids(image));

        NetworkSpec unflattened = image with { Layers = new[] { Dense("Hidden", 300, ActivationKind.ReLU), Dense("Output", 10) }.ToEquatableArray() };
        ShapeProblem problem = Assert.Single(NetworkValidator.Validate(unflattened));
        Assert.Equal(DiagnosticDescriptors.DenseNeedsVectorInputId, problem.DescriptorId);
        Assert.Equal(ProblemSite.Layer, problem.Site);
        Assert.Equal(new[] { "Hidden", "(28, 28)", "784" }, problem.Arguments.ToArray());
    }

    [Fact]
    public void Three_dimensional_input_reports_its_full_shape()
    {
        NetworkSpec volume = Network(0, LossKind.MeanSquaredError, Dense("Out", 2))
            with { InputShape = new[] { 3, 32, 32 }.ToEquatableArray() };
        ShapeProblem problem = Assert.Single(NetworkValidator.Validate(volume));
        Assert.Equal(new[] { "Out", "(3, 32, 32)", "3072" }, problem.Arguments.ToArray());
    }

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
        Assert.Empty(Ids(Network(4, LossKind.SoftmaxCrossEntropy, Dense("A", 1, ActivationKind.Sigmoid), Dense("B", 3))));
        Assert.Equal(new[] { DiagnosticDescriptors.LossNeedsLinearLastLayerId, DiagnosticDescriptors.LossOutputCountId },
            Ids(Network(4, LossKind.SoftmaxCrossEntropy, Dense("A", 3), Dense("B", 1, ActivationKind.Tanh))));
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
}
