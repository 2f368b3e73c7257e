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
/// step, the activated gates, <c>W_hn h + b_hn</c> and the hidden state. Each step is one fused kernel
/// (<c>GruStep</c>): the recurrent product with the cell in its epilogue, forward and backward, on W_hh packed once per
/// pass, after one product for every step's input projection. Its two sides have different pre-activation gradients (the hidden side's n block is scaled by r), so it keeps
/// both for the weight products, and carries z·dh (the direct path to the previous state) from step to step.
/// </summary>
internal sealed class GruKind : RecurrentKind
{
    public static readonly GruKind Instance = new();

    public override string Name => "Gru";

    public override string AttributeName => "SourceNet.GruAttribute";

    public override string RuntimeType => "SourceNet.GruLayer";

    public override int Gates => 3;

    protected override string Cell => "global::SourceNet.Kernels.GruStep";

    public override LayerSpec? Read(LayerReader reader)
    {
        AttributeArguments a = reader.Arguments;
        return new GruSpec(reader.Name, reader.Accessibility, a.Int("units"), a.Bool("ReturnSequences"));
    }

    protected override IEnumerable<string> FieldNames => new[]
    {
        "StepInputs", "Gates", "Hidden", "ResetHidden", "GateGradients", "HiddenGateGradients", "DirectGradient", "StepInputGradients", "ForwardWeights", "BackwardWeights",
    };

    protected override IEnumerable<(string Suffix, string PerSample)> ForwardBuffers(LayerContext c)
    {
        string steps = c.Constant("Steps"), units = c.Constant("Units"), width = c.Constant("GateWidth");
        yield return ("StepInputs", $"{steps} * {c.Constant("Inputs")}");
        yield return ("Gates", $"{steps} * {width}");
        yield return ("Hidden", $"({steps} + 1) * {units}");
        yield return ("ResetHidden", $"{steps} * {units}");
    }

    protected override IEnumerable<(string Suffix, string PerSample)> BackwardBuffers(LayerContext c)
    {
        string steps = c.Constant("Steps"), units = c.Constant("Units"), width = c.Constant("GateWidth");
        yield return ("GateGradients", $"{steps} * {width}");
        yield return ("HiddenGateGradients", $"{steps} * {width}");
        yield return ("DirectGradient", units);
        yield return ("StepInputGradients", $"{steps} * {c.Constant("Inputs")}");
    }

    protected override void WriteInitialState(LayerContext c)
    {
        string units = c.Constant("Units");
        c.W.Line($"global::System.Array.Clear({c.Member("Hidden")}, 0, batch * {units});");
        c.W.Line($"// the input projection of all {Text.Of(((GruSpec)c.Layer).In.Steps)} steps in one product, step-major: [batch x steps, inputs] x [inputs, {Text.Of(3L * ((GruSpec)c.Layer).Units)}] + b_ih");
        c.W.Line($"{Gemm}.MatMulBias<{Identity}>(batch * {c.Constant("Steps")}, {c.Constant("GateWidth")}, {c.Constant("Inputs")}, {c.Member("StepInputs")}, {c.Field}.WeightIh.Value, {c.Field}.BiasIh.Value, {c.Member("Gates")});");
        c.W.Line("// W_hh packed once for the steps: the three gates of each block of eight units side by side");
        c.W.Line($"{Cell}.PackForwardWeights({units}, {c.Field}.WeightHh.Value, {c.Member("ForwardWeights")});");
    }

    protected override string ForwardWeightsLength(LayerContext c) => $"{Cell}.ForwardWeightsLength({c.Constant("Units")})";

    protected override void WriteStep(LayerContext c, string sequence)
    {
        var gru = (GruSpec)c.Layer;
        c.W.Line($"// x W_ih + b_ih and h x W_hh + b_hh ([batch, {Text.Of(gru.Units)}] x [{Text.Of(gru.Units)}, {Text.Of(3L * gru.Units)}]); r, z = sigmoid, n = tanh(x_n + r*(W_hn h + b_hn)), h' = (1 - z)*n + z*h in the product's epilogue");
        c.W.Line($"{Cell}.Forward(batch, {c.Constant("Units")}, {c.Constant("Steps")}, step, {c.Member("ForwardWeights")}, {c.Field}.BiasHh.Value, {c.Member("Gates")}, {c.Member("ResetHidden")}, {c.Member("Hidden")}, {sequence});");
    }

    protected override string HiddenSideGradients(LayerContext c) => c.Member("HiddenGateGradients");

    protected override void WriteBackwardStep(LayerContext c, string outputGradient)
    {
        var gru = (GruSpec)c.Layer;
        c.W.Line($"// dLoss/dh = dZ_hidden(step + 1) x W_hh^T ([batch, {Text.Of(3L * gru.Units)}] x [{Text.Of(3L * gru.Units)}, {Text.Of(gru.Units)}]) + z*dh(step + 1), the output's gradient at the last step; both sides' dZ of this step and z*dh in the product's epilogue");
        c.W.Line($"{Cell}.Backward(batch, {c.Constant("Units")}, {c.Constant("Steps")}, step, {c.Member("BackwardWeights")}, {c.Member("Gates")}, {c.Member("ResetHidden")}, {c.Member("Hidden")}, {LastHiddenGradient(c)}, {outputGradient}, {c.Member("DirectGradient")}, {c.Member("GateGradients")}, {c.Member("HiddenGateGradients")});");
    }
}
