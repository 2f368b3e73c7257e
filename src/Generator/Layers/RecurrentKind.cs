using System.Collections.Generic;
using System.Globalization;
using SourceNet.Generator.Diagnostics;
using SourceNet.Generator.Emit;
using SourceNet.Generator.Helpers;
using SourceNet.Generator.Model;
using SourceNet.Generator.Parsing;
using SourceNet.Generator.Shapes;

namespace SourceNet.Generator.Layers;

/// <summary>A recurrent layer's arguments, as written in <c>[Lstm]</c> or <c>[Gru]</c>.</summary>
internal abstract record RecurrentSpec(string Name, string Accessibility, int Units, bool ReturnSequences) : LayerSpec(Name, Accessibility)
{
    public RecurrentKind Recurrent => (RecurrentKind)Kind;
}

/// <summary>
/// What the LSTM and GRU kinds share: a sequence (steps, inputs) in, the last hidden state or every step's out, and
/// PyTorch's four tensors. The generated forward pass turns the input step-major, then runs per step one fused kernel
/// (<c>LstmStep</c>, <c>GruStep</c>): the input projection <c>x_t·W_ih + b_ih</c> and the recurrent product
/// <c>h·W_hh + b_hh</c>, tile by tile, with the cell (the gate activations and the state update) in its epilogue, on
/// b_ih, W_ih and W_hh packed once per pass. Backpropagation through time walks the steps backwards, each step one fused
/// kernel too (dLoss/dh by a product with W_hhᵀ, packed once per pass, the cell's derivatives in its epilogue);
/// the weight gradients of every step are then one product each (<c>dW_ih</c> over batch·steps rows of the inputs,
/// <c>dW_hh</c> over the previous hidden states), and dLoss/dInput one more. Every buffer is made once, for the
/// largest batch: a step allocates nothing.
/// </summary>
internal abstract class RecurrentKind : LayerKind
{
    protected const string Gemm = "global::SourceNet.Kernels.Gemm";
    protected const string Identity = "global::SourceNet.Kernels.IdentityActivation";
    protected const string Layout = "global::SourceNet.Kernels.RecurrentLayout";
    protected const string ReadOnlySpan = "global::System.ReadOnlySpan<float>";

    /// <summary>Gate blocks in the weights: 4 for an LSTM, 3 for a GRU.</summary>
    public abstract int Gates { get; }

    /// <summary>The fused step's runtime kernels (<c>global::SourceNet.Kernels.LstmStep</c>): packing of W_hh, forward and backward steps.</summary>
    protected abstract string Cell { get; }

    public override void CheckArguments(LayerSpec layer, ProblemSink problems)
    {
        var recurrent = (RecurrentSpec)layer;
        if (recurrent.Units <= 0)
        {
            problems.Report(DiagnosticDescriptors.NonPositiveUnitsId, "units", recurrent.Name, Text.Of(recurrent.Units));
        }
    }

    public override Shape? InferOutput(LayerSpec layer, Shape input, ProblemSink problems)
    {
        var recurrent = (RecurrentSpec)layer;
        if (input.Kind != ShapeKind.Sequence)
        {
            if (!input.IsIntegral)
            {
                problems.Report(DiagnosticDescriptors.RecurrentNeedsSequenceId, null, recurrent.Name, Name, input.Described, SequenceHint(input));
            }
            return null;
        }
        if (recurrent.Units <= 0)
        {
            return null;
        }
        // The largest tensor is the weights' gates·units columns by max(inputs, units) rows; one step's gate rows by the batch.
        long width = (long)Gates * recurrent.Units;
        long largest = System.Math.Max(width * System.Math.Max(input.Channels, recurrent.Units), (long)input.Steps * width);
        if (largest > int.MaxValue / 4)
        {
            problems.Report(DiagnosticDescriptors.RecurrentTooLargeId, "units", recurrent.Name, Name, Text.Of(recurrent.Units), input.ToString(), Text.Of(largest));
            return null;
        }
        return recurrent.ReturnSequences ? Shape.Sequence(input.Steps, recurrent.Units) : Shape.Features(recurrent.Units);
    }

