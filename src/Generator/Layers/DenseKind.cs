using System.Collections.Generic;
using SourceNet.Generator.Diagnostics;
using SourceNet.Generator.Emit;
using SourceNet.Generator.Helpers;
using SourceNet.Generator.Model;
using SourceNet.Generator.Parsing;
using SourceNet.Generator.Shapes;

namespace SourceNet.Generator.Layers;

/// <summary>A dense layer's arguments, as written in <c>[Dense]</c>.</summary>
internal sealed record DenseSpec(
    string Name,
    string Accessibility,
    int Units,
    ActivationSpec Function,
    float WeightStdDev,
    float BiasStdDev,
    bool Flatten) : LayerSpec(Name, Accessibility)
{
    public override LayerKind Kind => DenseKind.Instance;

    public override ActivationSpec? Activation => Function;
}

/// <summary>
/// <c>[Dense(units, activation)]</c>: y = f(x·W + b), W [inputs, units]. Forward is one register-blocked product
/// with the bias and the activation fused into its epilogue; backward is the bias's column sums, dX = dZ·Wᵀ
/// (before W changes), and dW = Xᵀ·dZ fused with the optimizer's update of each column block. On a sequence (T, F)
/// the same weights apply at every step: the products run over batch·T rows of F values (the steps of a sample are
/// contiguous rows), the output is the sequence (T, units), and dW and db sum over every step.
/// </summary>
internal sealed class DenseKind : LayerKind
{
    public static readonly DenseKind Instance = new();

    private const string Gemm = "global::SourceNet.Kernels.Gemm";

    public override string Name => "Dense";

    public override string AttributeName => "SourceNet.DenseAttribute";

    public override string RuntimeType => "SourceNet.DenseLayer";

    public override LayerSpec? Read(LayerReader reader)
    {
        ActivationSpec? activation = reader.ReadActivation();
        if (activation is null)
        {
            return null;
        }
        AttributeArguments a = reader.Arguments;
        return new DenseSpec(reader.Name, reader.Accessibility, a.Int("units"), activation,
            a.Float("WeightStdDev"), a.Float("BiasStdDev"), a.Bool("Flatten"));
    }

    /// <summary><c>Flatten = true</c> is shorthand for a flatten step just before the layer.</summary>
    public override IEnumerable<LayerSpec> Expand(LayerSpec layer)
    {
        var dense = (DenseSpec)layer;
        if (dense.Flatten)
        {
            // The flatten reads what the dense layer was told to read; the dense layer then reads the flatten.
            yield return FlattenSpec.Implicit(dense.Name) with { Sources = dense.Sources };
            yield return dense with { Sources = EquatableArray<string>.Empty };
            yield break;
        }
        yield return dense;
    }

    public override void CheckArguments(LayerSpec layer, ProblemSink problems)
    {
        var dense = (DenseSpec)layer;
        if (dense.Units <= 0)
        {
            problems.Report(DiagnosticDescriptors.NonPositiveUnitsId, "units", dense.Name, Text.Of(dense.Units));
        }
        Checks.Scale(problems, dense.Name, "WeightStdDev", dense.WeightStdDev);
        Checks.Scale(problems, dense.Name, "BiasStdDev", dense.BiasStdDev);
    }

    public override Shape? InferOutput(LayerSpec layer, Shape input, ProblemSink problems)
    {
        var dense = (DenseSpec)layer;
        if (input.Kind == ShapeKind.Sequence)
        {
            return dense.Units > 0 ? Shape.Sequence(input.Steps, dense.Units) : null;
        }
        if (!input.IsVector)
        {
            // On Flatten = false where it is written, else on the attribute's name, where Flatten = true goes.
            problems.Report(DiagnosticDescriptors.DenseNeedsVectorInputId, "Flatten", dense.Name, input.ToString(), Text.Of(input.Elements));
            return null;
        }
        return dense.Units > 0 ? Shape.Features(dense.Units) : null;
    }

    public override IReadOnlyList<ParameterSpec> Parameters(LayerSpec layer)
    {
        var dense = (DenseSpec)layer;
        int inputs = Features(dense.In);
        string prefix = dense.StateDictPrefix;
        // PyTorch keeps Linear weights as [out, in]. A vector made by flattening an image is (H, W, C) here
        // but (C, H, W) in PyTorch, so the input axis splits into the image's axes before the transpose.
        EquatableArray<int> storage, axes;
        if (dense.In.FlattenedFrom is { } image)
        {
            storage = new[] { image.Height, image.Width, image.Channels, dense.Units }.ToEquatableArray();
            axes = new[] { 3, 2, 0, 1 }.ToEquatableArray();
        }
        else
        {
            storage = new[] { inputs, dense.Units }.ToEquatableArray();
            axes = new[] { 1, 0 }.ToEquatableArray();
        }
        return new[]
        {
            new ParameterSpec("Weight", inputs, dense.Units, dense.WeightStdDev, prefix + ".weight", storage, axes),
            new ParameterSpec("Bias", 1, dense.Units, dense.BiasStdDev, prefix + ".bias", EquatableArray<int>.Empty, EquatableArray<int>.Empty),
        };
    }

    /// <summary>Values of one row of the product: a vector's length, or the features of one step of a sequence.</summary>
    private static int Features(Shape input) => input.Kind == ShapeKind.Sequence ? input.Channels : (int)input.Elements;

    /// <summary>Rows of the product per sample: the steps of a sequence, else 1.</summary>
    private static int RowsPerSample(Shape input) => input.Kind == ShapeKind.Sequence ? input.Steps : 1;

    /// <summary>The product's rows for this batch: <c>batch</c>, or <c>batch * T</c> on a sequence.</summary>
    private static string Rows(LayerSpec layer) => RowsPerSample(layer.In) == 1 ? "batch" : $"batch * {Text.Of(RowsPerSample(layer.In))}";

