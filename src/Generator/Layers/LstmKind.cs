using System.Collections.Generic;
using SourceNet.Generator.Emit;
using SourceNet.Generator.Model;
using SourceNet.Generator.Parsing;

namespace SourceNet.Generator.Layers;

/// <summary>An LSTM layer's arguments, as written in <c>[Lstm(units)]</c>.</summary>
internal sealed record LstmSpec(string Name, string Accessibility, int Units, bool ReturnSequences, float ForgetBias)
    : RecurrentSpec(Name, Accessibility, Units, ReturnSequences)
{
    public override LayerKind Kind => LstmKind.Instance;
}

/// <summary>
/// <c>[Lstm(units)]</c>: PyTorch's <c>nn.LSTM</c> (gates i, f, g, o). Keeps, per step, the activated gates, the cell
/// state and tanh of it, and the hidden state, for backpropagation through time. Each step is one fused kernel
/// (<c>LstmStep</c>): forward, its input projection and the recurrent product with the cell in its epilogue, on
/// b_ih, W_ih and W_hh packed once per pass; backward, the product with W_hhᵀ with the cell's derivatives.
/// </summary>
internal sealed class LstmKind : RecurrentKind
{
    public static readonly LstmKind Instance = new();

    public override string Name => "Lstm";

    public override string AttributeName => "SourceNet.LstmAttribute";

    public override string RuntimeType => "SourceNet.LstmLayer";

    public override int Gates => 4;

    protected override string Cell => "global::SourceNet.Kernels.LstmStep";

    public override LayerSpec? Read(LayerReader reader)
    {
        AttributeArguments a = reader.Arguments;
        return new LstmSpec(reader.Name, reader.Accessibility, a.Int("units"), a.Bool("ReturnSequences"), a.Float("ForgetBias"));
    }

