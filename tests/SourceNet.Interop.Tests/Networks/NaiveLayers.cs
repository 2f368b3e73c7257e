using SourceNet.Kernels;

namespace SourceNet.Interop.Tests.Networks;

/// <summary>One sample through one layer, by the definitions, channels-last, in double: the reference the exported graphs are held to.</summary>
internal static class NaiveLayers
{
    public static double[] Dense(DenseLayer layer, double[] x)
    {
        var y = new double[layer.Units];
        for (int j = 0; j < layer.Units; j++)
        {
            double sum = layer.Bias.Value[j];
            for (int i = 0; i < layer.InputCount; i++)
            {
                sum += x[i] * layer.Weight.Value[i * layer.Units + j];
            }
            y[j] = sum;
        }
        return y;
    }

    public static double[] Conv(Conv2DLayer layer, double[] x)
    {
        Conv2DGeometry g = layer.Geometry;
        var y = new double[g.OutputElements];
        for (int oy = 0; oy < g.OutputHeight; oy++)
        for (int ox = 0; ox < g.OutputWidth; ox++)
        for (int f = 0; f < g.Filters; f++)
        {
            double sum = layer.Bias.Value[f];
            for (int ky = 0; ky < g.KernelHeight; ky++)
            for (int kx = 0; kx < g.KernelWidth; kx++)
            {
                int iy = oy * g.StrideY + ky - g.PadTop, ix = ox * g.StrideX + kx - g.PadLeft;
                if (iy < 0 || iy >= g.InputHeight || ix < 0 || ix >= g.InputWidth)
                    continue; // padding reads as zero
                for (int c = 0; c < g.InputChannels; c++)
                {
                    // Weight stored HWIO: [ky, kx, c, f].
                    double w = layer.Weight.Value[((ky * g.KernelWidth + kx) * g.InputChannels + c) * g.Filters + f];
                    sum += w * x[(iy * g.InputWidth + ix) * g.InputChannels + c];
                }
            }
            y[(oy * g.OutputWidth + ox) * g.Filters + f] = sum;
        }
        return y;
    }

    public static double[] Pool(Pool2DLayer layer, double[] x)
    {
        Pool2DGeometry g = layer.Geometry;
        var y = new double[g.OutputElements];
        for (int oy = 0; oy < g.OutputHeight; oy++)
        for (int ox = 0; ox < g.OutputWidth; ox++)
        for (int c = 0; c < g.Channels; c++)
        {
            double max = double.NegativeInfinity, sum = 0;
            int count = 0;
            for (int ky = 0; ky < g.PoolHeight; ky++)
            for (int kx = 0; kx < g.PoolWidth; kx++)
            {
                int iy = oy * g.StrideY + ky - g.PadTop, ix = ox * g.StrideX + kx - g.PadLeft;
                if (iy < 0 || iy >= g.InputHeight || ix < 0 || ix >= g.InputWidth)
                    continue; // padding never wins a max and is not counted in an average
                double v = x[(iy * g.InputWidth + ix) * g.Channels + c];
                max = Math.Max(max, v);
                sum += v;
                count++;
            }
            y[(oy * g.OutputWidth + ox) * g.Channels + c] = layer.Mode == PoolingMode.Max ? max : sum / count;
        }
        return y;
    }
}
