namespace SourceNet.Integration.Tests.Graphs;

/// <summary>
/// LSTM and GRU of one sample from their definitions (PyTorch's equations), in double precision, step by step with
/// plain loops: the reference the generated backpropagation through time is checked against. Weights are read in
/// SourceNet's storage, W_ih [inputs, gates·units] and W_hh [units, gates·units], gate blocks in PyTorch's order.
/// </summary>
public static class RecurrentReference
{
    /// <summary>The last hidden state (units), or every step's (steps·units, sample-major) when the layer returns sequences.</summary>
    public static double[] Lstm(LstmLayer layer, double[] x, Func<Parameter, int, double> valueOf)
    {
        int units = layer.Units;
        var h = new double[units];
        var c = new double[units];
        var outputs = new List<double>();
        for (int t = 0; t < layer.Steps; t++)
        {
            double[] z = PreActivations(layer, x, t, h, valueOf, out _);
            var next = new double[units];
            for (int j = 0; j < units; j++)
            {
                double i = Sigmoid(z[j]), f = Sigmoid(z[units + j]), g = Math.Tanh(z[2 * units + j]), o = Sigmoid(z[3 * units + j]);
                c[j] = f * c[j] + i * g;
                next[j] = o * Math.Tanh(c[j]);
            }
            h = next;
            if (layer.ReturnSequences) outputs.AddRange(h);
        }
        return layer.ReturnSequences ? outputs.ToArray() : h;
    }

    /// <summary>As <see cref="Lstm"/>, for a GRU: n = tanh(x_n + r·(W_hn h + b_hn)), h' = (1 − z)·n + z·h.</summary>
    public static double[] Gru(GruLayer layer, double[] x, Func<Parameter, int, double> valueOf)
    {
        int units = layer.Units;
        var h = new double[units];
        var outputs = new List<double>();
        for (int t = 0; t < layer.Steps; t++)
        {
            double[] fromInput = PreActivations(layer, x, t, h, valueOf, out double[] fromHidden);
            var next = new double[units];
            for (int j = 0; j < units; j++)
            {
                double r = Sigmoid(fromInput[j] + fromHidden[j]);
                double z = Sigmoid(fromInput[units + j] + fromHidden[units + j]);
                double n = Math.Tanh(fromInput[2 * units + j] + r * fromHidden[2 * units + j]);
                next[j] = (1 - z) * n + z * h[j];
            }
            h = next;
            if (layer.ReturnSequences) outputs.AddRange(h);
        }
        return layer.ReturnSequences ? outputs.ToArray() : h;
    }

    /// <summary>W_ih x_t + b_ih + W_hh h + b_hh for an LSTM (the sum); for a GRU the input side, with the hidden side in <paramref name="fromHidden"/>.</summary>
    private static double[] PreActivations(RecurrentLayer layer, double[] x, int t, double[] h, Func<Parameter, int, double> valueOf, out double[] fromHidden)
    {
        int width = layer.GateCount * layer.Units;
        var fromInput = new double[width];
        fromHidden = new double[width];
        for (int col = 0; col < width; col++)
        {
            double sum = valueOf(layer.BiasIh, col);
            for (int k = 0; k < layer.InputCount; k++) sum += x[t * layer.InputCount + k] * valueOf(layer.WeightIh, k * width + col);
            fromInput[col] = sum;
            double hidden = valueOf(layer.BiasHh, col);
            for (int m = 0; m < layer.Units; m++) hidden += h[m] * valueOf(layer.WeightHh, m * width + col);
            fromHidden[col] = hidden;
        }
        if (layer is LstmLayer)
        {
            for (int col = 0; col < width; col++) fromInput[col] += fromHidden[col];
        }
        return fromInput;
    }

    private static double Sigmoid(double v) => 1 / (1 + Math.Exp(-v));
}
