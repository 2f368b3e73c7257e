namespace SourceNet.Integration.Tests.Convolution;

/// <summary>
/// StrideY and StrideX reach the runtime geometry as written, and the generated forward and backward passes at
/// unequal strides agree with the double-precision reference (values and finite-difference gradients).
/// </summary>
public class UnequalStrideTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    public void Gradients_at_unequal_strides_match_finite_differences(int batch)
    {
        var network = new UnequalStrideCnn(seed: 9, maxBatchSize: 5);
        ConvolutionGradientTests.CheckEveryGradient(network, (x, y) => network.ComputeGradients(x, y), batch, seed: 80 + batch);
    }

    [Fact]
    public void Each_axis_gets_its_own_stride()
    {
        var network = new UnequalStrideCnn();
        Assert.Equal((2, 1), (network.Conv.Geometry.StrideY, network.Conv.Geometry.StrideX));
        Assert.Equal((5, 8), (network.Conv.Geometry.OutputHeight, network.Conv.Geometry.OutputWidth));
        Assert.Equal((1, 2), (network.Pool.Geometry.StrideY, network.Pool.Geometry.StrideX));
        Assert.Equal((4, 4), (network.Pool.Geometry.OutputHeight, network.Pool.Geometry.OutputWidth));
        Assert.Equal((1, 2), (network.Conv2.Geometry.StrideY, network.Conv2.Geometry.StrideX));
        Assert.Equal((3, 2), (network.Conv2.Geometry.OutputHeight, network.Conv2.Geometry.OutputWidth));
        Assert.Equal("Conv2D 3x2, stride 2x1, same, Tanh", network.Conv.Description);
        Assert.Equal("MaxPool2D 2x2, stride 1x2, valid", network.Pool.Description);
    }
}
