using SourceNet.Data;
using SourceNet.Integration.Tests.Convolution;
using SourceNet.Integration.Tests.Network;
using SourceNet.Kernels;
using SourceNet.Quantization;
using SourceNet.Training;

namespace SourceNet.Integration.Tests.Quantization;

/// <summary>
/// Generated networks trained briefly on an MNIST subset, quantised with a few hundred training images: the int8
/// network must predict what the float one predicts on at least 99% of unseen images, lose little accuracy, and
/// answer alike through every entry point.
/// </summary>
[Collection(KernelThreadsCollection.Name)]
public class QuantizedNetworkTests
{
    private static readonly Lazy<MnistDataset> s_subset = new(() => MnistDataset.Load(RepoPaths.MnistData, maxTrain: 6000, maxTest: 2000));

    private static void Train(IClassifier network, int steps, int batch, float learningRate)
    {
        MnistDataset data = s_subset.Value;
        var optimizer = new Adam(learningRate);
        var sampler = new BatchSampler(data.TrainImages, data.TrainLabels, MnistDataset.ImageSize, new SeededRandom(11));
        var images = new float[batch * MnistDataset.ImageSize];
        var labels = new int[batch];
        for (int step = 0; step < steps; step++)
        {
            sampler.NextRandomBatch(images, labels);
            network.TrainStep(images, labels, optimizer);
        }
    }

    /// <summary>Checks agreement and accuracy on the test subset and returns the quantised network.</summary>
    private static QuantizedNetwork QuantiseAndCompare(IClassifier network, Action<float[], float[]> forward, double minimumFloatAccuracy)
    {
        MnistDataset data = s_subset.Value;
        QuantizedNetwork quantized = QuantizedNetwork.Create(network, data.TrainImages.AsSpan(0, 300 * MnistDataset.ImageSize));
        int count = data.TestLabels.Length;
        var floatLogits = new float[count * 10];
        var int8Logits = new float[count * 10];
        forward(data.TestImages, floatLogits);
        quantized.Forward(data.TestImages, int8Logits);
        int agree = 0;
        for (int i = 0; i < count; i++)
        {
            if (NetworkGuards.ArgMaxOrMinusOne(floatLogits.AsSpan(i * 10, 10)) == NetworkGuards.ArgMaxOrMinusOne(int8Logits.AsSpan(i * 10, 10)))
                agree++;
        }
        float floatAccuracy = network.Evaluate(data.TestImages, data.TestLabels);
        float int8Accuracy = quantized.Evaluate(data.TestImages, data.TestLabels);
        Assert.True(floatAccuracy > minimumFloatAccuracy, $"The float network reached only {floatAccuracy:P2}: the test would compare nothing.");
        Assert.True(agree >= 0.99 * count, $"int8 and float predictions agree on {agree} of {count} test images; expected at least 99%.");
        Assert.True(int8Accuracy >= floatAccuracy - 0.01f, $"int8 accuracy {int8Accuracy:P2} against float {floatAccuracy:P2}.");
        // Logits close too, not only their argmax: within a tenth of the float logits' spread.
        float spread = floatLogits.Max() - floatLogits.Min();
        double meanError = 0;
        for (int i = 0; i < floatLogits.Length; i++)
            meanError += Math.Abs(floatLogits[i] - int8Logits[i]) / floatLogits.Length;
        Assert.True(meanError < 0.02 * spread, $"Mean logit error {meanError:G3} against a spread of {spread:G3}.");
        return quantized;
    }

    [Fact]
    public void Quantised_mlp_predicts_what_the_float_mlp_predicts()
    {
        var mlp = new QuantizationMlp(seed: 2, maxBatchSize: 64);
        Train(mlp, steps: 300, batch: 64, learningRate: 2e-3f);
        QuantizedNetwork quantized = QuantiseAndCompare(mlp, (x, y) => mlp.Forward(x, y), minimumFloatAccuracy: 0.88);

        // Every entry point answers alike: one image, a batch of predictions, the logits' argmax.
        MnistDataset data = s_subset.Value;
        const int n = 150;
        var predictions = new int[n];
        var logits = new float[n * 10];
        quantized.Predict(data.TestImages.AsSpan(0, n * MnistDataset.ImageSize), predictions);
        quantized.Forward(data.TestImages.AsSpan(0, n * MnistDataset.ImageSize), logits);
        for (int i = 0; i < n; i++)
        {
            Assert.Equal(predictions[i], quantized.Predict(data.TestImages.AsSpan(i * MnistDataset.ImageSize, MnistDataset.ImageSize)));
            Assert.Equal(predictions[i], NetworkGuards.ArgMaxOrMinusOne(logits.AsSpan(i * 10, 10)));
        }
    }

