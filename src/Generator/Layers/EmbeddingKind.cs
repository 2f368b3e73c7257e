using System.Collections.Generic;
using SourceNet.Generator.Diagnostics;
using SourceNet.Generator.Emit;
using SourceNet.Generator.Helpers;
using SourceNet.Generator.Model;
using SourceNet.Generator.Parsing;
using SourceNet.Generator.Shapes;

namespace SourceNet.Generator.Layers;

/// <summary>An embedding's arguments, as written in <c>[Embedding(vocabulary, dimension)]</c>.</summary>
internal sealed record EmbeddingSpec(string Name, string Accessibility, int Vocabulary, int Dimension, float WeightStdDev)
    : LayerSpec(Name, Accessibility)
{
    public override LayerKind Kind => EmbeddingKind.Instance;
}

/// <summary>
/// <c>[Embedding(vocabulary, dimension)]</c>: token ids (T) int to the sequence (T, dimension), each step the row of
/// the weight [vocabulary, dimension] its id selects. Forward is a gather; backward adds each step's gradient into
/// its id's row of the weight gradient, in sample and step order (deterministic on any number of threads). Token
/// ids have no gradient, so there is no input gradient.
/// </summary>
internal sealed class EmbeddingKind : LayerKind
{
    public static readonly EmbeddingKind Instance = new();

    private const string Kernels = "global::SourceNet.Kernels.EmbeddingKernels";

    public override string Name => "Embedding";

    public override string AttributeName => "SourceNet.EmbeddingAttribute";

    public override string RuntimeType => "SourceNet.EmbeddingLayer";

    public override LayerSpec? Read(LayerReader reader)
    {
        AttributeArguments a = reader.Arguments;
        return new EmbeddingSpec(reader.Name, reader.Accessibility, a.Int("vocabulary"), a.Int("dimension"), a.Float("WeightStdDev"));
    }

    public override bool AcceptsTokens => true;

    public override int? TokenRange(LayerSpec layer) => ((EmbeddingSpec)layer).Vocabulary;

    public override string? TokenRangeArgument => "vocabulary";

    public override string? OutputSizeArgument => "dimension";

    public override void CheckArguments(LayerSpec layer, ProblemSink problems)
    {
        var embedding = (EmbeddingSpec)layer;
        if (embedding.Vocabulary <= 0)
        {
            problems.Report(DiagnosticDescriptors.EmbeddingSizeId, "vocabulary", embedding.Name, "vocabulary", Text.Of(embedding.Vocabulary));
        }
        if (embedding.Dimension <= 0)
        {
            problems.Report(DiagnosticDescriptors.EmbeddingSizeId, "dimension", embedding.Name, "dimension", Text.Of(embedding.Dimension));
        }
        Checks.Scale(problems, embedding.Name, "WeightStdDev", embedding.WeightStdDev);
    }

    public override Shape? InferOutput(LayerSpec layer, Shape input, ProblemSink problems)
    {
        var embedding = (EmbeddingSpec)layer;
        if (input.Kind != ShapeKind.Tokens)
        {
            problems.Report(DiagnosticDescriptors.EmbeddingNeedsTokensId, "From", embedding.Name, Name, input.Described);
            return null;
        }
        return embedding.Vocabulary > 0 && embedding.Dimension > 0 ? Shape.Sequence(input.Steps, embedding.Dimension) : null;
    }

    /// <summary>nn.Embedding's <c>weight</c> [vocabulary, dimension], stored as PyTorch stores it: no permutation.</summary>
    public override IReadOnlyList<ParameterSpec> Parameters(LayerSpec layer)
    {
        var embedding = (EmbeddingSpec)layer;
        return new[]
        {
            new ParameterSpec("Weight", embedding.Vocabulary, embedding.Dimension, embedding.WeightStdDev, embedding.StateDictPrefix + ".weight",
                EquatableArray<int>.Empty, EquatableArray<int>.Empty),
        };
    }

    /// <summary>A copy per value, no multiply-add: the output's size is the work.</summary>
    public override long MultiplyAdds(LayerSpec layer) => layer.Out.Elements;

    public override IEnumerable<string> ConstantSuffixes => new[] { "Vocabulary", "Dimension" };

    public override void WriteDeclarations(LayerContext c)
    {
        var embedding = (EmbeddingSpec)c.Layer;
        c.W.Line($"private const int {c.Constant("Vocabulary")} = {Text.Of(embedding.Vocabulary)};");
        c.W.Line($"private const int {c.Constant("Dimension")} = {Text.Of(embedding.Dimension)};");
    }

    public override string Construction(LayerContext c) =>
        $"new global::SourceNet.EmbeddingLayer(\"{c.Layer.Name}\", {Text.Of(c.Layer.In.Steps)}, {c.Constant("Vocabulary")}, {c.Constant("Dimension")})";

    private static string Tokens(LayerContext c) => $"batch * {Text.Of(c.Layer.In.Steps)}";

    public override void WriteForward(LayerContext c)
    {
        c.W.Line($"// {c.Layer.Name}: each of the batch's {Text.Of(c.Layer.In.Steps)} token ids per sample selects a row of the [{Text.Of(((EmbeddingSpec)c.Layer).Vocabulary)}, {Text.Of(((EmbeddingSpec)c.Layer).Dimension)}] table (ids checked on entry)");
        c.W.Line($"{Kernels}.Gather({c.InputSpan(Tokens(c))}, {c.Field}.Weight.Value, {c.Constant("Dimension")}, {LayerContext.SpanOf(c.Output, c.BatchOutputs)});");
    }

    public override void WriteBackward(LayerContext c)
    {
        c.W.Line($"// {c.Layer.Name}: dW = zero, then each step's gradient added into its id's row, in sample and step order; ids get no gradient");
        c.W.Line($"{Kernels}.ScatterAddGradient({c.InputSpan(Tokens(c))}, new global::System.ReadOnlySpan<float>({c.OutputGradient}, 0, {c.BatchOutputs}), {c.Constant("Dimension")}, {c.Field}.Weight.Gradient);");
        c.W.Line($"optimizer?.Update({c.Field}.Weight);");
    }

    public override string Describe(LayerSpec layer) => "Embedding";
}
