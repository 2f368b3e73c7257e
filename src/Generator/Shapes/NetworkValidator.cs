using System.Collections.Generic;
using System.Globalization;
using SourceNet.Generator.Diagnostics;
using SourceNet.Generator.Helpers;
using SourceNet.Generator.Layers;
using SourceNet.Generator.Model;

namespace SourceNet.Generator.Shapes;

/// <summary>
/// Checks a parsed network's sizes and wiring by inferring the shape that flows into each layer, and
/// returns the network with every layer's input and output shape filled in. A pure function over the model,
/// like a compiler's middle end: no Roslyn types, so it is unit-tested directly. Each kind infers its own
/// output and reports its own problems; the validator only threads the shapes through and checks what
/// belongs to the network (its input, the parameter total, the loss against the last layer).
/// </summary>
internal static class NetworkValidator
{
    /// <summary>The most elements a float array indexed by int can hold.</summary>
    private const long MaxElements = int.MaxValue;

    /// <summary>The problems of a network and the network with inferred shapes (meaningful only without errors).</summary>
    public sealed record Result(NetworkSpec Network, List<ShapeProblem> Problems);

    /// <param name="network">The network as parsed, flatten steps expanded.</param>
    /// <param name="layersComplete">
    /// False when some layer properties could not be read (already reported): the layers' own values are
    /// still checked, but not how they connect, which would report the neighbours of the missing layer.
    /// </param>
    public static Result Validate(NetworkSpec network, bool layersComplete = true)
    {
        var problems = new List<ShapeProblem>();
        Shape? input = InputShape(network, new ProblemSink(problems, -1));

        // The shape flowing into the next layer; null once it is unknown (a bad input or layer before it).
        Shape? shape = layersComplete ? input : null;
        long parameters = 0;
        var layers = new LayerSpec[network.Layers.Count];
        for (int i = 0; i < layers.Length; i++)
        {
            LayerSpec layer = network.Layers[i];
            var sink = new ProblemSink(problems, i);
            layer.Kind.CheckArguments(layer, sink);
            Shape? output = shape is null ? null : layer.Kind.InferOutput(layer, shape, sink);
            if (output is not null && output.Elements > MaxElements)
            {
                sink.Report(DiagnosticDescriptors.LayerTooLargeId, null,
                    $"Layer '{layer.Name}' outputs {output} = {Text(output.Elements)} values per sample; an array holds at most {Text(MaxElements)}");
                output = null;
            }
            layer = layer with { Input = shape, Output = output };
            if (output is not null)
            {
                parameters = CheckParameters(network, layer, parameters, sink);
            }
            layers[i] = layer;
            shape = output;
        }

        NetworkSpec inferred = network with { Input = input, Layers = layers.ToEquatableArray() };
        if (layersComplete && layers.Length > 0)
        {
            CheckLoss(inferred, new ProblemSink(problems, layers.Length - 1));
        }
        return new Result(inferred, problems);
    }

