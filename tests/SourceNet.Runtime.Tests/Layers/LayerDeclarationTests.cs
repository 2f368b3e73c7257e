using SourceNet.Kernels;

namespace SourceNet.Runtime.Tests.Layers;

/// <summary>What a layer declares for the tools: its inputs, description, buffers and generators.</summary>
public sealed class LayerDeclarationTests
{
    [Fact]
    public void A_layer_reads_the_layer_before_it_unless_it_names_its_inputs()
    {
        var plain = new DenseLayer("Hidden", 4, 3);
        var merge = new AddLayer("Sum", LayerShape.Features(3), 2) { Inputs = ["Hidden", Layer.NetworkInput] };

        Assert.Empty(plain.Inputs);
        Assert.Equal(["Hidden", "input"], merge.Inputs);
        Assert.Equal([LayerShape.Features(3), LayerShape.Features(3)], merge.InputShapes);
        Assert.Throws<ArgumentException>(() => new DenseLayer("Bad", 4, 3) { Inputs = [""] });
    }

    [Fact]
    public void The_description_is_the_given_text_else_the_kind_and_its_settings()
    {
        var relu = new LayerActivation("ReLU", "Relu");
        var conv = new Conv2DLayer("Conv", Conv2DGeometry.Create(9, 9, 2, 4, 3, 3, 2, 2, samePadding: true), relu);
        var pool = new Pool2DLayer("Pool", Pool2DGeometry.Create(5, 5, 4, 2, 2, 2, 2, samePadding: false), Pool2DMode.Average);

        Assert.Equal("Dense, ReLU", new DenseLayer("Hidden", 4, 3, relu).Description);
        Assert.Equal("Dense", new DenseLayer("Output", 4, 3).Description);
        Assert.Equal("Conv2D 3x3, stride 2, same, ReLU", conv.Description);
        Assert.Equal("AvgPool2D 2x2, stride 2, valid", pool.Description);
        Assert.Equal("Dropout 0.25", new DropoutLayer("Drop", LayerShape.Features(3), 0.25f).Description);
        Assert.Equal("GlobalAvgPool2D", new GlobalAvgPool2DLayer("Gap", LayerShape.Image(2, 2, 3)).Description);
        Assert.Equal("Dense 3, from the kind", new DenseLayer("Hidden", 4, 3, relu) { Description = "Dense 3, from the kind" }.Description);
    }

    [Fact]
    public void Dropout_declares_its_generator_and_BatchNorm_its_buffers()
    {
        var random = new SeededRandom(1);
        var norm = new BatchNormLayer("Norm", LayerShape.Image(2, 2, 3), 0.1f, 1e-5f);

        Assert.Same(random, Assert.Single(new DropoutLayer("Drop", LayerShape.Features(3), 0.5f, random).Generators));
        Assert.Empty(new DropoutLayer("Drop", LayerShape.Features(3), 0.5f).Generators);
        Assert.Equal([norm.RunningMean, norm.RunningVariance, norm.BatchesTracked], norm.Buffers);
        Assert.Equal([BufferElementType.Float32, BufferElementType.Float32, BufferElementType.Int64], norm.Buffers.Select(b => b.ElementType));
        Assert.Equal([[3], [3], []], norm.Buffers.Select(b => b.Shape));
        Assert.Equal([0f, 0f, 0f], norm.RunningMean.Singles);
        Assert.Equal([1f, 1f, 1f], norm.RunningVariance.Singles);
        Assert.Equal(3, norm.Channels);
        Assert.Empty(new DenseLayer("Hidden", 4, 3).Buffers);
    }

    [Fact]
    public void Buffers_take_their_state_dict_names_from_the_weight_until_given_their_own()
    {
        var norm = new BatchNormLayer("Norm", LayerShape.Features(5), 0.01f, 1e-3f);
        Assert.Null(norm.RunningMean.StateDictName);

        norm.Weight.MapToStateDict("blocks.0.bn.weight");
        norm.BatchesTracked.MapToStateDict("counter");

        Assert.Equal("blocks.0.bn.running_mean", norm.RunningMean.StateDictName);
        Assert.Equal("blocks.0.bn.running_var", norm.RunningVariance.StateDictName);
        Assert.Equal("counter", norm.BatchesTracked.StateDictName);
    }

    [Fact]
    public void BatchNorm_refuses_settings_PyTorch_would_not_accept()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new BatchNormLayer("Norm", LayerShape.Features(3), 1.5f, 1e-5f));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BatchNormLayer("Norm", LayerShape.Features(3), 0.1f, 0f));
        Assert.Throws<ArgumentException>(() => new BatchNormLayer("Norm", LayerShape.Tokens(3), 0.1f, 1e-5f));
    }

    [Fact]
    public void Only_the_none_activation_is_the_identity()
    {
        Assert.True(LayerActivation.None.IsIdentity);
        Assert.False(new LayerActivation("GELU", null).IsIdentity);
        Assert.False(new LayerActivation("Swish", null, IsCustom: true).IsIdentity);
        Assert.False(new LayerActivation("ReLU", "Relu").IsIdentity);
    }

    [Fact]
    public void Parameter_fill_sets_every_value()
    {
        var parameter = new Parameter("P", 2, 3);

        parameter.Fill(1.5f);

        Assert.All(parameter.Value, v => Assert.Equal(1.5f, v));
    }
}
