using System;

namespace SourceNet.Integration.Tests.Differentiable;

/// <summary>The tutorial's graph, section 2: a = (b + c) * (c + 2).</summary>
public class TutorialGradientTests
{
    [Fact]
    public void Value_and_gradient_at_b2_c1()
    {
        float a = FloatOps.TutorialWithGradient(2f, 1f, out float dB, out float dC);
        Assert.Equal(9f, a);
        Assert.Equal(3f, dB); // ∂a/∂b = e = c + 2
        Assert.Equal(6f, dC); // ∂a/∂c = e + d = (c + 2) + (b + c)
    }

    [Fact]
    public void Companion_returns_exactly_what_the_method_returns()
    {
        foreach (float x in new[] { -3.5f, -0.2f, 0f, 0.1f, 1f, 4.25f })
        {
            Assert.Equal(FloatOps.Swish(x), FloatOps.SwishWithGradient(x, out _));
            Assert.Equal(FloatOps.Gelu(x), FloatOps.GeluWithGradient(x, out _));
            Assert.Equal(FloatOps.Relu(x), FloatOps.ReluWithGradient(x, out _));
            if (x > 0)
            {
                Assert.Equal(FloatOps.MixedPrecision(x), FloatOps.MixedPrecisionWithGradient(x, out _));
            }
        }
    }

    [Fact]
    public void Float_activations_match_their_double_gradients()
    {
        foreach (float x in new[] { -3.5f, -0.2f, 0.1f, 1f, 4.25f })
        {
            FloatOps.SwishWithGradient(x, out float swish);
            Ops.SwishWithGradient(x, out double swishExact);
            Assert.Equal(swishExact, swish, 5);
            FloatOps.GeluWithGradient(x, out float gelu);
            Ops.GeluWithGradient(x, out double geluExact);
            Assert.Equal(geluExact, gelu, 5);
        }
        FloatOps.MixedPrecisionWithGradient(2f, out float mixed);
        Assert.Equal(Math.Exp(2) + 1 / 2.0 * Math.Sqrt(2) + Math.Log(2) / (2 * Math.Sqrt(2)), mixed, 4);
    }

    [Fact]
    public void Element_wise_form_over_spans()
    {
        float[] b = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
        float[] c = Enumerable.Repeat(1f, 10).ToArray();
        float[] a = new float[10], dB = new float[10], dC = new float[10];
        FloatOps.TutorialWithGradient(b, c, a, dB, dC);
        Assert.Equal([3, 6, 9, 12, 15, 18, 21, 24, 27, 30], a);
        Assert.All(dB, d => Assert.Equal(3f, d));
        Assert.Equal(b.Select(x => x + 4f), dC);
        Assert.Throws<ArgumentException>(() => FloatOps.TutorialWithGradient(b, c, a, dB, new float[3]));
    }

    [Fact]
    public void Nested_types_and_keyword_parameters()
    {
        Assert.Equal(9f, Outer.Inner.SquareWithGradient(3f, out float dIn));
        Assert.Equal(6f, dIn);
    }
}
