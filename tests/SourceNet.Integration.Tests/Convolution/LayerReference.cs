using SourceNet.Kernels;

namespace SourceNet.Integration.Tests.Convolution;

/// <summary>
/// A slow, obviously correct interpreter of any generated network, in double precision: it walks the
/// network's <see cref="INetwork.Layers"/> and computes each kind with plain loops straight from its
/// definition (NHWC images, HWIO kernels, zero padding, windows). Nothing here shares code with the
/// runtime's kernels, so it is the independent reference the generated passes are checked against.
/// </summary>
public sealed class LayerReference
{
    private readonly IReadOnlyList<Layer> _layers;

    /// <param name="network">The generated network.</param>
    /// <param name="masks">For each dropout layer, its current mask (training mode); none means inference (identity).</param>
    public LayerReference(INetwork network, IReadOnlyDictionary<string, float[]>? masks = null)
    {
        _layers = network.Layers;
        Masks = masks;
    }

    public IReadOnlyDictionary<string, float[]>? Masks { get; }

    /// <summary>Logits of sample <paramref name="sample"/>, reading each parameter value through <paramref name="valueOf"/>.</summary>
    public double[] Forward(ReadOnlySpan<float> input, int sample, Func<Parameter, int, double>? valueOf = null)
    {
        valueOf ??= static (p, i) => p.Value[i];
        double[] x = input.ToArray().Select(v => (double)v).ToArray();
        foreach (Layer layer in _layers)
        {
            Assert.Equal(layer.InputShape.Elements, x.Length);
            x = layer switch
            {
                DenseLayer dense => Activate(dense.Activation, Dense(dense, x, valueOf)),
                Conv2DLayer conv => Activate(conv.Activation, Convolve(conv.Geometry, conv.Weight, conv.Bias, x, valueOf)),
                Pool2DLayer pool => Pool(pool.Geometry, pool.Mode, x),
                FlattenLayer => x,
                DropoutLayer dropout => Masks is null ? x : x.Select((v, i) => v * Masks[dropout.Name][sample * x.Length + i]).ToArray(),
                _ => throw new NotSupportedException(layer.GetType().Name),
            };
            Assert.Equal(layer.OutputShape.Elements, x.Length);
        }
        return x;
    }

    /// <summary>Mean softmax cross-entropy over the batch.</summary>
    public double Loss(float[] inputs, int[] labels, Func<Parameter, int, double>? valueOf = null)
    {
        int size = _layers[0].InputShape.Elements;
        double total = 0;
        for (int s = 0; s < labels.Length; s++)
        {
            double[] z = Forward(inputs.AsSpan(s * size, size), s, valueOf);
            double max = z.Max();
            total += Math.Log(z.Sum(v => Math.Exp(v - max))) + max - z[labels[s]];
        }
        return total / labels.Length;
    }

    /// <summary>dLoss/dθ of one parameter element by central differences.</summary>
    public double NumericalGradient(float[] inputs, int[] labels, Parameter parameter, int index, double step = 1e-5)
    {
        double Perturbed(double delta) => Loss(inputs, labels, (q, k) => ReferenceEquals(q, parameter) && k == index ? q.Value[k] + delta : q.Value[k]);
        return (Perturbed(step) - Perturbed(-step)) / (2 * step);
    }

    internal static double[] Dense(DenseLayer layer, double[] x, Func<Parameter, int, double> valueOf)
    {
        var y = new double[layer.Units];
        for (int j = 0; j < layer.Units; j++)
        {
            double sum = valueOf(layer.Bias, j);
            for (int i = 0; i < layer.InputCount; i++) sum += x[i] * valueOf(layer.Weight, i * layer.Units + j);
            y[j] = sum;
        }
        return y;
    }

    internal static double[] Convolve(Conv2DGeometry g, Parameter weight, Parameter bias, double[] x, Func<Parameter, int, double> valueOf)
    {
        var y = new double[g.OutputHeight * g.OutputWidth * g.Filters];
        for (int oy = 0; oy < g.OutputHeight; oy++)
        for (int ox = 0; ox < g.OutputWidth; ox++)
        for (int f = 0; f < g.Filters; f++)
        {
            double sum = valueOf(bias, f);
            for (int ky = 0; ky < g.KernelHeight; ky++)
            for (int kx = 0; kx < g.KernelWidth; kx++)
            {
                int iy = oy * g.StrideY - g.PadTop + ky, ix = ox * g.StrideX - g.PadLeft + kx;
                if (iy < 0 || iy >= g.InputHeight || ix < 0 || ix >= g.InputWidth) continue; // zero padding
                for (int c = 0; c < g.InputChannels; c++)
                    sum += x[(iy * g.InputWidth + ix) * g.InputChannels + c] * valueOf(weight, ((ky * g.KernelWidth + kx) * g.InputChannels + c) * g.Filters + f);
            }
            y[(oy * g.OutputWidth + ox) * g.Filters + f] = sum;
        }
        return y;
    }

    private static double[] Pool(Pool2DGeometry g, Pool2DMode mode, double[] x)
    {
        var y = new double[g.OutputHeight * g.OutputWidth * g.Channels];
        for (int oy = 0; oy < g.OutputHeight; oy++)
        for (int ox = 0; ox < g.OutputWidth; ox++)
        for (int c = 0; c < g.Channels; c++)
        {
            double best = double.NegativeInfinity, sum = 0;
            int count = 0;
            for (int ky = 0; ky < g.PoolHeight; ky++)
            for (int kx = 0; kx < g.PoolWidth; kx++)
            {
                int iy = oy * g.StrideY - g.PadTop + ky, ix = ox * g.StrideX - g.PadLeft + kx;
                if (iy < 0 || iy >= g.InputHeight || ix < 0 || ix >= g.InputWidth) continue; // padding takes no part
                double v = x[(iy * g.InputWidth + ix) * g.Channels + c];
                best = Math.Max(best, v);
                sum += v;
                count++;
            }
            y[(oy * g.OutputWidth + ox) * g.Channels + c] = mode == Pool2DMode.Max ? best : sum / count;
        }
        return y;
    }

    private static double[] Activate(LayerActivation activation, double[] z) => activation.Name switch
    {
        "None" => z,
        "ReLU" => z.Select(v => Math.Max(0, v)).ToArray(),
        "Sigmoid" => z.Select(v => 1 / (1 + Math.Exp(-v))).ToArray(),
        "Tanh" => z.Select(Math.Tanh).ToArray(),
        "LeakyReLU" => z.Select(v => v > 0 ? v : 0.01 * v).ToArray(),
        // PyTorch's nn.GELU(approximate='tanh') and nn.SiLU, as their documentation writes them.
        "GELU" => z.Select(v => 0.5 * v * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v)))).ToArray(),
        "SiLU" => z.Select(v => v / (1 + Math.Exp(-v))).ToArray(),
        _ => throw new NotSupportedException($"No reference for the activation {activation.Name}."),
    };
}
