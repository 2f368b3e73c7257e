using SourceNet.Generator.Emit;
using SourceNet.Generator.Model;
using SourceNet.Generator.Parsing;
using SourceNet.Generator.Shapes;

namespace SourceNet.Generator.Layers;

/// <summary>A global average pooling, as written in <c>[GlobalAvgPool2D]</c>.</summary>
internal sealed record GlobalAvgPool2DSpec(string Name, string Accessibility) : LayerSpec(Name, Accessibility)
{
    public override LayerKind Kind => GlobalAvgPool2DKind.Instance;
}

/// <summary><c>[GlobalAvgPool2D]</c>: (H, W, C) to the vector (C) of each channel's mean; backward spreads each gradient evenly.</summary>
internal sealed class GlobalAvgPool2DKind : LayerKind
{
    public static readonly GlobalAvgPool2DKind Instance = new();

    private const string Kernels = "global::SourceNet.Kernels.MergeKernels";

    public override string Name => "GlobalAvgPool2D";

    public override string AttributeName => "SourceNet.GlobalAvgPool2DAttribute";

    public override string RuntimeType => "SourceNet.GlobalAvgPool2DLayer";

    public override LayerSpec? Read(LayerReader reader) => new GlobalAvgPool2DSpec(reader.Name, reader.Accessibility);

    public override Shape? InferOutput(LayerSpec layer, Shape input, ProblemSink problems) =>
        Checks.Image(problems, layer.Name, Name, input) ? Shape.Features(input.Channels) : null;

    public override long MultiplyAdds(LayerSpec layer) => layer.In.Elements;

    public override string Construction(LayerContext c) =>
        $"new global::SourceNet.GlobalAvgPool2DLayer(\"{c.Layer.Name}\", {c.Layer.In.RuntimeExpression})";

    private static string Positions(LayerSpec layer) => Text.Of((long)layer.In.Height * layer.In.Width);

    public override void WriteForward(LayerContext c)
    {
        c.W.Line($"// {c.Layer.Name}: each channel's mean over the {c.Layer.In.Height}x{c.Layer.In.Width} positions");
        c.W.Line($"{Kernels}.GlobalAverageForward(batch, {Positions(c.Layer)}, {Text.Of(c.Layer.In.Channels)}, {c.Input}, {c.Output});");
    }

    public override void WriteBackward(LayerContext c)
    {
        if (c.InputGradient is not { } dx)
        {
            return;
        }
        c.W.Line($"// {c.Layer.Name}: each position gets an equal share of its channel's gradient");
        c.W.Line($"{Kernels}.GlobalAverageBackward(batch, {Positions(c.Layer)}, {Text.Of(c.Layer.In.Channels)}, {c.OutputGradient}, {dx});");
    }

    public override string Describe(LayerSpec layer) => "GlobalAvgPool2D";
}
