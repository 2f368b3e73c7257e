using System.Collections.Generic;
using System.Linq;
using SourceNet.Generator.Diagnostics;
using SourceNet.Generator.Emit;
using SourceNet.Generator.Helpers;
using SourceNet.Generator.Model;
using SourceNet.Generator.Parsing;
using SourceNet.Generator.Shapes;

namespace SourceNet.Generator.Layers;

/// <summary>A concatenation, as written in <c>[Concatenate(...)]</c>.</summary>
internal sealed record ConcatenateSpec(string Name, string Accessibility) : LayerSpec(Name, Accessibility)
{
    public override LayerKind Kind => ConcatenateKind.Instance;
}

/// <summary>
/// <c>[Concatenate(nameof(A), nameof(B), ...)]</c>: joins values along the channel axis, images of one height and
/// width (channels-last, so each position's channels are laid side by side) or vectors. Backward hands each input its
/// slice of the gradient.
/// </summary>
internal sealed class ConcatenateKind : LayerKind
{
    public static readonly ConcatenateKind Instance = new();

    private const string Kernels = "global::SourceNet.Kernels.MergeKernels";

    public override string Name => "Concatenate";

    public override string AttributeName => "SourceNet.ConcatenateAttribute";

    public override string RuntimeType => "SourceNet.ConcatenateLayer";

    public override bool IsMerge => true;

    public override string SourcesArgument => "inputs";

    public override EquatableArray<string> ReadSources(AttributeArguments arguments) => arguments.StringArray("inputs").ToEquatableArray();

    public override LayerSpec? Read(LayerReader reader) => new ConcatenateSpec(reader.Name, reader.Accessibility);

    public override Shape? InferOutput(LayerSpec layer, Shape input, ProblemSink problems) => input;

    public override Shape? InferOutput(LayerSpec layer, IReadOnlyList<Shape> inputs, ProblemSink problems)
    {
        Shape first = inputs[0];
        string? problem = null;
        if (inputs.Any(s => !s.IsImage && !s.IsVector) || inputs.Any(s => s.Kind != first.Kind))
        {
            problem = "all inputs must be images, or all vectors";
        }
        else if (first.IsImage && inputs.Any(s => s.Height != first.Height || s.Width != first.Width))
        {
            problem = "images are joined along the channel axis and must have the same height and width";
        }
        if (problem is not null)
        {
            problems.Report(DiagnosticDescriptors.MergeShapeMismatchId, SourcesArgument, layer.Name, Name, Merges.Describe(layer, inputs), problem);
            return null;
        }
        long channels = inputs.Sum(s => (long)s.Channels);
        if (channels > int.MaxValue)
        {
            problems.Report(DiagnosticDescriptors.LayerTooLargeId, SourcesArgument, $"Layer '{layer.Name}' joins {Text.Of(channels)} channels; an array holds at most {Text.Of(int.MaxValue)}");
            return null;
        }
        return first.IsImage ? Shape.Image(first.Height, first.Width, (int)channels) : Shape.Features((int)channels);
    }

    public override string Construction(LayerContext c) =>
        $"new global::SourceNet.ConcatenateLayer(\"{c.Layer.Name}\", new[] {{ {string.Join(", ", c.Layer.InputShapes.Select(s => s.RuntimeExpression))} }}, {c.Layer.Out.RuntimeExpression})";

    /// <summary>Rows of one sample: an image's positions, or 1 for a vector.</summary>
    private static long Rows(LayerSpec layer) => layer.Out.Elements / layer.Out.Channels;

    public override void WriteForward(LayerContext c)
    {
        string[] names = Merges.InputNames(c);
        int offset = 0;
        c.W.Line($"// {c.Layer.Name}: {string.Join(", ", names)} side by side along the channel axis");
        for (int k = 0; k < c.InputCount; k++)
        {
            int channels = c.Layer.InputShapes[k].Channels;
            c.W.Line($"{Kernels}.CopyIn(batch * {Text.Of(Rows(c.Layer))}, {c.InputOf(k)}, {Text.Of(channels)}, {c.Output}, {Text.Of(c.Layer.Out.Channels)}, {Text.Of(offset)});");
            offset += channels;
        }
    }

    public override void WriteBackward(LayerContext c)
    {
        string[] names = Merges.InputNames(c);
        int offset = 0;
        for (int k = 0; k < c.InputCount; k++)
        {
            int channels = c.Layer.InputShapes[k].Channels;
            if (c.InputGradientOf(k) is { } dx)
            {
                c.W.Line($"// {c.Layer.Name}: {names[k]}'s channels of the gradient");
                c.W.Line($"{Kernels}.CopyOut(batch * {Text.Of(Rows(c.Layer))}, {c.OutputGradient}, {Text.Of(c.Layer.Out.Channels)}, {Text.Of(offset)}, {dx}, {Text.Of(channels)});");
            }
            offset += channels;
        }
    }

    public override string Describe(LayerSpec layer) => "Concatenate";
}
