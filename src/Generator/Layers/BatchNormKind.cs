using System.Collections.Generic;
using System.Globalization;
using SourceNet.Generator.Diagnostics;
using SourceNet.Generator.Emit;
using SourceNet.Generator.Helpers;
using SourceNet.Generator.Model;
using SourceNet.Generator.Parsing;
using SourceNet.Generator.Shapes;

namespace SourceNet.Generator.Layers;

/// <summary>A batch normalisation's arguments, as written in <c>[BatchNorm]</c>.</summary>
internal sealed record BatchNormSpec(string Name, string Accessibility, float Momentum, float Epsilon, ActivationSpec Function)
    : LayerSpec(Name, Accessibility)
{
    public override LayerKind Kind => BatchNormKind.Instance;

    public override ActivationSpec? Activation => Function;
}

/// <summary>
/// <c>[BatchNorm]</c>: per-channel normalisation (the C of an image, the features of a vector), γ·x̂ + β, then the
/// activation. Training uses the batch's statistics and moves the running ones (non-trainable state the layer object
/// keeps, so checkpoints and safetensors carry it); inference uses the running statistics. γ and β are the trainable
/// parameters, PyTorch's <c>weight</c> and <c>bias</c>.
/// </summary>
internal sealed class BatchNormKind : LayerKind
{
    public static readonly BatchNormKind Instance = new();

    private const string Kernels = "global::SourceNet.Kernels.BatchNorm";

    public override string Name => "BatchNorm";

    public override string AttributeName => "SourceNet.BatchNormAttribute";

    public override string RuntimeType => "SourceNet.BatchNormLayer";

    public override LayerSpec? Read(LayerReader reader)
    {
        ActivationSpec? activation = reader.ReadActivation();
        if (activation is null)
        {
            return null;
        }
        return new BatchNormSpec(reader.Name, reader.Accessibility, reader.Arguments.Float("Momentum"), reader.Arguments.Float("Epsilon"), activation);
    }

    public override void CheckArguments(LayerSpec layer, ProblemSink problems)
    {
        var norm = (BatchNormSpec)layer;
        if (!(norm.Momentum >= 0f && norm.Momentum <= 1f))
        {
            problems.Report(DiagnosticDescriptors.InvalidInitializationId, "Momentum", norm.Name, "Momentum", norm.Momentum.ToString("R", CultureInfo.InvariantCulture));
        }
        if (!(norm.Epsilon > 0f) || float.IsInfinity(norm.Epsilon))
        {
            problems.Report(DiagnosticDescriptors.InvalidInitializationId, "Epsilon", norm.Name, "Epsilon", norm.Epsilon.ToString("R", CultureInfo.InvariantCulture));
        }
    }

    public override Shape? InferOutput(LayerSpec layer, Shape input, ProblemSink problems)
    {
        if (input.IsSequence)
        {
            problems.Report(DiagnosticDescriptors.NeedsImageInputId, null, layer.Name, Name, input.ToString());
            return null;
        }
        return input;
    }

    public override bool HasTrainingMode => true;

    // Training normalises with the batch's own mean and variance: every sample's output depends on the whole batch.
    public override bool CouplesSamples => true;

    public override IReadOnlyList<ParameterSpec> Parameters(LayerSpec layer)
    {
        int channels = layer.In.Channels;
        string prefix = layer.StateDictPrefix;
        return new[]
        {
            new ParameterSpec("Weight", 1, channels, 0f, prefix + ".weight", EquatableArray<int>.Empty, EquatableArray<int>.Empty) { Constant = 1f },
            new ParameterSpec("Bias", 1, channels, 0f, prefix + ".bias", EquatableArray<int>.Empty, EquatableArray<int>.Empty) { Constant = 0f },
        };
    }

    // The running mean and variance.
    public override long BufferCount(LayerSpec layer) => 2L * layer.In.Channels;

    public override long MultiplyAdds(LayerSpec layer) => 2 * layer.Out.Elements;

    public override IEnumerable<string> ConstantSuffixes => new[] { "Rows", "Channels" };

    public override IEnumerable<string> FieldSuffixes => new[] { "BatchMean", "BatchInverseDeviation" };

