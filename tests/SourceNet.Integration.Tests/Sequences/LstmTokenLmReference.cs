namespace SourceNet.Integration.Tests.Sequences;

/// <summary>
/// An independent double-precision model of <see cref="LstmTokenLm"/>: embedding lookup, PyTorch's LSTM equations
/// (gates i, f, g, o; c = f·c + i·g; h = o·tanh(c); zero initial state) at every step, a dense layer per step and the
/// per-step softmax cross-entropy averaged over samples and steps. Plain loops from the definitions.
/// </summary>
internal sealed class LstmTokenLmReference
{
    private readonly double[] _table, _wih, _whh, _bih, _bhh, _wd, _bd;
    private readonly int _dimension, _units, _classes, _steps;

    public LstmTokenLmReference(LstmTokenLm network)
    {
        static double[] D(Parameter p) => p.Value.Select(v => (double)v).ToArray();
        _table = D(network.Embed.Weight);
        _wih = D(network.Recurrent.WeightIh);
        _whh = D(network.Recurrent.WeightHh);
        _bih = D(network.Recurrent.BiasIh);
        _bhh = D(network.Recurrent.BiasHh);
        _wd = D(network.Logits.Weight);
        _bd = D(network.Logits.Bias);
        _dimension = network.Embed.Dimension;
        _units = network.Recurrent.Units;
        _classes = network.Logits.Units;
        _steps = network.Recurrent.Steps;
    }

    /// <summary>The parameters in the network's order.</summary>
    public IReadOnlyList<double[]> Parameters => new[] { _table, _wih, _whh, _bih, _bhh, _wd, _bd };

    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    public double Loss(int[] tokens, int[] labels)
    {
        int samples = tokens.Length / _steps, h4 = 4 * _units;
        double total = 0;
        for (int s = 0; s < samples; s++)
        {
            var h = new double[_units];
            var c = new double[_units];
            for (int t = 0; t < _steps; t++)
            {
                int token = tokens[s * _steps + t];
                var gates = new double[h4];
                for (int j = 0; j < h4; j++)
                {
                    double sum = _bih[j] + _bhh[j];
                    for (int i = 0; i < _dimension; i++)
                        sum += _table[token * _dimension + i] * _wih[i * h4 + j];
                    for (int k = 0; k < _units; k++)
                        sum += h[k] * _whh[k * h4 + j];
                    gates[j] = sum;
                }
                for (int u = 0; u < _units; u++)
                {
                    double ig = Sigmoid(gates[u]), fg = Sigmoid(gates[_units + u]), gg = Math.Tanh(gates[2 * _units + u]), og = Sigmoid(gates[3 * _units + u]);
                    c[u] = fg * c[u] + ig * gg;
                    h[u] = og * Math.Tanh(c[u]);
                }
                var z = new double[_classes];
                for (int k = 0; k < _classes; k++)
                {
                    z[k] = _bd[k];
                    for (int u = 0; u < _units; u++)
                        z[k] += h[u] * _wd[u * _classes + k];
                }
                double max = z.Max();
                total += Math.Log(z.Sum(v => Math.Exp(v - max))) + max - z[labels[s * _steps + t]];
            }
        }
        return total / tokens.Length;
    }

    public double NumericalGradient(int[] tokens, int[] labels, double[] parameter, int index, double h = 1e-5)
    {
        double saved = parameter[index];
        parameter[index] = saved + h;
        double plus = Loss(tokens, labels);
        parameter[index] = saved - h;
        double minus = Loss(tokens, labels);
        parameter[index] = saved;
        return (plus - minus) / (2 * h);
    }
}
