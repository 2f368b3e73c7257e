using SourceNet.Integration.Tests.Convolution;

namespace SourceNet.Integration.Tests.Graphs;

/// <summary>
/// A slow, obviously correct interpreter of a generated network as a graph, in double precision, a whole batch at a
/// time (batch normalisation couples the samples of a batch). It walks <see cref="INetwork.Layers"/>, finds each
/// layer's inputs by name, and computes every kind with plain loops from its definition (dense layers and convolutions
/// through <see cref="LayerReference"/>'s). It shares no code with the runtime's kernels or the generator: the
/// independent reference for forward values and finite differences.
/// </summary>
public sealed class GraphReference
{
    private readonly INetwork _network;

    /// <param name="network">The generated network.</param>
    /// <param name="training">Batch statistics for batch normalisation and the given dropout masks (training mode), else
    /// running statistics and no dropout.</param>
    /// <param name="masks">Each dropout layer's mask of the last training step, by layer name.</param>
    public GraphReference(INetwork network, bool training, IReadOnlyDictionary<string, float[]>? masks = null)
    {
        _network = network;
        Training = training;
        Masks = masks;
    }

    public bool Training { get; }

    public IReadOnlyDictionary<string, float[]>? Masks { get; }

    /// <summary>The outputs of every sample, [batch][outputs], reading parameter values through <paramref name="valueOf"/>.</summary>
    public double[][] Forward(float[] inputs, int batch, Func<Parameter, int, double>? valueOf = null)
    {
        valueOf ??= static (p, i) => p.Value[i];
        int size = _network.InputSize;
        var values = new Dictionary<string, double[][]>
        {
            [Layer.NetworkInput] = Enumerable.Range(0, batch).Select(s => inputs.Skip(s * size).Take(size).Select(v => (double)v).ToArray()).ToArray(),
        };
        string previous = Layer.NetworkInput;
        foreach (Layer layer in _network.Layers)
        {
            IReadOnlyList<string> names = layer.Inputs.Count == 0 ? new[] { previous } : layer.Inputs;
            double[][][] inputsOf = names.Select(n => values[n]).ToArray();
            double[][] x = inputsOf[0];
            double[][] y = layer switch
            {
                DenseLayer dense => x.Select(v => Activate(dense.Activation.Name, LayerReference.Dense(dense, v, valueOf))).ToArray(),
                Conv2DLayer conv => x.Select(v => Activate(conv.Activation.Name, LayerReference.Convolve(conv.Geometry, conv.Weight, conv.Bias, v, valueOf))).ToArray(),
                FlattenLayer => x,
                DropoutLayer dropout => Masks is null || !Training ? x : x.Select((v, s) => v.Select((e, i) => e * Masks[dropout.Name][s * v.Length + i]).ToArray()).ToArray(),
                BatchNormLayer norm => BatchNormalize(norm, x, valueOf),
                AddLayer add => Enumerable.Range(0, batch).Select(s => Activate(add.Description, Sum(inputsOf.Select(i => i[s])))).ToArray(),
                ConcatenateLayer concat => Enumerable.Range(0, batch).Select(s => Concatenate(concat, inputsOf.Select(i => i[s]).ToArray())).ToArray(),
                GlobalAvgPool2DLayer pool => x.Select(v => GlobalAverage(pool.InputShape, v)).ToArray(),
                LstmLayer lstm => x.Select(v => RecurrentReference.Lstm(lstm, v, valueOf)).ToArray(),
                GruLayer gru => x.Select(v => RecurrentReference.Gru(gru, v, valueOf)).ToArray(),
                _ => throw new NotSupportedException(layer.GetType().Name),
            };
            foreach (double[] sample in y)
            {
                Assert.Equal(layer.OutputShape.Elements, sample.Length);
            }
            values[layer.Name] = y;
            previous = layer.Name;
        }
        return values[previous];
    }

    /// <summary>Mean softmax cross-entropy over the batch.</summary>
    public double Loss(float[] inputs, int[] labels, Func<Parameter, int, double>? valueOf = null)
    {
        double[][] logits = Forward(inputs, labels.Length, valueOf);
        double total = 0;
        for (int s = 0; s < labels.Length; s++)
        {
            double max = logits[s].Max();
            total += Math.Log(logits[s].Sum(v => Math.Exp(v - max))) + max - logits[s][labels[s]];
        }
        return total / labels.Length;
    }

