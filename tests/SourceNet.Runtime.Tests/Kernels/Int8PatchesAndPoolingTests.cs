using SourceNet.Kernels;

namespace SourceNet.Runtime.Tests.Kernels;

/// <summary>The byte patches and byte pooling of int8 convolutional networks against direct index arithmetic.</summary>
public class Int8PatchesAndPoolingTests
{
    [Theory]
    [InlineData(6, 5, 3, 3, 3, 1, true)]
    [InlineData(7, 7, 1, 5, 5, 1, true)]
    [InlineData(8, 6, 2, 3, 2, 2, false)]
    [InlineData(5, 9, 4, 2, 4, 3, true)]
    public void Patches_hold_each_window_with_the_padding_byte(int h, int w, int c, int kh, int kw, int stride, bool same)
    {
        Conv2DGeometry g = Conv2DGeometry.Create(h, w, c, 1, kh, kw, stride, stride, same);
        var random = new Random(h * w + c);
        byte[] image = Enumerable.Range(0, g.InputElements).Select(_ => (byte)random.Next(256)).ToArray();
        int stride2 = g.PatchLength + 5;
        var patches = new byte[g.OutputPositions * stride2];
        const byte padding = 77;
        Int8Patches.Gather(g, image, padding, patches, stride2);
        for (int oy = 0; oy < g.OutputHeight; oy++)
        {
            for (int ox = 0; ox < g.OutputWidth; ox++)
            {
                for (int ky = 0; ky < kh; ky++)
                {
                    for (int kx = 0; kx < kw; kx++)
                    {
                        for (int ch = 0; ch < c; ch++)
                        {
                            int iy = oy * stride - g.PadTop + ky, ix = ox * stride - g.PadLeft + kx;
                            byte expected = iy >= 0 && iy < h && ix >= 0 && ix < w ? image[(iy * w + ix) * c + ch] : padding;
                            Assert.Equal(expected, patches[(oy * g.OutputWidth + ox) * stride2 + (ky * kw + kx) * c + ch]);
                        }
                    }
                }
            }
        }
    }

    [Theory]
    [InlineData(28, 28, 32, 2, 2, false)]
    [InlineData(7, 7, 17, 3, 2, true)]
    [InlineData(5, 6, 48, 2, 1, true)]
    public void Byte_pooling_matches_float_pooling_of_the_same_values(int h, int w, int c, int pool, int stride, bool same)
    {
        Pool2DGeometry g = Pool2DGeometry.Create(h, w, c, pool, pool, stride, stride, same);
        var random = new Random(h * c);
        byte[] input = Enumerable.Range(0, g.InputElements).Select(_ => (byte)random.Next(256)).ToArray();
        float[] floats = input.Select(b => (float)b).ToArray();

        var maxBytes = new byte[g.OutputElements];
        var maxFloats = new float[g.OutputElements];
        Int8Pooling.Max(g, input, maxBytes);
        Pool2D.MaxForward(g, 1, floats, maxFloats, new int[g.OutputElements]);
        Assert.Equal(maxFloats, maxBytes.Select(b => (float)b).ToArray());

        var averageBytes = new byte[g.OutputElements];
        var averageFloats = new float[g.OutputElements];
        Int8Pooling.Average(g, input, averageBytes);
        Pool2D.AverageForward(g, 1, floats, averageFloats);
        for (int i = 0; i < g.OutputElements; i++)
            Assert.Equal(Math.Floor(averageFloats[i] + 0.5 + 1e-4), averageBytes[i]);
    }
}
