namespace SourceNet.Interop.Tests.Networks;

/// <summary>
/// A hand-built <see cref="INetwork"/> whose layers name their inputs (<see cref="Layer.Inputs"/>): skip connections,
/// merges, BatchNorm. Its forward pass is <see cref="ReferenceForward"/>: each layer by its definition, in double,
/// channels-last, one sample at a time; the exported graphs are held to it.
/// </summary>
internal sealed class GraphNetwork : INetwork
{
    private readonly Layer[] _layers;
    private readonly Parameter[] _parameters;

    public GraphNetwork(int inputSize, params Layer[] layers)
    {
        InputSize = inputSize;
        _layers = layers;
        _parameters = [.. layers.SelectMany(layer => layer.Parameters)];
    }

    public int InputSize { get; }

    public int OutputSize => _layers[^1].OutputShape.Elements;

    public int MaxBatchSize => 10_000;

    public IReadOnlyList<Parameter> Parameters => _parameters;

    public IReadOnlyList<Layer> Layers => _layers;

    /// <summary>
    /// Fills every parameter from N(0, <paramref name="stdDev"/>²), and BatchNorm's running statistics with a mean from
    /// N(0, 1) and a variance in [0.5, 2.5), so that the inference normalisation is not the identity.
    /// </summary>
    public GraphNetwork Randomize(long seed, float stdDev = 0.3f)
    {
        var random = new SeededRandom(seed);
        foreach (Parameter parameter in _parameters)
        {
            parameter.InitializeNormal(random, stdDev);
        }
        foreach (BatchNormLayer norm in _layers.OfType<BatchNormLayer>())
        {
            random.FillNormal(norm.RunningMean.Singles, 0f, 1f);
            for (int c = 0; c < norm.Channels; c++)
            {
                norm.RunningVariance.Singles[c] = 0.5f + 2f * random.NextSingle();
                norm.Weight.Value[c] += 1f;
            }
        }
        return this;
    }

    /// <summary>The forward pass of <paramref name="count"/> samples, in double, straight from the definitions.</summary>
    public float[] ReferenceForward(ReadOnlySpan<float> inputs, int count)
    {
        var output = new float[count * OutputSize];
        for (int n = 0; n < count; n++)
        {
            var values = new Dictionary<string, double[]>
            {
                [Layer.NetworkInput] = [.. inputs.Slice(n * InputSize, InputSize).ToArray().Select(v => (double)v)],
            };
            double[] previous = values[Layer.NetworkInput];
            foreach (Layer layer in _layers)
            {
                double[][] x = layer.Inputs.Count == 0 ? [previous] : [.. layer.Inputs.Select(name => values[name])];
                previous = Forward(layer, x);
                values[layer.Name] = previous;
            }
            for (int j = 0; j < OutputSize; j++)
            {
                output[n * OutputSize + j] = (float)previous[j];
            }
        }
        return output;
    }

    private static double[] Forward(Layer layer, double[][] x) => layer switch
    {
        DenseLayer dense => Activate(dense.Activation, NaiveLayers.Dense(dense, x[0])),
        Conv2DLayer conv => Activate(conv.Activation, NaiveLayers.Conv(conv, x[0])),
        Pool2DLayer pool => NaiveLayers.Pool(pool, x[0]),
        BatchNormLayer norm => NaiveLayers.BatchNorm(norm, x[0]),
        AddLayer => NaiveLayers.Add(x),
        ConcatenateLayer concat => NaiveLayers.Concatenate(concat, x),
        GlobalAvgPool2DLayer gap => NaiveLayers.GlobalAveragePool(gap, x[0]),
        FlattenLayer or DropoutLayer => x[0], // no data moves (NHWC); dropout is the identity at inference
        _ => throw new NotSupportedException(layer.GetType().Name),
    };

    private static double[] Activate(LayerActivation activation, double[] x) => activation.Name switch
    {
        "ReLU" => [.. x.Select(v => Math.Max(v, 0))],
        "Tanh" => [.. x.Select(Math.Tanh)],
        "None" => x,
        _ => throw new NotSupportedException(activation.Name),
    };
}