    /// <summary>How to make a sequence of what the layer was given: the fix in SN0047's message.</summary>
    private static string SequenceHint(Shape input)
    {
        if (input.IsImage)
        {
            long features = (long)input.Width * input.Channels;
            return $"to read the image row by row, declare InputSequence = new[] {{ {Text.Of(input.Height)}, {Text.Of(features)} }} ({Text.Of(input.Height)} steps of {Text.Of(features)} features) instead of InputShape";
        }
        return $"set ReturnSequences = true on the recurrent layer before it, or declare the network's input as InputSequence = new[] {{ steps, features }} with steps x features = {Text.Of(input.Elements)}";
    }

    public override string? OutputSizeArgument => "units";

    public override IReadOnlyList<ParameterSpec> Parameters(LayerSpec layer)
    {
        var recurrent = (RecurrentSpec)layer;
        int inputs = recurrent.In.Channels, units = recurrent.Units, width = Gates * units;
        string prefix = recurrent.StateDictPrefix;
        // PyTorch's U(-1/sqrt(H), 1/sqrt(H)) for all four tensors. The weights are stored transposed for the products,
        // [inputs, gates·units]; PyTorch's state_dict has [gates·units, inputs].
        float bound = (float)(1.0 / System.Math.Sqrt(units));
        EquatableArray<int> transpose = new[] { 1, 0 }.ToEquatableArray();
        return new[]
        {
            new ParameterSpec("WeightIh", inputs, width, 0f, prefix + ".weight_ih_l0", new[] { inputs, width }.ToEquatableArray(), transpose) { UniformBound = bound },
            new ParameterSpec("WeightHh", units, width, 0f, prefix + ".weight_hh_l0", new[] { units, width }.ToEquatableArray(), transpose) { UniformBound = bound },
            new ParameterSpec("BiasIh", 1, width, 0f, prefix + ".bias_ih_l0", EquatableArray<int>.Empty, EquatableArray<int>.Empty) { UniformBound = bound },
            new ParameterSpec("BiasHh", 1, width, 0f, prefix + ".bias_hh_l0", EquatableArray<int>.Empty, EquatableArray<int>.Empty) { UniformBound = bound },
        };
    }

    // The gates of every step (and their gradients), [steps, gates·units] per sample, outgrow the output.
    public override long LargestBufferPerSample(LayerSpec layer)
    {
        var recurrent = (RecurrentSpec)layer;
        long steps = recurrent.In.Steps;
        return System.Math.Max(System.Math.Max(steps * Gates * recurrent.Units, (steps + 1) * recurrent.Units), System.Math.Max(steps * recurrent.In.Channels, recurrent.Out.Elements));
    }

    public override long MultiplyAdds(LayerSpec layer) => ParameterCount(layer) * layer.In.Steps;

    public override IEnumerable<string> ConstantSuffixes => new[] { "Steps", "Inputs", "Units", "GateWidth" };

    /// <summary>The kind's buffers: those the forward pass needs (a replica has them too), then the backward pass's.</summary>
    protected abstract IEnumerable<(string Suffix, string PerSample)> ForwardBuffers(LayerContext c);

    protected abstract IEnumerable<(string Suffix, string PerSample)> BackwardBuffers(LayerContext c);

    /// <summary>Buffers whose size does not depend on the batch, as (suffix, size expression): the weights packed for
    /// the forward steps (a replica has them too), then for the backward steps.</summary>
    private IEnumerable<(string Suffix, string Size)> ForwardFixedBuffers(LayerContext c)
    {
        yield return ("ForwardWeights", ForwardWeightsLength(c));
    }

    /// <summary>Floats of the weights packed for the forward steps (an expression).</summary>
    protected abstract string ForwardWeightsLength(LayerContext c);

