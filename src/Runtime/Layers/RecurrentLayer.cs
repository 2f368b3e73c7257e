using System;
using System.Collections.Generic;
using SourceNet.Export;

namespace SourceNet;

/// <summary>
/// What an LSTM and a GRU layer share: a sequence (steps, inputs) in, the last hidden state (units) or every step's
/// (steps, units) out, and PyTorch's four tensors, stored transposed for the products: <see cref="WeightIh"/>
/// [inputs, gates·units] (PyTorch's <c>weight_ih_l0</c> [gates·units, inputs]), <see cref="WeightHh"/> [units,
/// gates·units] (<c>weight_hh_l0</c>), <see cref="BiasIh"/> and <see cref="BiasHh"/> [gates·units], the gates'
/// blocks in PyTorch's order. The maths lives in the generated network; this object owns the named tensors and lowers
/// the layer to ONNX's own recurrent operator.
/// </summary>
public abstract class RecurrentLayer : Layer
{
    private readonly Parameter[] _parameters;

    /// <summary>Creates the layer's parameters, zero-filled.</summary>
    /// <param name="name">The layer's name.</param>
    /// <param name="steps">Steps of every sequence (fixed at compile time).</param>
    /// <param name="inputs">Features of each input step.</param>
    /// <param name="units">Size of the hidden state.</param>
    /// <param name="gates">Gate blocks in the weights: 4 for an LSTM, 3 for a GRU.</param>
    /// <param name="returnSequences">Whether the output is every step's hidden state rather than the last.</param>
    protected RecurrentLayer(string name, int steps, int inputs, int units, int gates, bool returnSequences)
        : base(name, LayerShape.Sequence(steps, inputs), returnSequences ? LayerShape.Sequence(steps, units) : LayerShape.Features(units))
    {
        Steps = steps;
        InputCount = inputs;
        Units = units;
        GateCount = gates;
        ReturnSequences = returnSequences;
        WeightIh = new Parameter(name + ".WeightIh", inputs, gates * units);
        WeightHh = new Parameter(name + ".WeightHh", units, gates * units);
        BiasIh = new Parameter(name + ".BiasIh", 1, gates * units);
        BiasHh = new Parameter(name + ".BiasHh", 1, gates * units);
        _parameters = new[] { WeightIh, WeightHh, BiasIh, BiasHh };
    }

    /// <summary>Steps of every sequence.</summary>
    public int Steps { get; }

    /// <summary>Features of each input step.</summary>
    public int InputCount { get; }

    /// <summary>Size of the hidden state.</summary>
    public int Units { get; }

    /// <summary>Gate blocks in the weights: 4 for an LSTM (i, f, g, o), 3 for a GRU (r, z, n).</summary>
    public int GateCount { get; }

    /// <summary>Whether the output is every step's hidden state (steps, units) rather than the last one's (units).</summary>
    public bool ReturnSequences { get; }

    /// <summary>Input-to-hidden weights, [inputs, gates·units]; PyTorch's <c>weight_ih_l0</c> is its transpose.</summary>
    public Parameter WeightIh { get; }

    /// <summary>Hidden-to-hidden weights, [units, gates·units]; PyTorch's <c>weight_hh_l0</c> is its transpose.</summary>
    public Parameter WeightHh { get; }

    /// <summary>Input-side bias, [gates·units] (PyTorch's <c>bias_ih_l0</c>).</summary>
    public Parameter BiasIh { get; }

    /// <summary>Hidden-side bias, [gates·units] (PyTorch's <c>bias_hh_l0</c>).</summary>
    public Parameter BiasHh { get; }

    /// <inheritdoc/>
    public override IReadOnlyList<Parameter> Parameters => _parameters;

    /// <summary>The ONNX operator (<c>LSTM</c>, <c>GRU</c>).</summary>
    protected abstract string OnnxOperator { get; }

    /// <summary>For each gate block in ONNX's order, the index of the same gate in PyTorch's (and SourceNet's) order.</summary>
    protected abstract int[] OnnxGateOrder { get; }

    /// <summary>Attributes of the ONNX node beyond <c>hidden_size</c>.</summary>
    protected virtual OpAttribute[] OnnxAttributes => Array.Empty<OpAttribute>();

    /// <summary>
    /// ONNX opset 17's recurrent operator, which wants time-major input [steps, batch, inputs], weights [1, gates·units,
    /// inputs] and [1, gates·units, units] with its own gate order, and one bias [1, 2·gates·units] (input side, then hidden
    /// side); its output Y is [steps, 1, batch, units]. Reshape and Transpose nodes move between that and SourceNet's flat
    /// sample-major [batch, steps·features] on both sides; the last step is a Slice of Y.
    /// </summary>
    public override OpValue Lower(IOpGraph graph, IReadOnlyList<OpValue> inputs)
    {
        ArgumentNullException.ThrowIfNull(graph);
        OpValue input = graph.ToFeatures(Name, SingleInput(inputs));
        string sequences = graph.Node("Reshape", Name + "_sequences", new[] { input.Name, graph.Int64s(Name + "_sequence_shape", -1, Steps, InputCount) });
        string timeMajor = graph.Node("Transpose", Name + "_time_major", new[] { sequences }, OpAttribute.Of("perm", 1, 0, 2));
        int rows = GateCount * Units;
        string w = graph.Floats(Name + ".W", Reorder(WeightIh.Value, InputCount), 1, rows, InputCount);
        string r = graph.Floats(Name + ".R", Reorder(WeightHh.Value, Units), 1, rows, Units);
        var bias = new float[2 * rows];
        Reorder(BiasIh.Value, 1).CopyTo(bias, 0);
        Reorder(BiasHh.Value, 1).CopyTo(bias, rows);
        string b = graph.Floats(Name + ".B", bias, 1, 2 * rows);
        var attributes = new List<OpAttribute> { OpAttribute.Integer("hidden_size", Units) };
        attributes.AddRange(OnnxAttributes);
        string y = graph.Node(OnnxOperator, Name, new[] { timeMajor, w, r, b }, attributes.ToArray());
        if (ReturnSequences)
        {
            string sampleMajor = graph.Node("Transpose", Name + "_sample_major", new[] { y }, OpAttribute.Of("perm", 2, 0, 1, 3));
            string flat = graph.Node("Reshape", Name + "_flat", new[] { sampleMajor, graph.Int64s(Name + "_flat_shape", -1, (long)Steps * Units) });
            return new OpValue(flat, OpLayout.Features, OutputShape);
        }
        string last = graph.Node("Slice", Name + "_last_step", new[] { y, graph.Int64s(Name + "_last_start", Steps - 1), graph.Int64s(Name + "_last_end", Steps), graph.Int64s(Name + "_last_axis", 0) });
        string state = graph.Node("Reshape", Name + "_last_state", new[] { last, graph.Int64s(Name + "_state_shape", -1, Units) });
        return new OpValue(state, OpLayout.Features, OutputShape);
    }

    /// <summary>A stored [columns, gates·units] tensor (columns = 1 for a bias) as ONNX's [gates·units, columns] in ONNX's gate order.</summary>
    private float[] Reorder(float[] stored, int columns)
    {
        int rows = GateCount * Units;
        var result = new float[rows * columns];
        int[] order = OnnxGateOrder;
        for (int gate = 0; gate < GateCount; gate++)
        {
            for (int j = 0; j < Units; j++)
            {
                int source = order[gate] * Units + j;
                int target = gate * Units + j;
                for (int k = 0; k < columns; k++)
                {
                    result[target * columns + k] = stored[k * rows + source];
                }
            }
        }
        return result;
    }
}
