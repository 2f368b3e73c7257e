namespace SourceNet.Interop.Tests.Networks;

/// <summary>
/// A hand-built <see cref="INetwork"/> made of the runtime's layer objects, named and mapped to PyTorch's
/// <c>state_dict</c> the way the generator does (<c>Hidden</c> → <c>hidden.weight</c> [out, in]; a Dense fed by a
/// flattened image (H, W, C) → storage [H, W, C, out], axes [3, 2, 0, 1]; Conv2D → storage [KH, KW, Cin, Cout],
/// axes [3, 2, 0, 1]). Its forward pass is <see cref="ReferenceForward"/>: slow and obviously correct.
/// </summary>
internal sealed class LayeredNetwork : INetwork
{
    public static readonly LayerActivation Relu = new("ReLU", "Relu");
    public static readonly LayerActivation Tanh = new("Tanh", "Tanh");

    private readonly Layer[] _layers;
    private readonly Parameter[] _parameters;

    public LayeredNetwork(int inputSize, params Layer[] layers)
    {
        InputSize = inputSize;
        _layers = layers;
        _parameters = [.. layers.SelectMany(layer => layer.Parameters)];
        LayerShape? flattenedImage = null;
        foreach (Layer layer in layers)
        {
            string name = char.ToLowerInvariant(layer.Name[0]) + layer.Name[1..];
            switch (layer)
            {
                case DenseLayer dense when flattenedImage is LayerShape image:
                    dense.Weight.MapToStateDict(name + ".weight", [image.Height, image.Width, image.Channels, dense.Units], [3, 2, 0, 1], [dense.Units, image.Elements]);
                    dense.Bias.MapToStateDict(name + ".bias");
                    break;
                case DenseLayer dense:
                    dense.Weight.MapToStateDict(name + ".weight", [dense.InputCount, dense.Units], [1, 0]);
                    dense.Bias.MapToStateDict(name + ".bias");
                    break;
                case Conv2DLayer conv:
                    var g = conv.Geometry;
                    conv.Weight.MapToStateDict(name + ".weight", [g.KernelHeight, g.KernelWidth, g.InputChannels, g.Filters], [3, 2, 0, 1]);
                    conv.Bias.MapToStateDict(name + ".bias");
                    break;
            }
            flattenedImage = layer is FlattenLayer ? layer.InputShape : layer is DropoutLayer ? flattenedImage : null;
        }
    }

    public int InputSize { get; }

    public int OutputSize => _layers[^1].OutputShape.Elements;

    public int MaxBatchSize => 10_000;

    public IReadOnlyList<Parameter> Parameters => _parameters;

    public IReadOnlyList<Layer> Layers => _layers;

    /// <summary>Fills every parameter from N(0, <paramref name="stdDev"/>²).</summary>
    public LayeredNetwork Randomize(long seed, float stdDev = 0.1f)
    {
        var random = new SeededRandom(seed);
        foreach (Parameter parameter in _parameters)
        {
            parameter.InitializeNormal(random, stdDev);
        }
        return this;
    }

    /// <summary>The forward pass of <paramref name="count"/> samples, in double, straight from the definitions.</summary>
    public float[] ReferenceForward(ReadOnlySpan<float> inputs, int count)
    {
        var output = new float[count * OutputSize];
        for (int n = 0; n < count; n++)
        {
            double[] x = [.. inputs.Slice(n * InputSize, InputSize).ToArray().Select(v => (double)v)];
            foreach (Layer layer in _layers)
            {
                x = layer switch
                {
                    DenseLayer dense => Activate(dense.Activation, NaiveLayers.Dense(dense, x)),
                    Conv2DLayer conv => Activate(conv.Activation, NaiveLayers.Conv(conv, x)),
                    Pool2DLayer pool => NaiveLayers.Pool(pool, x),
                    _ => x, // Flatten moves no data (NHWC); Dropout is the identity at inference
                };
            }
            for (int j = 0; j < OutputSize; j++)
            {
                output[n * OutputSize + j] = (float)x[j];
            }
        }
        return output;
    }

    private static double[] Activate(LayerActivation activation, double[] x) => activation.Name switch
    {
        "ReLU" => [.. x.Select(v => Math.Max(v, 0))],
        "Tanh" => [.. x.Select(Math.Tanh)],
        "None" => x,
        _ => throw new NotSupportedException(activation.Name),
    };
}