    private IEnumerable<(string Suffix, string Size)> BackwardFixedBuffers(LayerContext c)
    {
        yield return ("BackwardWeights", $"{Cell}.BackwardWeightsLength({c.Constant("Units")})");
    }

    public override IEnumerable<string> FieldSuffixes
    {
        get
        {
            // The names only: the sizes are not needed to reserve them.
            foreach (string suffix in FieldNames)
            {
                yield return suffix;
            }
        }
    }

    protected abstract IEnumerable<string> FieldNames { get; }

    public override void WriteDeclarations(LayerContext c)
    {
        var recurrent = (RecurrentSpec)c.Layer;
        c.W.Line($"private const int {c.Constant("Steps")} = {Text.Of(recurrent.In.Steps)};");
        c.W.Line($"private const int {c.Constant("Inputs")} = {Text.Of(recurrent.In.Channels)};");
        c.W.Line($"private const int {c.Constant("Units")} = {Text.Of(recurrent.Units)};");
        c.W.Line($"private const int {c.Constant("GateWidth")} = {Text.Of((long)Gates * recurrent.Units)};");
        foreach ((string suffix, string _) in ForwardBuffers(c))
        {
            c.W.Line($"private readonly float[] {c.Member(suffix)};");
        }
        foreach ((string suffix, string _) in BackwardBuffers(c))
        {
            c.W.Line($"private readonly float[] {c.Member(suffix)};");
        }
        foreach ((string suffix, string _) in ForwardFixedBuffers(c))
        {
            c.W.Line($"private readonly float[] {c.Member(suffix)};");
        }
        foreach ((string suffix, string _) in BackwardFixedBuffers(c))
        {
            c.W.Line($"private readonly float[] {c.Member(suffix)};");
        }
    }

    public override void WriteAllocations(LayerContext c)
    {
        c.W.Line($"// {c.Layer.Name}: step-major buffers for the largest batch (step t of every sample is one [batch, features] matrix)");
        foreach ((string suffix, string perSample) in ForwardBuffers(c))
        {
            c.W.Line($"{c.Member(suffix)} = new float[maxBatchSize * {perSample}];");
        }
        foreach ((string suffix, string perSample) in BackwardBuffers(c))
        {
            c.W.Line($"{c.Member(suffix)} = new float[maxBatchSize * {perSample}];");
        }
        foreach ((string suffix, string size) in ForwardFixedBuffers(c))
        {
            c.W.Line($"{c.Member(suffix)} = new float[{size}];");
        }
        foreach ((string suffix, string size) in BackwardFixedBuffers(c))
        {
            c.W.Line($"{c.Member(suffix)} = new float[{size}];");
        }
    }

    // A replica only runs forward passes.
    public override void WriteReplicaAllocations(LayerContext c)
    {
        foreach ((string suffix, string perSample) in ForwardBuffers(c))
        {
            c.W.Line($"{c.Member(suffix)} = new float[maxBatchSize * {perSample}];");
        }
        foreach ((string suffix, string _) in BackwardBuffers(c))
        {
            c.W.Line($"{c.Member(suffix)} = global::System.Array.Empty<float>();");
        }
        foreach ((string suffix, string size) in ForwardFixedBuffers(c))
        {
            c.W.Line($"{c.Member(suffix)} = new float[{size}];");
        }
        foreach ((string suffix, string _) in BackwardFixedBuffers(c))
        {
            c.W.Line($"{c.Member(suffix)} = global::System.Array.Empty<float>();");
        }
    }

    public override string Construction(LayerContext c) =>
        $"new global::{RuntimeType}(\"{c.Layer.Name}\", {c.Constant("Steps")}, {c.Constant("Inputs")}, {c.Constant("Units")}, returnSequences: {(((RecurrentSpec)c.Layer).ReturnSequences ? "true" : "false")})";

