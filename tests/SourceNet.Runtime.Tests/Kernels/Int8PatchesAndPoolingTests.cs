using SourceNet.Kernels;

namespace SourceNet.Runtime.Tests.Kernels;

/// <summary>The byte patches and byte pooling of int8 convolutional networks against direct index arithmetic.</summary>
public class Int8PatchesAndPoolingTests
{
    [Theory]
    [InlineData(6, 5, 3, 3, 3, 1, true, false)]
    [InlineData(7, 7, 1, 5, 5, 1, true, false)]
    [InlineData(8, 6, 2, 3, 2, 2, false, false)]
    [InlineData(5, 9, 4, 2, 4, 3, true, false)]
    [InlineData(6, 5, 3, 3, 3, 1, true, true)]
    [InlineData(7, 7, 1, 5, 5, 1, true, true)]
    [InlineData(8, 6, 2, 3, 2, 2, false, true)]
    [InlineData(5, 9, 4, 2, 4, 3, true, true)]
    [InlineData(28, 28, 1, 5, 5, 1, true, true)]   // MNIST's first convolution: runs of 5 bytes
    [InlineData(14, 14, 32, 5, 5, 1, true, true)]  // its second: runs of 160 bytes
    [InlineData(9, 11, 3, 4, 3, 2, true, true)]    // runs of 9 bytes, stride 2, odd padding
    [InlineData(10, 13, 12, 3, 3, 3, false, true)] // runs of 36 bytes, valid padding leaving columns unread
    [InlineData(4, 4, 2, 1, 1, 1, false, true)]    // runs of 2 bytes
    public void Patches_hold_each_window_with_the_padding_byte(int h, int w, int c, int kh, int kw, int stride, bool same, bool fromPadded)
    {
        Conv2DGeometry g = Conv2DGeometry.Create(h, w, c, 1, kh, kw, stride, stride, same);
        var random = new Random(h * w + c);
        byte[] image = Enumerable.Range(0, g.InputElements).Select(_ => (byte)random.Next(256)).ToArray();
        int stride2 = g.PatchLength + 5;
        const byte untouched = 201;
        var patches = Enumerable.Repeat(untouched, g.OutputPositions * stride2).ToArray();
        const byte padding = 77;
        if (fromPadded)
            Int8Patches.GatherFromPadded(g, image, padding, new byte[Int8Patches.PaddedLength(g)], patches, stride2);
        else
            Int8Patches.Gather(g, image, padding, patches, stride2);
        for (int p = 0; p < g.OutputPositions; p++)
        {
            // The bytes between one patch and the next are not the gather's to write.
            for (int t = g.PatchLength; t < stride2; t++)
                Assert.Equal(untouched, patches[p * stride2 + t]);
        }
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
