using SourceNet.Generator.Diagnostics;
using SourceNet.Generator.Emit;
using SourceNet.Generator.Model;
using SourceNet.Generator.Parsing;
using SourceNet.Generator.Shapes;

namespace SourceNet.Generator.Layers;

/// <summary>A flatten step: a <c>[Flatten]</c> property, or the one <c>Flatten = true</c> puts before a dense layer.</summary>
/// <param name="Of">For an inserted step, the dense layer that asked for it; null for a <c>[Flatten]</c> property.</param>
internal sealed record FlattenSpec(string Name, string Accessibility, string? Of) : LayerSpec(Name, Accessibility)
{
    public override LayerKind Kind => FlattenKind.Instance;

    /// <summary>
    /// The step <c>Flatten = true</c> on <paramref name="dense"/> stands for, named as a layer is (<c>HiddenFlatten</c>):
    /// summaries, drawings and ONNX values show it beside the properties' layers.
    /// </summary>
    public static FlattenSpec Implicit(string dense) => new(dense + "Flatten", string.Empty, dense) { HasProperty = false, SourceArgument = "Flatten" };
}

/// <summary>
/// <c>[Flatten]</c>: (H, W, C) to (H·W·C). Samples are channels-last and row-major, so the step moves no data:
/// the layers on either side share one buffer, and its forward and backward passes are empty.
/// </summary>
internal sealed class FlattenKind : LayerKind
{
    public static readonly FlattenKind Instance = new();

    public override string Name => "Flatten";

    public override string AttributeName => "SourceNet.FlattenAttribute";

    public override string RuntimeType => "SourceNet.FlattenLayer";

    public override LayerSpec? Read(LayerReader reader) => new FlattenSpec(reader.Name, reader.Accessibility, null);

    public override Shape? InferOutput(LayerSpec layer, Shape input, ProblemSink problems)
    {
        if (input.IsVector)
        {
            var flatten = (FlattenSpec)layer;
            problems.Report(DiagnosticDescriptors.FlattenHasNoEffectId, null, flatten.Of ?? flatten.Name, Text.Of(input.Elements));
            return input;
        }
        // PyTorch flattens images channels-first: remember the image, so the next dense layer's weights map to its layout.
        return Shape.Features((int)input.Elements) with { FlattenedFrom = input.IsImage ? input : null };
    }

    public override bool AliasesInput => true;

    public override string Construction(LayerContext c) =>
        $"new global::SourceNet.FlattenLayer(\"{c.Layer.Name}\", {c.Layer.In.RuntimeExpression})";

    public override void WriteForward(LayerContext c)
    {
        if (c.IsLast)
        {
            // The only flatten that moves data: the caller's output span is not the layer below's buffer.
            string count = c.BatchOutputs;
            c.W.Line($"{c.InputSpan(count)}.CopyTo({LayerContext.SpanOf(c.Output, count)});");
        }
    }

    public override void WriteBackward(LayerContext c)
    {
    }

    public override bool PassesValuesThrough => true;

    public override string Describe(LayerSpec layer) => "Flatten";
}
