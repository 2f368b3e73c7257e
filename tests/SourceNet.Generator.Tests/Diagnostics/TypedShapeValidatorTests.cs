using SourceNet.Generator.Diagnostics;
using SourceNet.Generator.Helpers;
using SourceNet.Generator.Layers;
using SourceNet.Generator.Model;
using SourceNet.Generator.Shapes;

namespace SourceNet.Generator.Tests.Diagnostics;

/// <summary>
/// Typed shapes and graph wiring through the validator alone (no compilation): sequences and token ids as inputs,
/// which kinds take them, how inputs resolve to earlier layers, and what a merge infers.
/// </summary>
public class TypedShapeValidatorTests
{
    private static DenseSpec Dense(string name, int units, params string[] from) =>
        new DenseSpec(name, "public", units, ActivationSpec.None, 0.03f, 0.03f, false) { Sources = from.ToEquatableArray() };

    private static Conv2DSpec Conv(string name, int filters, params string[] from) =>
        new Conv2DSpec(name, "public", filters, 3, 3, 1, true, ActivationSpec.None, 0.03f, 0.03f) { Sources = from.ToEquatableArray() };

    private static NetworkSpec Network(LayerSpec[] layers, int[]? shape = null, int[]? sequence = null, int tokens = 0, int input = 0) =>
        new("N", "Net", "N.Net", input, (shape ?? []).ToEquatableArray(), (sequence ?? []).ToEquatableArray(), tokens,
            LossKind.SoftmaxCrossEntropy, layers.SelectMany(l => l.Kind.Expand(l)).ToEquatableArray());

    private static NetworkValidator.Result Validate(NetworkSpec network) => NetworkValidator.Validate(network);

    [Fact]
    public void A_sequence_is_typed_and_flattens_into_a_vector()
    {
        NetworkValidator.Result result = Validate(Network([new FlattenSpec("Flat", "public", null), Dense("Out", 10)], sequence: [28, 5]));
        Assert.Empty(result.Problems);
        Assert.Equal(Shape.Sequence(28, 5), result.Network.Input);
        Assert.Equal("(28, 5)", result.Network.Input!.ToString());
        Assert.Equal(140, result.Network.Layers[0].Out.Elements);
        Assert.Null(result.Network.Layers[0].Out.FlattenedFrom); // only images are flattened channels-first by PyTorch
        Assert.Equal("global::SourceNet.LayerShape.Sequence(28, 5)", Shape.Sequence(28, 5).RuntimeExpression);
    }

    [Fact]
    public void A_dense_layer_applies_per_step_to_a_sequence_and_a_convolution_does_not_take_one()
    {
        NetworkValidator.Result perStep = Validate(Network([Dense("Out", 10)], sequence: [28, 5]) with { Loss = LossKind.SoftmaxCrossEntropyPerStep });
        Assert.Empty(perStep.Problems);
        Assert.Equal(Shape.Sequence(28, 10), perStep.Network.Layers[0].Out);
        Assert.Equal(5 * 10 + 10, perStep.Network.ParameterCount); // one weight for every step
        // The one-label loss cannot score a sequence of logits.
        Assert.Equal(new[] { DiagnosticDescriptors.LossLabelsMismatchId },
            Validate(Network([Dense("Out", 10)], sequence: [28, 5])).Problems.Select(p => p.DescriptorId));
        Assert.Equal(new[] { DiagnosticDescriptors.DenseNeedsVectorInputId },
            Validate(Network([Dense("Out", 10)], shape: [4, 4, 2])).Problems.Select(p => p.DescriptorId));
        Assert.Equal(new[] { DiagnosticDescriptors.NeedsImageInputId },
            Validate(Network([Conv("Conv", 2), new FlattenSpec("Flat", "public", null), Dense("Out", 10)], sequence: [28, 5])).Problems.Select(p => p.DescriptorId));
    }

    [Fact]
    public void Token_ids_are_integers_that_only_an_embedding_reads()
    {
        NetworkValidator.Result result = Validate(Network([Dense("Out", 10)], tokens: 12));
        Assert.Equal(Shape.Tokens(12), result.Network.Input);
        Assert.True(result.Network.Input!.IsIntegral);
        Assert.Equal("int", result.Network.Input.ElementType);
        Assert.Equal("(12) int", result.Network.Input.ToString());
        ShapeProblem problem = Assert.Single(result.Problems);
        Assert.Equal(DiagnosticDescriptors.NeedsFloatInputId, problem.DescriptorId);
        Assert.Equal(new[] { "Out", "Dense", "token ids (12) int" }, problem.Arguments.ToArray());
    }

    [Theory]
    [InlineData(new[] { 28 }, "a sequence is (steps, features), two dimensions")]
    [InlineData(new[] { 28, 0 }, "every dimension must be at least 1, but one is 0")]
    public void A_sequence_input_needs_two_positive_dimensions(int[] sequence, string reason)
    {
        ShapeProblem problem = Assert.Single(Validate(Network([Dense("Out", 10)], sequence: sequence)).Problems);
        Assert.Equal(DiagnosticDescriptors.InvalidInputShapeId, problem.DescriptorId);
        Assert.Equal("InputSequence", problem.Argument);
        Assert.Equal(reason, problem.Arguments[2]);
    }

    [Fact]
    public void Only_one_kind_of_input_may_be_declared()
    {
        ShapeProblem problem = Assert.Single(Validate(Network([Dense("Out", 10)], shape: [28, 28], tokens: 5)).Problems);
        Assert.Equal(DiagnosticDescriptors.InvalidInputShapeId, problem.DescriptorId);
    }

    [Fact]
    public void Inputs_resolve_to_earlier_layers_and_merges_infer_their_shape()
    {
        LayerSpec[] layers =
        [
            Conv("Stem", 4),
            Conv("Branch", 4),
            new AddSpec("Sum", "public", ActivationSpec.None) { Sources = new[] { "Branch", "Stem" }.ToEquatableArray() },
            Conv("Side", 3, "Stem"),
            new ConcatenateSpec("Joined", "public") { Sources = new[] { "Sum", "Side", "input" }.ToEquatableArray() },
            new GlobalAvgPool2DSpec("Pool", "public"),
            Dense("Out", 10),
        ];
        NetworkValidator.Result result = Validate(Network(layers, shape: [6, 6, 2]));
        Assert.Empty(result.Problems);
        LayerSpec[] inferred = result.Network.Layers.ToArray();
        Assert.Equal(new[] { -1 }, inferred[0].InputIndices.ToArray());
        Assert.Equal(new[] { 1, 0 }, inferred[2].InputIndices.ToArray());
        Assert.Equal(new[] { 0 }, inferred[3].InputIndices.ToArray());
        Assert.Equal(new[] { 2, 3, -1 }, inferred[4].InputIndices.ToArray());
        Assert.Equal(Shape.Image(6, 6, 4 + 3 + 2), inferred[4].Out);
        Assert.Equal(Shape.Features(9), inferred[5].Out);
    }

    [Fact]
    public void A_merge_of_vectors_and_an_image_is_reported_once()
    {
        LayerSpec[] layers =
        [
            Conv("Image", 2),
            new FlattenSpec("Flat", "public", null),
            new ConcatenateSpec("Joined", "public") { Sources = new[] { "Flat", "Image" }.ToEquatableArray() },
            Dense("Out", 10),
        ];
        Assert.Equal(new[] { DiagnosticDescriptors.MergeShapeMismatchId },
            Validate(Network(layers, shape: [4, 4, 1])).Problems.Select(p => p.DescriptorId));
    }
}