    /// <summary>The step-major [batch, units] block of state <paramref name="step"/> (an expression) in <paramref name="buffer"/>.</summary>
    protected static string StateBlock(LayerContext c, string buffer, string step) =>
        $"new {ReadOnlySpan}({buffer}, {step} * batch * {c.Constant("Units")}, batch * {c.Constant("Units")})";

    public override void WriteForward(LayerContext c)
    {
        var recurrent = (RecurrentSpec)c.Layer;
        string steps = c.Constant("Steps"), units = c.Constant("Units");
        c.W.Line($"// {recurrent.Name}: the input step-major ([{Text.Of(recurrent.In.Steps)}, batch, {Text.Of(recurrent.In.Channels)}])");
        c.W.Line($"{Layout}.ToStepMajor(batch, {steps}, {c.Constant("Inputs")}, {c.Input}, {c.Member("StepInputs")});");
        c.W.Line($"// {recurrent.Name}: the initial state is zeros");
        WriteInitialState(c);
        using (c.W.Block($"for (int step = 0; step < {steps}; step++)"))
        {
            WriteStep(c, recurrent.ReturnSequences ? c.Output : "default");
        }
        if (!recurrent.ReturnSequences)
        {
            c.W.Line($"// {recurrent.Name}: the last step's hidden state is the output");
            c.W.Line($"{StateBlock(c, c.Member("Hidden"), steps)}.CopyTo({LayerContext.SpanOf(c.Output, $"batch * {units}")});");
        }
    }

    /// <summary>Zeros the state before the first step and packs the weights for the steps.</summary>
    protected abstract void WriteInitialState(LayerContext c);

    /// <summary>One forward step, the fused kernel; <paramref name="sequence"/> receives every step's h, or is <c>default</c>.</summary>
    protected abstract void WriteStep(LayerContext c, string sequence);

    public override void WriteBackward(LayerContext c)
    {
        var recurrent = (RecurrentSpec)c.Layer;
        string steps = c.Constant("Steps"), inputs = c.Constant("Inputs"), units = c.Constant("Units"), width = c.Constant("GateWidth");
        WriteBackwardStart(c);
        using (c.W.Block($"for (int step = {steps} - 1; step >= 0; step--)"))
        {
            WriteBackwardStep(c, recurrent.ReturnSequences ? c.OutputGradient : "default");
        }
        string inputSide = GateGradients(c), hiddenSide = HiddenSideGradients(c);
        string rows = $"batch * {steps}";
        if (c.InputGradient is { } dx)
        {
            c.W.Line($"// {recurrent.Name}: dLoss/dInput of every step in one product, dZ x W_ih^T ([batch x {Text.Of(recurrent.In.Steps)}, {Text.Of((long)Gates * recurrent.Units)}] x [{Text.Of((long)Gates * recurrent.Units)}, {Text.Of(recurrent.In.Channels)}]), before W_ih changes, then back to sample-major");
            c.W.Line($"{Gemm}.MatMulTransposeB({rows}, {inputs}, {width}, {inputSide}, {c.Field}.WeightIh.Value, {c.Member("StepInputGradients")});");
            c.W.Line($"{Layout}.ToSampleMajor(batch, {steps}, {inputs}, {c.Member("StepInputGradients")}, {dx});");
        }
        if (hiddenSide == inputSide)
        {
            c.W.Line($"// {recurrent.Name}: dW_ih = inputs^T x dZ, dW_hh = (previous states)^T x dZ and the biases' gradients (dZ's column sums, the same for b_ih and b_hh) in one pass over dZ, every step at once ({Text.Of(recurrent.In.Steps)} x batch rows)");
            c.W.Line($"{WeightGradientKernel}.ComputeBothSides({inputs}, {units}, {width}, {rows}, {c.Member("StepInputs")}, {c.Member("Hidden")}, {inputSide}, {c.Field}.WeightIh, {c.Field}.WeightHh, {c.Field}.BiasIh.Gradient, optimizer);");
            c.W.Line($"new {ReadOnlySpan}({c.Field}.BiasIh.Gradient).CopyTo({c.Field}.BiasHh.Gradient);");
        }
        else
        {
            c.W.Line($"// {recurrent.Name}: dW_ih = inputs^T x dZ and b_ih's gradient (dZ's column sums) in one pass, then dW_hh and b_hh's from the hidden side's dZ, each over every step at once ({Text.Of(recurrent.In.Steps)} x batch rows)");
            c.W.Line($"{WeightGradientKernel}.Compute({inputs}, {width}, {rows}, {c.Member("StepInputs")}, {inputSide}, {c.Field}.WeightIh, {c.Field}.BiasIh.Gradient, optimizer);");
            c.W.Line($"{WeightGradientKernel}.Compute({units}, {width}, {rows}, {c.Member("Hidden")}, {hiddenSide}, {c.Field}.WeightHh, {c.Field}.BiasHh.Gradient, optimizer);");
        }
        c.W.Line($"optimizer?.Update({c.Field}.BiasIh);");
        c.W.Line($"optimizer?.Update({c.Field}.BiasHh);");
    }