    public override void WriteDeclarations(LayerContext c)
    {
        Shape shape = c.Layer.In;
        c.W.Line($"// {c.Layer.Name}: {shape} as {Text.Of(shape.Elements / shape.Channels)} row(s) of {Text.Of(shape.Channels)} channel(s) per sample");
        c.W.Line($"private const int {c.Constant("Rows")} = {Text.Of(shape.Elements / shape.Channels)};");
        c.W.Line($"private const int {c.Constant("Channels")} = {Text.Of(shape.Channels)};");
        c.W.Line($"private readonly float[] {c.Member("BatchMean")};");
        c.W.Line($"private readonly float[] {c.Member("BatchInverseDeviation")};");
    }

    public override void WriteAllocations(LayerContext c)
    {
        c.W.Line($"{c.Member("BatchMean")} = new float[{c.Constant("Channels")}];");
        c.W.Line($"{c.Member("BatchInverseDeviation")} = new float[{c.Constant("Channels")}];");
    }

    public override string Construction(LayerContext c)
    {
        var norm = (BatchNormSpec)c.Layer;
        return $"new global::SourceNet.BatchNormLayer(\"{norm.Name}\", {norm.In.RuntimeExpression}, {SourceWriter.Float(norm.Momentum)}, {SourceWriter.Float(norm.Epsilon)})";
    }

    // The runtime layer knows its activation, so the ONNX lowering applies it after the normalisation.
    public override IEnumerable<string> RuntimeInitializers(LayerContext c) => new[] { "Activation = " + c.Layer.Activation!.RuntimeExpression };

    public override void WriteForward(LayerContext c)
    {
        var norm = (BatchNormSpec)c.Layer;
        string rows = $"batch * {c.Constant("Rows")}";
        string activation = norm.Function.IsIdentity ? "" : $", then {norm.Function.Name}";
        string kernel = ActivationEmitter.EpilogueType(c);
        using (c.W.Block("if (training)"))
        {
            c.W.Line($"// {norm.Name}: normalise with this batch's per-channel statistics{activation}; the running statistics move by {SourceWriter.Float(norm.Momentum)}");
            c.W.Line($"{Kernels}.TrainForward<{kernel}>({rows}, {c.Constant("Channels")}, {c.Input}, {c.Field}.Weight.Value, {c.Field}.Bias.Value, {SourceWriter.Float(norm.Epsilon)}, {SourceWriter.Float(norm.Momentum)}, {c.Field}.RunningMean.Singles, {c.Field}.RunningVariance.Singles, {c.Member("BatchMean")}, {c.Member("BatchInverseDeviation")}, {c.ProductTarget});");
            c.W.Line($"{c.Field}.BatchesTracked.Int64s[0]++;");
        }
        using (c.W.Block("else"))
        {
            c.W.Line($"// {norm.Name}: normalise with the running statistics{activation}");
            c.W.Line($"{Kernels}.InferenceForward<{kernel}>({rows}, {c.Constant("Channels")}, {c.Input}, {c.Field}.Weight.Value, {c.Field}.Bias.Value, {SourceWriter.Float(norm.Epsilon)}, {c.Field}.RunningMean.Singles, {c.Field}.RunningVariance.Singles, {c.ProductTarget});");
        }
        ActivationEmitter.WriteForwardTail(c);
    }

    public override void WriteBackward(LayerContext c)
    {
        string dx = c.InputGradient ?? "default";
        c.W.Line($"// {c.Layer.Name}: dγ, dβ and (when a layer below needs it) dx through the batch statistics, taken before γ changes");
        c.W.Line($"{Kernels}.Backward(batch * {c.Constant("Rows")}, {c.Constant("Channels")}, {c.Input}, {c.OutputGradient}, {c.Field}.Weight.Value, {c.Member("BatchMean")}, {c.Member("BatchInverseDeviation")}, {c.Field}.Weight.Gradient, {c.Field}.Bias.Gradient, {dx});");
        c.W.Line($"optimizer?.Update({c.Field}.Weight);");
        c.W.Line($"optimizer?.Update({c.Field}.Bias);");
    }

    public override string Describe(LayerSpec layer) =>
        layer.Activation!.IsIdentity ? "BatchNorm" : "BatchNorm, " + layer.Activation.Name;
}
