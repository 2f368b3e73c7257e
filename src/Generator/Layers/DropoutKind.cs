using System.Collections.Generic;
using System.Globalization;
using SourceNet.Generator.Diagnostics;
using SourceNet.Generator.Emit;
using SourceNet.Generator.Helpers;
using SourceNet.Generator.Model;
using SourceNet.Generator.Parsing;
using SourceNet.Generator.Shapes;

namespace SourceNet.Generator.Layers;

/// <summary>A dropout layer's argument, as written in <c>[Dropout(rate)]</c>.</summary>
internal sealed record DropoutSpec(string Name, string Accessibility, float Rate) : LayerSpec(Name, Accessibility)
{
    public override LayerKind Kind => DropoutKind.Instance;
}

/// <summary>
/// <c>[Dropout(rate)]</c>: inverted dropout while training, the identity otherwise. Each layer draws its masks
/// from its own generator, seeded from the network's seed, so the same seed gives the same masks bit for bit.
/// </summary>
internal sealed class DropoutKind : LayerKind
{
    public static readonly DropoutKind Instance = new();

    public override string Name => "Dropout";

    public override string AttributeName => "SourceNet.DropoutAttribute";

    public override string RuntimeType => "SourceNet.DropoutLayer";

    public override LayerSpec? Read(LayerReader reader) =>
        new DropoutSpec(reader.Name, reader.Accessibility, reader.Arguments.Float("rate"));

    public override void CheckArguments(LayerSpec layer, ProblemSink problems)
    {
        var dropout = (DropoutSpec)layer;
        if (!(dropout.Rate >= 0f && dropout.Rate < 1f))
        {
            problems.Report(DiagnosticDescriptors.InvalidDropoutRateId, "rate", dropout.Name, dropout.Rate.ToString("R", CultureInfo.InvariantCulture));
        }
    }

    public override Shape? InferOutput(LayerSpec layer, Shape input, ProblemSink problems) => input;

    public override bool HasTrainingMode => true;

    public override IEnumerable<string> FieldSuffixes => new[] { "Mask", "Random" };

    public override void WriteDeclarations(LayerContext c)
    {
        c.W.Line($"private readonly float[] {c.Member("Mask")};");
        c.W.Line($"private readonly global::SourceNet.SeededRandom {c.Member("Random")};");
    }

    public override void WriteAllocations(LayerContext c)
    {
        c.W.Line($"{c.Member("Mask")} = new float[maxBatchSize * {OutputElements(c)}];");
        c.W.Line($"// Drawn after every parameter, so adding dropout changes no initial weight.");
        c.W.Line($"{c.Member("Random")} = new global::SourceNet.SeededRandom(unchecked((long)random.NextUInt64()));");
    }

    // Inference copies: a replica needs no mask, and shares the generator (which it never draws from).
    public override void WriteReplicaAllocations(LayerContext c)
    {
        c.W.Line($"{c.Member("Mask")} = global::System.Array.Empty<float>();");
        c.W.Line($"{c.Member("Random")} = source.{c.Member("Random")};");
    }

    // The layer object holds the mask generator, so a checkpoint saves and restores it with the rest.
    public override string Construction(LayerContext c) =>
        $"new global::SourceNet.DropoutLayer(\"{c.Layer.Name}\", {c.Layer.In.RuntimeExpression}, {SourceWriter.Float(((DropoutSpec)c.Layer).Rate)}, {c.Member("Random")})";

    public override void WriteForward(LayerContext c)
    {
        var dropout = (DropoutSpec)c.Layer;
        string count = c.BatchOutputs;
        using (c.W.Block("if (training)"))
        {
            c.W.Line($"// {dropout.Name}: zero each value with probability {SourceWriter.Float(dropout.Rate)}, scale the rest by 1 / (1 - rate)");
            c.W.Line($"global::SourceNet.Kernels.Dropout.Forward({SourceWriter.Float(dropout.Rate)}, {c.Member("Random")}, {c.InputSpan(count)}, {LayerContext.SpanOf(c.Output, count)}, {LayerContext.SpanOf(c.Member("Mask"), count)});");
        }
        using (c.W.Block("else"))
        {
            c.W.Line($"// {dropout.Name}: the identity outside training");
            c.W.Line($"{c.InputSpan(count)}.CopyTo({LayerContext.SpanOf(c.Output, count)});");
        }
    }

    public override void WriteBackward(LayerContext c)
    {
        if (c.InputGradient is not { } dx)
        {
            return;
        }
        string count = c.BatchOutputs;
        c.W.Line($"// {c.Layer.Name}: the gradient passes where the value was kept, scaled like it");
        c.W.Line($"global::SourceNet.Kernels.Dropout.Backward({LayerContext.SpanOf(c.OutputGradient, count)}, {LayerContext.SpanOf(c.Member("Mask"), count)}, {LayerContext.SpanOf(dx, count)});");
    }

    public override bool PassesValuesThrough => true;

    public override string Describe(LayerSpec layer) =>
        "Dropout " + ((DropoutSpec)layer).Rate.ToString("0.###", CultureInfo.InvariantCulture);
}
