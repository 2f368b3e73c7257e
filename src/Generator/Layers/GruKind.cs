using System.Collections.Generic;
using SourceNet.Generator.Emit;
using SourceNet.Generator.Model;
using SourceNet.Generator.Parsing;

namespace SourceNet.Generator.Layers;

/// <summary>A GRU layer's arguments, as written in <c>[Gru(units)]</c>.</summary>
internal sealed record GruSpec(string Name, string Accessibility, int Units, bool ReturnSequences)
    : RecurrentSpec(Name, Accessibility, Units, ReturnSequences)
{
    public override LayerKind Kind => GruKind.Instance;
}

/// <summary>
/// <c>[Gru(units)]</c>: PyTorch's <c>nn.GRU</c> (gates r, z, n; the reset gate scales <c>W_hn h + b_hn</c>). Keeps, per
/// step, the activated gates, <c>W_hn h + b_hn</c> and the hidden state. Its two sides have different pre-activation
/// gradients (the hidden side's n block is scaled by r), so it keeps both for the weight products.
/// </summary>
internal sealed class GruKind : RecurrentKind
{
    public static readonly GruKind Instance = new();

    public override string Name => "Gru";

    public override string AttributeName => "SourceNet.GruAttribute";

    public override string RuntimeType => "SourceNet.GruLayer";

    public override int Gates => 3;

    protected override string Cell => "global::SourceNet.Kernels.GruCell";

    public override LayerSpec? Read(LayerReader reader)
    {
        AttributeArguments a = reader.Arguments;
        return new GruSpec(reader.Name, reader.Accessibility, a.Int("units"), a.Bool("ReturnSequences"));
    }

    protected override IEnumerable<string> FieldNames => new[]
    {
        "StepInputs", "Gates", "Recurrent", "Hidden", "ResetHidden", "GateGradients", "HiddenGateGradients", "HiddenGradient", "DirectGradient", "StepInputGradients",
    };

    protected override IEnumerable<(string Suffix, string PerSample)> ForwardBuffers(LayerContext c)
    {
        string steps = c.Constant("Steps"), units = c.Constant("Units"), width = c.Constant("GateWidth");
        yield return ("StepInputs", $"{steps} * {c.Constant("Inputs")}");
        yield return ("Gates", $"{steps} * {width}");
        yield return ("Recurrent", width);
        yield return ("Hidden", $"({steps} + 1) * {units}");
        yield return ("ResetHidden", $"{steps} * {units}");
    }

    protected override IEnumerable<(string Suffix, string PerSample)> BackwardBuffers(LayerContext c)
    {
        string steps = c.Constant("Steps"), units = c.Constant("Units"), width = c.Constant("GateWidth");
        yield return ("GateGradients", $"{steps} * {width}");
        yield return ("HiddenGateGradients", $"{steps} * {width}");
        yield return ("HiddenGradient", units);
        yield return ("DirectGradient", units);
        yield return ("StepInputGradients", $"{steps} * {c.Constant("Inputs")}");
    }

    protected override void WriteInitialState(LayerContext c) =>
        c.W.Line($"global::System.Array.Clear({c.Member("Hidden")}, 0, batch * {c.Constant("Units")});");

    protected override void WriteStep(LayerContext c, string sequence)
    {
        WriteRecurrentProduct(c);
        c.W.Line("// r, z = sigmoid, n = tanh(x_n + r*(W_hn h + b_hn)), h' = (1 - z)*n + z*h, on the rows the product has just written");
        c.W.Line($"{Cell}.Forward(batch, {c.Constant("Units")}, {c.Constant("Steps")}, step, {c.Member("Recurrent")}, {c.Member("Gates")}, {c.Member("ResetHidden")}, {c.Member("Hidden")}, {sequence});");
    }

    protected override string HiddenSideGradients(LayerContext c) => c.Member("HiddenGateGradients");

    protected override void WriteBackwardStep(LayerContext c, string outputGradient)
    {
        var gru = (GruSpec)c.Layer;
        string units = c.Constant("Units"), width = c.Constant("GateWidth");
        c.W.Line("// both sides' pre-activation gradients of this step, and z*dh (the direct path to the previous state)");
        c.W.Line($"{Cell}.Backward(batch, {units}, {c.Constant("Steps")}, step, {c.Member("Gates")}, {c.Member("ResetHidden")}, {c.Member("Hidden")}, {c.Member("HiddenGradient")}, {outputGradient}, {c.Member("GateGradients")}, {c.Member("HiddenGateGradients")}, {c.Member("DirectGradient")});");
        using (c.W.Block("if (step > 0)"))
        {
            c.W.Line($"// dLoss/dh of the step before: dZ_hidden x W_hh^T ([batch, {Text.Of(3L * gru.Units)}] x [{Text.Of(3L * gru.Units)}, {Text.Of(gru.Units)}]) + z*dh");
            c.W.Line($"{Gemm}.MatMulTransposeB(batch, {units}, {width}, new {ReadOnlySpan}({c.Member("HiddenGateGradients")}, step * batch * {width}, batch * {width}), {c.Field}.WeightHh.Value, {c.Member("HiddenGradient")});");
            c.W.Line($"global::System.Numerics.Tensors.TensorPrimitives.Add(new {ReadOnlySpan}({c.Member("HiddenGradient")}, 0, batch * {units}), new {ReadOnlySpan}({c.Member("DirectGradient")}, 0, batch * {units}), new global::System.Span<float>({c.Member("HiddenGradient")}, 0, batch * {units}));");
        }
    }
}