    /// <summary>Sets up what backpropagation through time carries from step to step, and packs W_hh^T for its steps.</summary>
    private void WriteBackwardStart(LayerContext c)
    {
        var recurrent = (RecurrentSpec)c.Layer;
        c.W.Line(recurrent.ReturnSequences
            ? $"// {recurrent.Name}: backpropagation through time; each step adds its share of the output's gradient to dLoss/dh"
            : $"// {recurrent.Name}: backpropagation through time, from dLoss/dh of the last step (the output's gradient)");
        WriteBackwardState(c);
        c.W.Line("// W_hh^T packed once for the steps, in panels of sixteen units");
        c.W.Line($"{Cell}.PackBackwardWeights({c.Constant("Units")}, {c.Field}.WeightHh.Value, {c.Member("BackwardWeights")});");
    }

    /// <summary>Zeros what the backward steps carry and read at the last step (an LSTM's dLoss/dc); nothing by default.</summary>
    protected virtual void WriteBackwardState(LayerContext c)
    {
    }

    /// <summary>dLoss/dh of the last step for the backward kernel: the output's gradient, or <c>default</c> (zeros) when
    /// each step adds its share of it.</summary>
    protected static string LastHiddenGradient(LayerContext c) =>
        ((RecurrentSpec)c.Layer).ReturnSequences ? "default" : $"new {ReadOnlySpan}({c.OutputGradient}, 0, batch * {c.Constant("Units")})";

    /// <summary>One step of backpropagation through time: the cell's derivatives, then dLoss/dh of the step before.</summary>
    protected abstract void WriteBackwardStep(LayerContext c, string outputGradient);

    /// <summary>The kernels for the weight gradients over every step, <c>dW = A^T x dZ</c>, with the biases' column sums
    /// and the weights' update: blocked over the steps' rows, so dZ's strip stays in L1 through the long sum, and each
    /// strip read once for every weight and bias that uses it (the same sums as Gemm's).</summary>
    private const string WeightGradientKernel = "global::SourceNet.Kernels.RecurrentWeightGradient";

    /// <summary>dLoss/d(pre-activation) of the gates, [steps, batch, gate width] (the input side's, <c>x·W_ih + b_ih</c>).</summary>
    protected virtual string GateGradients(LayerContext c) => c.Member("GateGradients");

    /// <summary>dLoss/d(pre-activation) on the hidden side (<c>h·W_hh + b_hh</c>): the input side's for an LSTM.</summary>
    protected virtual string HiddenSideGradients(LayerContext c) => GateGradients(c);

    public override string Describe(LayerSpec layer)
    {
        var recurrent = (RecurrentSpec)layer;
        return Name + " " + recurrent.Units.ToString(CultureInfo.InvariantCulture) + (recurrent.ReturnSequences ? ", sequences" : "");
    }
}