    public override long MultiplyAdds(LayerSpec layer) => System.Math.Max(ParameterCount(layer) * RowsPerSample(layer.In), layer.Out.Elements);

    public override string? OutputSizeArgument => "units";

    public override IEnumerable<string> ConstantSuffixes => new[] { "Inputs", "Units" };

    /// <summary>The field a split step's chunk keeps its dZ in when its weight gradient is deferred and a layer below
    /// reuses dZ's slot (<c>_hiddenDeferredGradient</c>; see NetworkEmitter.SampleChunks.cs).</summary>
    public const string DeferredGradientSuffix = "DeferredGradient";

    public override IEnumerable<string> FieldSuffixes => new[] { DeferredGradientSuffix };

    public override void WriteDeclarations(LayerContext c)
    {
        c.W.Line($"private const int {c.Constant("Inputs")} = {Features(c.Layer.In)};");
        c.W.Line($"private const int {c.Constant("Units")} = {((DenseSpec)c.Layer).Units};");
    }

    public override string OutputElements(LayerContext c) =>
        RowsPerSample(c.Layer.In) == 1 ? c.Constant("Units") : $"{Text.Of(RowsPerSample(c.Layer.In))} * {c.Constant("Units")}";

    public override string Construction(LayerContext c) => RowsPerSample(c.Layer.In) == 1
        ? $"new global::SourceNet.DenseLayer(\"{c.Layer.Name}\", {c.Constant("Inputs")}, {c.Constant("Units")}, {c.Layer.Activation!.RuntimeExpression})"
        : $"new global::SourceNet.DenseLayer(\"{c.Layer.Name}\", {c.Layer.In.RuntimeExpression}, {c.Constant("Units")}, {c.Layer.Activation!.RuntimeExpression})";

    public override void WriteForward(LayerContext c)
    {
        var dense = (DenseSpec)c.Layer;
        string rows = Rows(dense);
        int features = Features(dense.In);
        string product = RowsPerSample(dense.In) == 1
            ? $"[batch, {features}] x [{features}, {dense.Units}]"
            : $"every step: [batch * {RowsPerSample(dense.In)}, {features}] x [{features}, {dense.Units}]";
        c.W.Line(dense.Function.IsIdentity || dense.Function.KeepsPreActivations
            ? $"// {dense.Name}: {product}, bias added in the matmul epilogue{(dense.Function.KeepsPreActivations ? $"; pre-activations kept for {dense.Function.Name}'s derivative" : "")}"
            : $"// {dense.Name}: {product} + bias, {dense.Function.Name} fused into the matmul epilogue");
        c.W.Line($"{Gemm}.MatMulBias<{ActivationEmitter.EpilogueType(c)}>({rows}, {c.Constant("Units")}, {c.Constant("Inputs")}, {c.Input}, {c.Field}.Weight.Value, {c.Field}.Bias.Value, {c.ProductTarget});");
        ActivationEmitter.WriteForwardTail(c);
    }

    public override void WriteBackward(LayerContext c)
    {
        var dense = (DenseSpec)c.Layer;
        string dz = c.OutputGradient;
        string rows = Rows(dense);
        int features = Features(dense.In);
        string rowText = rows == "batch" ? "batch" : rows.Replace(" ", "");
        c.W.Line($"// {dense.Name}: db = column sums of dZ{(rows == "batch" ? "" : " over every step")}");
        c.W.Line($"{Gemm}.ColumnSums({rows}, {c.Constant("Units")}, {dz}, {c.Field}.Bias.Gradient);");
        if (c.InputGradient is { } dx)
        {
            c.W.Line($"// {dense.Name}: input gradient dZ x W^T  ([{rowText}, {dense.Units}] x [{dense.Units}, {features}]), taken before W changes");
            c.W.Line($"{Gemm}.MatMulTransposeB({rows}, {c.Constant("Inputs")}, {c.Constant("Units")}, {dz}, {c.Field}.Weight.Value, {dx});");
        }
        c.W.Line($"// {dense.Name}: dW = input^T x dZ  ([{features}, {rowText}] x [{rowText}, {dense.Units}]); the optimizer updates each");
        c.W.Line("// block of W's columns as soon as its gradient is computed, on the core that computed it");
        string weightGradient = $"{Gemm}.WeightGradient({c.Constant("Inputs")}, {c.Constant("Units")}, {rows}, {c.Input}, {dz}, {c.Field}.Weight, optimizer);";
        if (c.WeightGradientDeferredBy is { } deferred)
        {
            c.W.Line($"// ... unless {deferred}: a sample chunk of a split step leaves dW to TrainingChunks, which computes it by rows with the chunks' sum and the update");
            if (NetworkEmitter.DeferredGradientBuffer(c.Network, c.Plan) is { } saved)
            {
                // The layers below reuse dZ's slot before TrainingChunks reads it: the chunk keeps a copy.
                c.W.Line($"// (dZ is kept in {saved}: the layers below reuse its slot before then)");
                c.W.Line($"if ({deferred}) new global::System.ReadOnlySpan<float>({dz}, 0, {rows} * {c.Constant("Units")}).CopyTo({saved});");
                c.W.Line($"else {weightGradient}");
            }
            else
            {
                c.W.Line($"if (!{deferred}) {weightGradient}");
            }
        }
        else
        {
            c.W.Line(weightGradient);
        }
        c.W.Line($"optimizer?.Update({c.Field}.Bias);");
    }

    public override string Describe(LayerSpec layer) =>
        layer.Activation!.IsIdentity ? "Dense" : "Dense, " + layer.Activation.Name;
}
