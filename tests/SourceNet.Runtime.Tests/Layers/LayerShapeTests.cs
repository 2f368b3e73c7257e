namespace SourceNet.Runtime.Tests.Layers;

/// <summary>Typed shapes: kind, rank, element type, dimensions and text, for the vector, image, sequence and token kinds.</summary>
public sealed class LayerShapeTests
{
    public static TheoryData<string, ShapeKind, int, ShapeElementType, int[], string> Shapes => new()
    {
        { "vector", ShapeKind.Vector, 1, ShapeElementType.Float32, [300], "(300)" },
        { "image", ShapeKind.Image, 3, ShapeElementType.Float32, [28, 27, 3], "(28, 27, 3)" },
        { "sequence", ShapeKind.Sequence, 2, ShapeElementType.Float32, [7, 5], "(7, 5)" },
        { "tokens", ShapeKind.Tokens, 1, ShapeElementType.Int32, [9], "(9) int" },
    };

    private static LayerShape Make(string kind) => kind switch
    {
        "vector" => LayerShape.Features(300),
        "image" => LayerShape.Image(28, 27, 3),
        "sequence" => LayerShape.Sequence(7, 5),
        _ => LayerShape.Tokens(9),
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Each_shape_knows_its_kind_rank_type_dimensions_and_text(string kind, ShapeKind expectedKind, int rank, ShapeElementType type, int[] dimensions, string text)
    {
        LayerShape shape = Make(kind);

        Assert.Equal(expectedKind, shape.Kind);
        Assert.Equal(rank, shape.Rank);
        Assert.Equal(type, shape.ElementType);
        Assert.Equal(dimensions, shape.Dimensions);
        Assert.Equal(dimensions.Aggregate(1, (a, b) => a * b), shape.Elements);
        Assert.Equal(text, shape.ToString());
        Assert.Equal(kind == "image", shape.IsImage);
    }

    [Fact]
    public void Shapes_of_other_kinds_with_the_same_sizes_differ()
    {
        Assert.NotEqual(LayerShape.Features(9), LayerShape.Tokens(9));
        Assert.NotEqual(LayerShape.Sequence(1, 9), LayerShape.Features(9));
        Assert.NotEqual(LayerShape.Image(1, 1, 9), LayerShape.Features(9));
        Assert.Equal(LayerShape.Sequence(3, 4), LayerShape.Sequence(3, 4));
    }

    [Fact]
    public void Sizes_must_be_positive()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => LayerShape.Sequence(0, 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => LayerShape.Sequence(4, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => LayerShape.Tokens(0));
    }
}
