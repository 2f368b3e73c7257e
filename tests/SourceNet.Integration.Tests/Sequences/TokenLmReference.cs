namespace SourceNet.Integration.Tests.Sequences;

/// <summary>
/// An independent double-precision language model: an embedding lookup, dense layers applied at each step (tanh on
/// every one but the last), and softmax cross-entropy at every step, averaged over samples and steps. Written from
/// the definitions, with plain loops; it shares nothing with the generated code but the parameters it reads.
/// </summary>
internal sealed class TokenLmReference
{
    private readonly double[] _table;
    private readonly int _dimension;
    private readonly (double[] Weight, double[] Bias, int Inputs, int Units)[] _dense;

    public TokenLmReference(EmbeddingLayer embedding, params DenseLayer[] dense)
    {
        _table = embedding.Weight.Value.Select(v => (double)v).ToArray();
        _dimension = embedding.Dimension;
        _dense = dense.Select(d => (d.Weight.Value.Select(v => (double)v).ToArray(), d.Bias.Value.Select(v => (double)v).ToArray(), d.InputCount, d.Units)).ToArray();
    }

    /// <summary>Every parameter as one list of arrays, embedding first, then each dense weight and bias (the network's order).</summary>
    public IReadOnlyList<double[]> Parameters => new[] { _table }.Concat(_dense.SelectMany(d => new[] { d.Weight, d.Bias })).ToArray();

    /// <summary>The logits of each step of each sample, [samples * steps][classes].</summary>
    public double[][] Logits(int[] tokens)
    {
        var rows = new double[tokens.Length][];
        for (int r = 0; r < tokens.Length; r++)
        {
            double[] x = new double[_dimension];
            Array.Copy(_table, tokens[r] * _dimension, x, 0, _dimension);
            for (int l = 0; l < _dense.Length; l++)
            {
                (double[] w, double[] b, int inputs, int units) = _dense[l];
                var z = new double[units];
                for (int u = 0; u < units; u++)
                {
                    double sum = b[u];
                    for (int i = 0; i < inputs; i++)
                        sum += x[i] * w[i * units + u];
                    z[u] = l < _dense.Length - 1 ? Math.Tanh(sum) : sum;
                }
                x = z;
            }
            rows[r] = x;
        }
        return rows;
    }

    /// <summary>The mean over every step of -log softmax(z)[label].</summary>
    public double Loss(int[] tokens, int[] labels)
    {
        double[][] logits = Logits(tokens);
        double total = 0;
        for (int r = 0; r < logits.Length; r++)
        {
            double max = logits[r].Max();
            double sum = logits[r].Sum(z => Math.Exp(z - max));
            total += Math.Log(sum) + max - logits[r][labels[r]];
        }
        return total / logits.Length;
    }

    /// <summary>dLoss/dParameter by central differences of the double-precision loss.</summary>
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