    [Fact]
    public void Quantised_cnn_predicts_what_the_float_cnn_predicts()
    {
        var cnn = new MnistConvNet(seed: 3, maxBatchSize: 32);
        Train(cnn, steps: 250, batch: 32, learningRate: 2e-3f);
        QuantiseAndCompare(cnn, (x, y) => cnn.Forward(x, y), minimumFloatAccuracy: 0.88);
    }

    [Fact]
    public void Batch_results_do_not_depend_on_the_thread_count()
    {
        var mlp = new QuantizationMlp(seed: 4, maxBatchSize: 16);
        MnistDataset data = s_subset.Value;
        QuantizedNetwork quantized = QuantizedNetwork.Create(mlp, data.TrainImages.AsSpan(0, 100 * MnistDataset.ImageSize));
        var one = new float[2000 * 10];
        var two = new float[2000 * 10];
        int saved = KernelThreads.Count;
        try
        {
            KernelThreads.Count = 1;
            quantized.Forward(data.TestImages, one);
            KernelThreads.Count = 2;
            quantized.Forward(data.TestImages, two);
        }
        finally
        {
            KernelThreads.Count = saved;
        }
        Assert.Equal(one, two);
    }

    [Fact]
    public void Every_built_in_activation_quantises_and_matches_its_float_layer()
    {
        foreach (Activation activation in Enum.GetValues<Activation>())
        {
            var net = new ActivationProbe(activation);
            var random = new Random((int)activation);
            var inputs = Enumerable.Range(0, 200 * 6).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
            QuantizedNetwork quantized = QuantizedNetwork.Create(net, inputs);
            var expected = net.Forward(inputs);
            var actual = new float[expected.Length];
            quantized.Forward(inputs, actual);
            float spread = expected.Max() - expected.Min();
            for (int i = 0; i < expected.Length; i++)
                Assert.True(Math.Abs(expected[i] - actual[i]) < 0.05 * spread + 1e-3, $"{activation}: output {i} is {actual[i]}, float {expected[i]}.");
        }
    }
}

/// <summary>A small MLP of the tutorial's shape.</summary>
[Network(Input = 784, Loss = Loss.SoftmaxCrossEntropy)]
public sealed partial class QuantizationMlp
{
    [Dense(100, Activation.ReLU)] public partial DenseLayer Hidden { get; }
    [Dense(10)] public partial DenseLayer Output { get; }
}

/// <summary>A hand-made network of one layer with <paramref name="activation"/> then one without, and its float forward pass done naively.</summary>
internal sealed class ActivationProbe : INetwork
{
    private readonly DenseLayer _first;
    private readonly DenseLayer _second;

    public ActivationProbe(Activation activation)
    {
        string name = activation.ToString();
        _first = new DenseLayer("First", 6, 5, activation == Activation.None ? LayerActivation.None : new LayerActivation(name, null));
        _second = new DenseLayer("Second", 5, 3) { Inputs = ["First"] };
        var random = new Random(1);
        foreach (Parameter p in Parameters)
        {
            for (int i = 0; i < p.Length; i++)
                p.Value[i] = (float)(random.NextDouble() * 2 - 1);
        }
        Rule = activation switch
        {
            Activation.None => x => x,
            Activation.ReLU => x => Math.Max(x, 0),
            Activation.LeakyReLU => x => x > 0 ? x : 0.01 * x,
            Activation.Sigmoid => x => 1 / (1 + Math.Exp(-x)),
            Activation.Tanh => Math.Tanh,
            Activation.GELU => x => 0.5 * x * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x))),
            Activation.SiLU => x => x / (1 + Math.Exp(-x)),
            _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, "A new activation: add its rule here."),
        };
    }

    private Func<double, double> Rule { get; }

    public int InputSize => 6;
    public int OutputSize => 3;
    public int MaxBatchSize => 50;
    public IReadOnlyList<Parameter> Parameters => [_first.Weight, _first.Bias, _second.Weight, _second.Bias];
    public IReadOnlyList<Layer> Layers => [_first, _second];

    public float[] Forward(float[] inputs)
    {
        int count = inputs.Length / 6;
        var outputs = new float[count * 3];
        var hidden = new double[5];
        for (int s = 0; s < count; s++)
        {
            for (int j = 0; j < 5; j++)
            {
                double z = _first.Bias.Value[j];
                for (int k = 0; k < 6; k++)
                    z += inputs[s * 6 + k] * (double)_first.Weight.Value[k * 5 + j];
                hidden[j] = Rule(z);
            }
            for (int j = 0; j < 3; j++)
            {
                double z = _second.Bias.Value[j];
                for (int k = 0; k < 5; k++)
                    z += hidden[k] * _second.Weight.Value[k * 3 + j];
                outputs[s * 3 + j] = (float)z;
            }
        }
        return outputs;
    }
}