    /// <summary>dLoss/dθ of one parameter element by central differences.</summary>
    public double NumericalGradient(float[] inputs, int[] labels, Parameter parameter, int index, double step = 1e-4)
    {
        double Perturbed(double delta) => Loss(inputs, labels, (q, k) => ReferenceEquals(q, parameter) && k == index ? q.Value[k] + delta : q.Value[k]);
        return (Perturbed(step) - Perturbed(-step)) / (2 * step);
    }

    /// <summary>Per channel (the last axis): training normalises with the batch's mean and biased variance over every
    /// sample and position, inference with the running statistics; then γ·x̂ + β and the activation in the description.</summary>
    private double[][] BatchNormalize(BatchNormLayer layer, double[][] x, Func<Parameter, int, double> valueOf)
    {
        int channels = layer.InputShape.Channels;
        var mean = new double[channels];
        var variance = new double[channels];
        if (Training)
        {
            var count = new int[channels];
            foreach (double[] sample in x)
            {
                for (int i = 0; i < sample.Length; i++)
                {
                    mean[i % channels] += sample[i];
                    count[i % channels]++;
                }
            }
            for (int c = 0; c < channels; c++) mean[c] /= count[c];
            foreach (double[] sample in x)
            {
                for (int i = 0; i < sample.Length; i++) variance[i % channels] += (sample[i] - mean[i % channels]) * (sample[i] - mean[i % channels]);
            }
            for (int c = 0; c < channels; c++) variance[c] /= count[c];
        }
        else
        {
            for (int c = 0; c < channels; c++)
            {
                mean[c] = layer.RunningMean.Singles[c];
                variance[c] = layer.RunningVariance.Singles[c];
            }
        }
        string activation = layer.Description.Contains(", ") ? layer.Description[(layer.Description.IndexOf(", ") + 2)..] : "None";
        return x.Select(sample => Activate(activation, sample.Select((v, i) =>
        {
            int c = i % channels;
            return valueOf(layer.Weight, c) * (v - mean[c]) / Math.Sqrt(variance[c] + layer.Epsilon) + valueOf(layer.Bias, c);
        }).ToArray())).ToArray();
    }

    private static double[] Sum(IEnumerable<double[]> parts)
    {
        double[]? total = null;
        foreach (double[] part in parts)
        {
            total = total is null ? (double[])part.Clone() : total.Select((v, i) => v + part[i]).ToArray();
        }
        return total!;
    }

    private static double[] Concatenate(ConcatenateLayer layer, double[][] parts)
    {
        int positions = layer.OutputShape.Elements / layer.OutputShape.Channels;
        var joined = new List<double>();
        for (int p = 0; p < positions; p++)
        {
            for (int k = 0; k < parts.Length; k++)
            {
                int channels = layer.InputShapes[k].Channels;
                joined.AddRange(parts[k].Skip(p * channels).Take(channels));
            }
        }
        return joined.ToArray();
    }

    private static double[] GlobalAverage(LayerShape shape, double[] x)
    {
        int positions = shape.Height * shape.Width;
        return Enumerable.Range(0, shape.Channels).Select(c => Enumerable.Range(0, positions).Sum(p => x[p * shape.Channels + c]) / positions).ToArray();
    }

    /// <summary>The activation named by a layer's activation or by the end of its description (<c>Add, Tanh</c>).</summary>
    private static double[] Activate(string name, double[] z)
    {
        if (name.Contains(", "))
        {
            name = name[(name.LastIndexOf(", ") + 2)..];
        }
        return name switch
        {
            "None" or "Add" => z,
            "ReLU" => z.Select(v => Math.Max(0, v)).ToArray(),
            "Sigmoid" => z.Select(v => 1 / (1 + Math.Exp(-v))).ToArray(),
            "Tanh" => z.Select(Math.Tanh).ToArray(),
            // PyTorch's nn.GELU(approximate='tanh') and nn.SiLU, from their definitions.
            "GELU" => z.Select(v => 0.5 * v * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v)))).ToArray(),
            "SiLU" => z.Select(v => v / (1 + Math.Exp(-v))).ToArray(),
            _ => throw new NotSupportedException($"No reference for the activation {name}."),
        };
    }
}