    public override void CheckArguments(LayerSpec layer, Shapes.ProblemSink problems)
    {
        base.CheckArguments(layer, problems);
        var lstm = (LstmSpec)layer;
        if (float.IsNaN(lstm.ForgetBias) || float.IsInfinity(lstm.ForgetBias))
        {
            problems.Report(Diagnostics.DiagnosticDescriptors.InvalidForgetBiasId, "ForgetBias", lstm.Name, lstm.ForgetBias.ToString("R", System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    protected override IEnumerable<string> FieldNames => new[]
    {
        "StepInputs", "Gates", "Hidden", "Cells", "CellTanh", "CellGradient", "StepInputGradients", "ForwardWeights", "BackwardWeights", "SharedSteps",
    };

    /// <summary>
    /// Whether backpropagation through time carries the rows that share their first steps once
    /// (LstmStep.FindSharedSteps): each row's own dZ is then not kept, only the sums the weights' gradients take, so
    /// not where a layer below reads dLoss/dInput or where each step's output has its own gradient.
    /// </summary>
    private static bool CarriesSharedRowsOnce(LayerContext c) => c.InputGradient is null && !((LstmSpec)c.Layer).ReturnSequences;

    public override void WriteDeclarations(LayerContext c)
    {
        base.WriteDeclarations(c);
        if (CarriesSharedRowsOnce(c))
            c.W.Line($"private readonly int[] {c.Member("SharedSteps")};");
    }

    protected override IEnumerable<(string Suffix, string PerSample)> ForwardBuffers(LayerContext c)
    {
        string steps = c.Constant("Steps"), units = c.Constant("Units"), width = c.Constant("GateWidth");
        yield return ("StepInputs", $"{steps} * {c.Constant("Inputs")}");
        yield return ("Gates", $"{steps} * {width}");
        yield return ("Hidden", $"({steps} + 1) * {units}");
        yield return ("Cells", $"({steps} + 1) * {units}");
        yield return ("CellTanh", $"{steps} * {units}");
    }

    protected override IEnumerable<(string Suffix, string PerSample)> BackwardBuffers(LayerContext c)
    {
        string steps = c.Constant("Steps"), units = c.Constant("Units");
        yield return ("CellGradient", units);
        yield return ("StepInputGradients", $"{steps} * {c.Constant("Inputs")}");
    }

    public override void WriteAllocations(LayerContext c)
    {
        base.WriteAllocations(c);
        if (CarriesSharedRowsOnce(c))
            c.W.Line($"{c.Member("SharedSteps")} = new int[maxBatchSize];");
        var lstm = (LstmSpec)c.Layer;
        if (lstm.ForgetBias != 0f)
        {
            c.W.Line($"// {lstm.Name}: ForgetBias added to the forget gate's block of b_ih, after the uniform draw");
            c.W.Line($"global::System.Numerics.Tensors.TensorPrimitives.Add(new global::System.Span<float>({c.Field}.BiasIh.Value, {c.Constant("Units")}, {c.Constant("Units")}), {Helpers.SourceWriter.Float(lstm.ForgetBias)}, new global::System.Span<float>({c.Field}.BiasIh.Value, {c.Constant("Units")}, {c.Constant("Units")}));");
        }
    }

    protected override void WriteInitialState(LayerContext c)
    {
        string units = c.Constant("Units");
        c.W.Line($"global::System.Array.Clear({c.Member("Hidden")}, 0, batch * {units});");
        c.W.Line($"global::System.Array.Clear({c.Member("Cells")}, 0, batch * {units});");
        // One sequence reads the packed W_ih once per step for one row: 57 KB for 28 inputs, from L2 each step, where a
        // batch shares it between its rows. The product of every step then costs less (the same bits either way).
        using (c.W.Block("if (batch == 1)"))
        {
            c.W.Line($"// One sequence: the input projection of every step in one product ([steps, inputs] x [inputs, {Text.Of(4L * ((LstmSpec)c.Layer).Units)}] + b_ih), W_hh packed alone");
            c.W.Line($"{Gemm}.MatMulBias<{Identity}>({c.Constant("Steps")}, {c.Constant("GateWidth")}, {c.Constant("Inputs")}, {c.Member("StepInputs")}, {c.Field}.WeightIh.Value, {c.Field}.BiasIh.Value, {c.Member("Gates")});");
            c.W.Line($"{Cell}.PackForwardWeights({units}, {c.Field}.WeightHh.Value, {c.Member("ForwardWeights")});");
        }
        using (c.W.Block("else"))
        {
            c.W.Line("// b_ih, W_ih and W_hh packed once for the steps: per block of eight units and gate pair, one stream");
            c.W.Line($"{Cell}.PackForwardFromInputsWeights({units}, {c.Constant("Inputs")}, {c.Field}.WeightIh.Value, {c.Field}.BiasIh.Value, {c.Field}.WeightHh.Value, {c.Member("ForwardWeights")});");
        }
    }

    protected override string ForwardWeightsLength(LayerContext c) => $"{Cell}.ForwardFromInputsWeightsLength({c.Constant("Units")}, {c.Constant("Inputs")})";

    protected override void WriteStep(LayerContext c, string sequence)
    {
        var lstm = (LstmSpec)c.Layer;
        c.W.Line($"// z = x W_ih + b_ih + h x W_hh + b_hh ([batch, {Text.Of(lstm.In.Channels)} + {Text.Of(lstm.Units)}] x [{Text.Of(lstm.In.Channels)} + {Text.Of(lstm.Units)}, {Text.Of(4L * lstm.Units)}]); i, f, o = sigmoid, g = tanh, c' = f*c + i*g, h' = o*tanh(c') in the product's epilogue");
        using (c.W.Block("if (batch == 1)"))
        {
            c.W.Line($"{Cell}.Forward(1, {c.Constant("Units")}, {c.Constant("Steps")}, step, {c.Member("ForwardWeights")}, {c.Field}.BiasHh.Value, {c.Member("Gates")}, {c.Member("Cells")}, {c.Member("CellTanh")}, {c.Member("Hidden")}, {sequence});");
        }
        using (c.W.Block("else"))
        {
            c.W.Line($"{Cell}.ForwardFromInputs(batch, {c.Constant("Units")}, {c.Constant("Inputs")}, {c.Constant("Steps")}, step, {c.Member("StepInputs")}, {c.Member("ForwardWeights")}, {c.Field}.BiasHh.Value, {c.Member("Gates")}, {c.Member("Cells")}, {c.Member("CellTanh")}, {c.Member("Hidden")}, {sequence});");
        }
    }

    /// <summary>The gates' buffer itself: each backward step writes its dZ over its own activated gates, which no later
    /// step reads (LstmStep.Backward). A chunk of 50 samples then keeps one 2.9 MB buffer of gates instead of two.</summary>
    protected override string GateGradients(LayerContext c) => c.Member("Gates");

    public override void WriteReplicaAllocations(LayerContext c)
    {
        base.WriteReplicaAllocations(c);
        if (CarriesSharedRowsOnce(c))
            c.W.Line($"{c.Member("SharedSteps")} = global::System.Array.Empty<int>();");
    }

    protected override void WriteBackwardState(LayerContext c)
    {
        c.W.Line($"global::System.Array.Clear({c.Member("CellGradient")}, 0, batch * {c.Constant("Units")});");
        if (CarriesSharedRowsOnce(c))
        {
            c.W.Line("// The samples whose first inputs are zeros share their first steps (the same state): the steps there carry them once");
            c.W.Line($"{Cell}.FindSharedSteps(batch, {c.Constant("Units")}, {c.Constant("Inputs")}, {c.Constant("Steps")}, {c.Member("StepInputs")}, {c.Member("Hidden")}, {c.Member("Cells")}, {c.Member("SharedSteps")});");
        }
    }

    protected override void WriteBackwardStep(LayerContext c, string outputGradient)
    {
        var lstm = (LstmSpec)c.Layer;
        string units = c.Constant("Units");
        c.W.Line($"// dLoss/dh = dZ(step + 1) x W_hh^T ([batch, {Text.Of(4L * lstm.Units)}] x [{Text.Of(4L * lstm.Units)}, {Text.Of(lstm.Units)}]), the output's gradient at the last step; the gates' dZ of this step (over its activated gates) and dLoss/dc of the step before in the product's epilogue");
        c.W.Line($"{Cell}.Backward(batch, {units}, {c.Constant("Steps")}, step, {c.Member("BackwardWeights")}, {c.Member("Gates")}, {c.Member("Cells")}, {c.Member("CellTanh")}, {LastHiddenGradient(c)}, {outputGradient}, {c.Member("CellGradient")}, {GateGradients(c)}{(CarriesSharedRowsOnce(c) ? ", " + c.Member("SharedSteps") : "")});");
    }
}