    /// <summary>
    /// The input's typed shape: <c>Input = N</c> is the vector (N); <c>InputShape</c> (H, W) is a one-channel
    /// image, (H, W, C) an image, (N) a vector. Null after reporting what is wrong.
    /// </summary>
    private static Shape? InputShape(NetworkSpec network, ProblemSink problems)
    {
        EquatableArray<int> dims = network.DeclaredInputShape;
        if (dims.IsEmpty)
        {
            if (network.DeclaredInput <= 0)
            {
                problems.Report(DiagnosticDescriptors.NonPositiveInputId, "Input", network.ClassName, Text(network.DeclaredInput));
                return null;
            }
            return Shape.Features(network.DeclaredInput);
        }

        string shapeText = Format(dims);
        foreach (int dimension in dims)
        {
            if (dimension <= 0)
            {
                problems.Report(DiagnosticDescriptors.InvalidInputShapeId, "InputShape", network.ClassName, shapeText,
                    $"every dimension must be at least 1, but one is {Text(dimension)}");
                return null;
            }
        }
        if (dims.Count > 3)
        {
            problems.Report(DiagnosticDescriptors.InvalidInputShapeId, "InputShape", network.ClassName, shapeText,
                "a sample is a vector (N), an image (height, width) or an image with channels (height, width, channels)");
            return null;
        }
        long count = 1;
        foreach (int dimension in dims)
        {
            count *= dimension;
        }
        if (count > MaxElements)
        {
            problems.Report(DiagnosticDescriptors.InvalidInputShapeId, "InputShape", network.ClassName, shapeText,
                $"the product of its dimensions is more than an array holds ({Text(MaxElements)} values)");
            return null;
        }
        if (network.DeclaredInput != 0 && network.DeclaredInput != count)
        {
            problems.Report(DiagnosticDescriptors.InvalidInputShapeId, "InputShape", network.ClassName, shapeText,
                $"it holds {Text(count)} values, but Input = {Text(network.DeclaredInput)}; set only one of them");
            return null;
        }
        return dims.Count switch
        {
            1 => Shape.Features(dims[0]),
            2 => Shape.Image(dims[0], dims[1], 1),
            _ => Shape.Image(dims[0], dims[1], dims[2]),
        };
    }

    /// <summary>Each parameter, and the network's total, must fit an int-indexed array (SN0019). Returns the new total.</summary>
    private static long CheckParameters(NetworkSpec network, LayerSpec layer, long total, ProblemSink problems)
    {
        long layerTotal = 0;
        var described = new List<string>();
        bool tooLarge = false;
        foreach (ParameterSpec parameter in layer.Kind.Parameters(layer))
        {
            layerTotal += parameter.Length;
            described.Add($"{parameter.Member.ToLowerInvariant()} {parameter.ShapeText} = {Text(parameter.Length)}");
            tooLarge |= parameter.Length > MaxElements;
        }
        if (tooLarge)
        {
            problems.Report(DiagnosticDescriptors.LayerTooLargeId, null,
                $"Layer '{layer.Name}' has {string.Join(" and ", described)} values; an array holds at most {Text(MaxElements)} values");
        }
        else if (total <= MaxElements && total + layerTotal > MaxElements)
        {
            problems.Report(DiagnosticDescriptors.LayerTooLargeId, null,
                $"Layer '{layer.Name}' brings network '{network.ClassName}' to {Text(total + layerTotal)} parameters; a network holds at most {Text(MaxElements)}");
        }
        return total + layerTotal;
    }

    /// <summary>Softmax cross-entropy needs raw logits: a last layer without activation, with a vector of at least two.</summary>
    private static void CheckLoss(NetworkSpec network, ProblemSink problems)
    {
        if (network.Loss != LossKind.SoftmaxCrossEntropy)
        {
            return;
        }
        LayerSpec output = network.Last;
        if (output.Activation is { IsIdentity: false } activation)
        {
            problems.Report(DiagnosticDescriptors.LossNeedsLinearLastLayerId, activation.IsCustom ? "CustomActivation" : "activation",
                output.Name, activation.Name, "SoftmaxCrossEntropy", "raw logits: remove the activation from the last layer");
        }
        if (output.Output is null)
        {
            // The output's size is unknown (a problem before it was reported): only the activation can be checked.
            return;
        }
        if (output.Out.IsImage)
        {
            problems.Report(DiagnosticDescriptors.LossNeedsVectorOutputId, null, "SoftmaxCrossEntropy", output.Name, output.Out.ToString());
        }
        else if (output.Out.Elements == 1)
        {
            problems.Report(DiagnosticDescriptors.LossOutputCountId, output.Kind.OutputSizeArgument,
                "SoftmaxCrossEntropy", "2", output.Name, Text(output.Out.Elements));
        }
    }

    /// <summary>The shape as Keras prints it without the batch axis: <c>(28, 28)</c>.</summary>
    public static string Format(IReadOnlyList<int> shape)
    {
        var parts = new string[shape.Count];
        for (int i = 0; i < parts.Length; i++)
        {
            parts[i] = Text(shape[i]);
        }
        return "(" + string.Join(", ", parts) + ")";
    }

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
