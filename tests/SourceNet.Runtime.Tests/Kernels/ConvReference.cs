using SourceNet.Kernels;

namespace SourceNet.Runtime.Tests.Kernels;

/// <summary>Obviously-correct double-precision convolution and pooling, written straight from the definitions.</summary>
public static class ConvReference
{
    /// <summary>input[b, y, x, c], or 0 outside the image (padding).</summary>
    private static double At(in Conv2DGeometry g, float[] input, int b, int y, int x, int c) =>
        y < 0 || y >= g.InputHeight || x < 0 || x >= g.InputWidth ? 0.0
            : input[((b * g.InputHeight + y) * g.InputWidth + x) * g.InputChannels + c];

    private static int WeightIndex(in Conv2DGeometry g, int ky, int kx, int c, int f) =>
        ((ky * g.KernelWidth + kx) * g.InputChannels + c) * g.Filters + f;

    private static int OutputIndex(in Conv2DGeometry g, int b, int oy, int ox, int f) =>
        ((b * g.OutputHeight + oy) * g.OutputWidth + ox) * g.Filters + f;

    /// <summary>Pre-activation outputs and, per element, |bias| + Σ|terms| (to scale tolerances).</summary>
    public static (double[] Sums, double[] Magnitudes) Forward(in Conv2DGeometry g, int batch, float[] input, float[] weight, float[] bias)
    {
        var sums = new double[batch * g.OutputElements];
        var magnitudes = new double[sums.Length];
        for (int b = 0; b < batch; b++)
            for (int oy = 0; oy < g.OutputHeight; oy++)
                for (int ox = 0; ox < g.OutputWidth; ox++)
                    for (int f = 0; f < g.Filters; f++)
                    {
                        double sum = bias[f], magnitude = Math.Abs(bias[f]);
                        for (int ky = 0; ky < g.KernelHeight; ky++)
                            for (int kx = 0; kx < g.KernelWidth; kx++)
                                for (int c = 0; c < g.InputChannels; c++)
                                {
                                    double term = At(g, input, b, oy * g.StrideY - g.PadTop + ky, ox * g.StrideX - g.PadLeft + kx, c)
                                        * weight[WeightIndex(g, ky, kx, c, f)];
                                    sum += term;
                                    magnitude += Math.Abs(term);
                                }
                        int o = OutputIndex(g, b, oy, ox, f);
                        sums[o] = sum;
                        magnitudes[o] = magnitude;
                    }
        return (sums, magnitudes);
    }

    /// <summary>dInput, dWeight and dBias of L = Σ outputGradient·output (pre-activation), by the chain rule
    /// applied term by term to the forward loop.</summary>
    public static (double[] Input, double[] Weight, double[] Bias) Backward(in Conv2DGeometry g, int batch, float[] input, float[] weight, float[] outputGradient)
    {
        var dInput = new double[batch * g.InputElements];
        var dWeight = new double[weight.Length];
        var dBias = new double[g.Filters];
        for (int b = 0; b < batch; b++)
            for (int oy = 0; oy < g.OutputHeight; oy++)
                for (int ox = 0; ox < g.OutputWidth; ox++)
                    for (int f = 0; f < g.Filters; f++)
                    {
                        double d = outputGradient[OutputIndex(g, b, oy, ox, f)];
                        dBias[f] += d;
                        for (int ky = 0; ky < g.KernelHeight; ky++)
                            for (int kx = 0; kx < g.KernelWidth; kx++)
                            {
                                int y = oy * g.StrideY - g.PadTop + ky, x = ox * g.StrideX - g.PadLeft + kx;
                                for (int c = 0; c < g.InputChannels; c++)
                                {
                                    int w = WeightIndex(g, ky, kx, c, f);
                                    dWeight[w] += d * At(g, input, b, y, x, c);
                                    if (y >= 0 && y < g.InputHeight && x >= 0 && x < g.InputWidth)
                                        dInput[((b * g.InputHeight + y) * g.InputWidth + x) * g.InputChannels + c] += d * weight[w];
                                }
                            }
                    }
        return (dInput, dWeight, dBias);
    }

    /// <summary>Max pooling: values, and the first index in scan order (window row, then column) of each maximum.</summary>
    public static (float[] Output, int[] Argmax) MaxPool(in Pool2DGeometry g, int batch, float[] input)
    {
        var output = new float[batch * g.OutputElements];
        var argmax = new int[output.Length];
        for (int b = 0; b < batch; b++)
            for (int oy = 0; oy < g.OutputHeight; oy++)
                for (int ox = 0; ox < g.OutputWidth; ox++)
                    for (int c = 0; c < g.Channels; c++)
                    {
                        float best = float.NegativeInfinity;
                        int bestIndex = -1;
                        for (int py = 0; py < g.PoolHeight; py++)
                            for (int px = 0; px < g.PoolWidth; px++)
                            {
                                int y = oy * g.StrideY - g.PadTop + py, x = ox * g.StrideX - g.PadLeft + px;
                                if (y < 0 || y >= g.InputHeight || x < 0 || x >= g.InputWidth)
                                    continue;
                                int index = (y * g.InputWidth + x) * g.Channels + c;
                                float value = input[b * g.InputElements + index];
                                if (bestIndex < 0 || value > best)
                                {
                                    best = value;
                                    bestIndex = index;
                                }
                            }
                        int o = ((b * g.OutputHeight + oy) * g.OutputWidth + ox) * g.Channels + c;
                        output[o] = best;
                        argmax[o] = bestIndex;
                    }
        return (output, argmax);
    }

    /// <summary>Average pooling over the window's positions inside the input, and its gradient.</summary>
    public static (double[] Output, double[] InputGradient) AveragePool(in Pool2DGeometry g, int batch, float[] input, float[] outputGradient)
    {
        var output = new double[batch * g.OutputElements];
        var dInput = new double[batch * g.InputElements];
        for (int b = 0; b < batch; b++)
            for (int oy = 0; oy < g.OutputHeight; oy++)
                for (int ox = 0; ox < g.OutputWidth; ox++)
                    for (int c = 0; c < g.Channels; c++)
                    {
                        int count = 0;
                        double sum = 0;
                        for (int pass = 0; pass < 2; pass++)
                            for (int py = 0; py < g.PoolHeight; py++)
                                for (int px = 0; px < g.PoolWidth; px++)
                                {
                                    int y = oy * g.StrideY - g.PadTop + py, x = ox * g.StrideX - g.PadLeft + px;
                                    if (y < 0 || y >= g.InputHeight || x < 0 || x >= g.InputWidth)
                                        continue;
                                    int index = b * g.InputElements + (y * g.InputWidth + x) * g.Channels + c;
                                    int o = ((b * g.OutputHeight + oy) * g.OutputWidth + ox) * g.Channels + c;
                                    if (pass == 0)
                                    {
                                        count++;
                                        sum += input[index];
                                    }
                                    else
                                    {
                                        output[o] = sum / count;
                                        dInput[index] += outputGradient[o] / count;
                                    }
                                }
                    }
        return (output, dInput);
    }
}
