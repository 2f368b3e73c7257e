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
            y[(oy * g.OutputWidth + ox) * g.Channels + c] = layer.Mode == Pool2DMode.Max ? max : sum / count;
        }
        return y;
    }

    /// <summary>Inference: y = weight · (x - running mean) / sqrt(running variance + epsilon) + bias, per channel (the last axis).</summary>
    public static double[] BatchNorm(BatchNormLayer layer, double[] x)
    {
        var y = new double[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            int c = i % layer.Channels;
            double normalised = (x[i] - layer.RunningMean.Singles[c]) / Math.Sqrt((double)layer.RunningVariance.Singles[c] + layer.Epsilon);
            y[i] = layer.Weight.Value[c] * normalised + layer.Bias.Value[c];
        }
        return y;
    }

    public static double[] Add(double[][] x)
    {
        var y = new double[x[0].Length];
        foreach (double[] input in x)
        {
            for (int i = 0; i < y.Length; i++)
            {
                y[i] += input[i];
            }
        }
        return y;
    }

    /// <summary>Channels-last: at each pixel (one pixel for vectors), the inputs' channels one after the other.</summary>
    public static double[] Concatenate(ConcatenateLayer layer, double[][] x)
    {
        int pixels = layer.OutputShape.Height * layer.OutputShape.Width;
        var y = new List<double>();
        for (int p = 0; p < pixels; p++)
        {
            for (int k = 0; k < x.Length; k++)
            {
                int channels = layer.InputShapes[k].Channels;
                y.AddRange(x[k].Skip(p * channels).Take(channels));
            }
        }
        return [.. y];
    }

    public static double[] GlobalAveragePool(GlobalAvgPool2DLayer layer, double[] x)
    {
        LayerShape shape = layer.InputShape;
        var y = new double[shape.Channels];
        for (int i = 0; i < x.Length; i++)
        {
            y[i % shape.Channels] += x[i];
        }
        return [.. y.Select(v => v / (shape.Height * shape.Width))];
    }
}
