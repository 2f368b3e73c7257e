using System.Collections.Generic;
using System.Linq;
using SourceNet.Generator.Diagnostics;
using SourceNet.Generator.Emit;
using SourceNet.Generator.Helpers;
using SourceNet.Generator.Model;
using SourceNet.Generator.Parsing;
using SourceNet.Generator.Shapes;

namespace SourceNet.Generator.Layers;

/// <summary>An element-wise sum's arguments, as written in <c>[Add(...)]</c>.</summary>
internal sealed record AddSpec(string Name, string Accessibility, ActivationSpec Function) : LayerSpec(Name, Accessibility)
{
    public override LayerKind Kind => AddKind.Instance;

    public override ActivationSpec? Activation => Function;
}

/// <summary>
/// <c>[Add(nameof(A), nameof(B), ...)]</c>: the element-wise sum of two or more values of one shape, then the
/// activation (a residual block's skip connection, ReLU after the sum). Backward hands each input the same gradient;
/// where an input is also read elsewhere, the emitter adds the shares.
/// </summary>
internal sealed class AddKind : LayerKind
{
    public static readonly AddKind Instance = new();

    public override string Name => "Add";

    public override string AttributeName => "SourceNet.AddAttribute";

    public override string RuntimeType => "SourceNet.AddLayer";

    public override bool IsMerge => true;

    public override string SourcesArgument => "inputs";

    public override EquatableArray<string> ReadSources(AttributeArguments arguments) => arguments.StringArray("inputs").ToEquatableArray();

    public override LayerSpec? Read(LayerReader reader)
    {
        ActivationSpec? activation = reader.ReadActivation();
        return activation is null ? null : new AddSpec(reader.Name, reader.Accessibility, activation);
    }

    public override Shape? InferOutput(LayerSpec layer, Shape input, ProblemSink problems) => input;

    public override Shape? InferOutput(LayerSpec layer, IReadOnlyList<Shape> inputs, ProblemSink problems)
    {
        Shape first = inputs[0];
        if (inputs.Any(s => s.Kind != first.Kind || s.Height != first.Height || s.Width != first.Width || s.Channels != first.Channels))
        {
            problems.Report(DiagnosticDescriptors.MergeShapeMismatchId, SourcesArgument, layer.Name, Name, Merges.Describe(layer, inputs),
                "an element-wise sum needs one shape; give the branches the same size (a 1x1 convolution on the skip path changes the channels)");
            return null;
        }
        // Keep how the values were flattened only when every input says the same.
        return inputs.All(s => Equals(s.FlattenedFrom, first.FlattenedFrom)) ? first : first with { FlattenedFrom = null };
    }

    public override string Construction(LayerContext c) =>
        $"new global::SourceNet.AddLayer(\"{c.Layer.Name}\", {c.Layer.Out.RuntimeExpression}, {Text.Of(c.InputCount)})";

    // The runtime layer knows its activation, so the ONNX lowering applies it after the sum.
    public override IEnumerable<string> RuntimeInitializers(LayerContext c) => new[] { "Activation = " + c.Layer.Activation!.RuntimeExpression };

    public override void WriteForward(LayerContext c)
    {
        string count = c.BatchOutputs;
        // The sum goes to the pre-activations when the activation keeps them (GELU, SiLU), else to the output.
        string output = LayerContext.SpanOf(c.ProductTarget, count);
        c.W.Line($"// {c.Layer.Name}: {string.Join(" + ", Merges.InputNames(c))}, element-wise{(c.Layer.Activation!.IsIdentity ? "" : ", then " + c.Layer.Activation.Name)}");
        c.W.Line($"global::System.Numerics.Tensors.TensorPrimitives.Add({c.InputSpanOf(0, count)}, {c.InputSpanOf(1, count)}, {output});");
        for (int k = 2; k < c.InputCount; k++)
        {
            c.W.Line($"global::System.Numerics.Tensors.TensorPrimitives.Add({output}, {c.InputSpanOf(k, count)}, {output});");
        }
        if (!c.Layer.Activation!.IsIdentity && !ActivationEmitter.NeedsPreActivations(c))
        {
            c.W.Line($"global::SourceNet.Kernels.Activations.ForwardInPlace<{ActivationEmitter.EpilogueType(c)}>({output});");
        }
        ActivationEmitter.WriteForwardTail(c);
    }

    public override void WriteBackward(LayerContext c)
    {
        string count = c.BatchOutputs;
        for (int k = 0; k < c.InputCount; k++)
        {
            if (c.InputGradientOf(k) is { } dx)
            {
                c.W.Line($"// {c.Layer.Name}: a sum passes its gradient to {Merges.InputNames(c)[k]} unchanged");
                c.W.Line($"{LayerContext.SpanOf(c.OutputGradient, count)}.CopyTo({LayerContext.SpanOf(dx, count)});");
            }
        }
    }

    public override string Describe(LayerSpec layer) =>
        layer.Activation!.IsIdentity ? "Add" : "Add, " + layer.Activation.Name;
}

/// <summary>What the merge kinds share: naming their inputs in messages and comments.</summary>
internal static class Merges
{
    /// <summary>The inputs as <c>'A' (28, 28, 16) and 'B' (28, 28, 8)</c>, for a mismatch message.</summary>
    public static string Describe(LayerSpec layer, IReadOnlyList<Shape> inputs)
    {
        var parts = new List<string>();
        for (int k = 0; k < inputs.Count; k++)
        {
            string name = k < layer.Sources.Count ? layer.Sources[k] : "input " + Text.Of(k);
            parts.Add($"'{name}' {inputs[k]}");
        }
        return string.Join(" and ", parts);
    }

    /// <summary>The names of the layers a merge reads, in order (<c>input</c> for the network's input).</summary>
    public static string[] InputNames(LayerContext c) =>
        c.Layer.InputIndices.Select(i => i < 0 ? "input" : c.Network.Layers[i].Name).ToArray();
}
