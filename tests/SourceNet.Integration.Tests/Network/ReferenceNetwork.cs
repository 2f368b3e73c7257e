namespace SourceNet.Integration.Tests.Network;

/// <summary>
/// A slow, obviously correct dense network in double precision, built from the generated network's
/// parameters: the independent reference the generated forward pass and gradients are checked against.
/// </summary>
public sealed class ReferenceNetwork
{
    private readonly IReadOnlyList<Parameter> _parameters;
    private readonly Func<double, double>[] _activations;
    private readonly bool _softmaxCrossEntropy;

    public ReferenceNetwork(INetwork network, bool softmaxCrossEntropy, params Func<double, double>[] activations)
    {
        _parameters = network.Parameters;
        _activations = activations;
        _softmaxCrossEntropy = softmaxCrossEntropy;
        Assert.Equal(_parameters.Count, 2 * activations.Length);
    }

    public static double Identity(double z) => z;
    public static double Relu(double z) => Math.Max(0, z);
    public static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));
    public static double Tanh(double z) => Math.Tanh(z);

    /// <summary>Output of one sample (logits for a classifier).</summary>
    public double[] Forward(ReadOnlySpan<float> input, Func<Parameter, int, double>? valueOf = null)
    {
        valueOf ??= static (p, i) => p.Value[i];
        double[] x = input.ToArray().Select(v => (double)v).ToArray();
        for (int layer = 0; layer < _activations.Length; layer++)
        {
            Parameter w = _parameters[2 * layer], b = _parameters[2 * layer + 1];
            Assert.Equal(x.Length, w.Rows);
            var y = new double[w.Columns];
            for (int j = 0; j < w.Columns; j++)
            {
                double sum = valueOf(b, j);
                for (int i = 0; i < w.Rows; i++) sum += x[i] * valueOf(w, i * w.Columns + j);
                y[j] = _activations[layer](sum);
            }
            x = y;
        }
        return x;
    }

    /// <summary>Mean loss over the batch, with targets as class labels (classifier) or values (regression).</summary>
    public double Loss(float[] inputs, int[] labels, float[] targets, Func<Parameter, int, double>? valueOf = null)
    {
        int inputSize = _parameters[0].Rows;
        int batch = inputs.Length / inputSize;
        double total = 0;
        for (int s = 0; s < batch; s++)
        {
            double[] output = Forward(inputs.AsSpan(s * inputSize, inputSize), valueOf);
            if (_softmaxCrossEntropy)
            {
                double max = output.Max();
                double logSum = Math.Log(output.Sum(z => Math.Exp(z - max))) + max;
                total += logSum - output[labels[s]];
            }
            else
            {
                // Keras' mse, PyTorch's MSELoss: the mean over every output of every sample.
                for (int j = 0; j < output.Length; j++)
                {
                    double d = output[j] - targets[s * output.Length + j];
                    total += d * d / output.Length;
                }
            }
        }
        return total / batch;
    }

    /// <summary>dLoss/dθ for every parameter element by central differences on the double-precision loss.</summary>
    public double[][] NumericalGradients(float[] inputs, int[] labels, float[] targets, double step = 1e-6)
    {
        var result = new double[_parameters.Count][];
        for (int p = 0; p < _parameters.Count; p++)
        {
            Parameter parameter = _parameters[p];
            result[p] = new double[parameter.Length];
            for (int i = 0; i < parameter.Length; i++)
            {
                int index = i;
                double Perturbed(double delta) => Loss(inputs, labels, targets,
                    (q, k) => ReferenceEquals(q, parameter) && k == index ? q.Value[k] + delta : q.Value[k]);
                result[p][i] = (Perturbed(step) - Perturbed(-step)) / (2 * step);
            }
        }
        return result;
    }
}
