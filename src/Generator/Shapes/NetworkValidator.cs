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

        var indexByName = new Dictionary<string, int>(System.StringComparer.Ordinal);
        for (int i = 0; i < network.Layers.Count; i++)
        {
            // A duplicate name is reported by the parser; the first layer keeps it.
            if (!indexByName.ContainsKey(network.Layers[i].Name))
            {
                indexByName[network.Layers[i].Name] = i;
            }
        }

        // Layers are values computed in declaration order: each reads the outputs of earlier layers (or the
        // network's input), so one pass in order infers every shape, and a reference to a later layer is a cycle.
        bool wired = layersComplete;
        long parameters = 0;
        var layers = new LayerSpec[network.Layers.Count];
        for (int i = 0; i < layers.Length; i++)
        {
            LayerSpec layer = network.Layers[i];
            var sink = new ProblemSink(problems, i);
            layer.Kind.CheckArguments(layer, sink);
            int[]? sources = layersComplete ? ResolveSources(network, layer, i, indexByName, sink) : null;
            wired &= sources is not null;

            // The shapes flowing in; null once one is unknown (a bad input or layer before it, or a bad reference).
            Shape[]? inputs = sources is null ? null : new Shape[sources.Length];
            for (int k = 0; inputs is not null && k < inputs.Length; k++)
            {
                Shape? shape = sources![k] < 0 ? input : layers[sources[k]].Output;
                if (shape is null)
                {
                    inputs = null;
                }
                else
                {
                    inputs[k] = shape;
                }
            }
            Shape? output = null;
            if (inputs is not null && AcceptsValues(layer, inputs, sink))
            {
                output = layer.Kind.InferOutput(layer, inputs, sink);
            }
            if (output is not null && output.Elements > MaxElements)
            {
                sink.Report(DiagnosticDescriptors.LayerTooLargeId, null,
                    $"Layer '{layer.Name}' outputs {output} = {Text(output.Elements)} values per sample; an array holds at most {Text(MaxElements)}");
                output = null;
            }
            layer = layer with
            {
                InputIndices = (sources ?? System.Array.Empty<int>()).ToEquatableArray(),
                InputShapes = (inputs ?? System.Array.Empty<Shape>()).ToEquatableArray(),
                Input = inputs is { Length: > 0 } ? inputs[0] : null,
                Output = output,
            };
            if (output is not null)
            {
                parameters = CheckParameters(network, layer, parameters, sink);
            }
            layers[i] = layer;
        }

        CheckVocabulary(network, layers, problems);
        NetworkSpec inferred = network with { Input = input, Layers = layers.ToEquatableArray() };
        if (wired && layers.Length > 0)
        {
            CheckOutputs(inferred, problems);
            CheckLoss(inferred, problems);
        }
        return new Result(inferred, problems);
    }

    /// <summary>
    /// The indices of the layers <paramref name="layer"/> reads (-1: the network's input): the layer before it unless
    /// the attribute names others. Null after reporting a name that is unknown or not earlier, or a merge of fewer
    /// than two.
    /// </summary>
    private static int[]? ResolveSources(NetworkSpec network, LayerSpec layer, int index, Dictionary<string, int> indexByName, ProblemSink problems)
    {
        string argument = layer.Kind.SourcesArgument;
        if (layer.Kind.IsMerge && layer.Sources.Count < 2)
        {
            problems.Report(DiagnosticDescriptors.MergeInputCountId, argument, layer.Name, layer.Kind.Name,
                layer.Sources.Count == 0 ? "no input" : $"only '{layer.Sources[0]}'");
            return null;
        }
        if (layer.Sources.IsEmpty)
        {
            return new[] { index - 1 };
        }
        var sources = new int[layer.Sources.Count];
        for (int k = 0; k < sources.Length; k++)
        {
            string name = layer.Sources[k];
            // A merge's problem with one input points at that input.
            argument = layer.Kind.IsMerge ? $"{layer.Kind.SourcesArgument}[{k.ToString(CultureInfo.InvariantCulture)}]" : layer.Kind.SourcesArgument;
            if (name == InputName)
            {
                sources[k] = -1;
            }
            else if (!indexByName.TryGetValue(name, out int source))
            {
                var earlier = new List<string>();
                for (int j = 0; j < index; j++)
                {
                    if (network.Layers[j].HasProperty)
                    {
                        earlier.Add(network.Layers[j].Name);
                    }
                }
                problems.Report(DiagnosticDescriptors.UnknownLayerInputId, argument, layer.Name, name, network.ClassName,
                    earlier.Count == 0 ? "none is declared before it" : "earlier: " + string.Join(", ", earlier));
                return null;
            }
            else if (source >= index)
            {
                problems.Report(DiagnosticDescriptors.LayerInputNotEarlierId, argument, layer.Name, name,
                    source == index ? "as the layer itself" : "after it");
                return null;
            }
            else
            {
                sources[k] = source;
            }
        }
        return sources;
    }

    /// <summary>
    /// With <c>InputVocabulary</c> declared, every layer reading the token input needs a row for each id it may hold
    /// (SN0051); a declared vocabulary on input that is not tokens says nothing and is rejected as a bad input (SN0016).
    /// </summary>
    private static void CheckVocabulary(NetworkSpec network, LayerSpec[] layers, List<ShapeProblem> problems)
    {
        int declared = network.DeclaredVocabulary;
        if (declared == 0)
        {
            return;
        }
        if (declared < 0 || network.DeclaredInputTokens == 0)
        {
            new ProblemSink(problems, -1).Report(DiagnosticDescriptors.InvalidInputShapeId, "InputVocabulary", network.ClassName, $"InputVocabulary = {Text(declared)}",
                declared < 0 ? "a vocabulary holds at least one id" : "it counts token ids, so it goes with InputTokens");
            return;
        }
        for (int i = 0; i < layers.Length; i++)
        {
            LayerSpec layer = layers[i];
            if (layer.InputIndices.Count == 1 && layer.InputIndices[0] < 0 && layer.Kind.TokenRange(layer) is { } range && range > 0 && range < declared)
            {
                new ProblemSink(problems, i).Report(DiagnosticDescriptors.VocabularyTooSmallId, layer.Kind.TokenRangeArgument, layer.Name,
                    Text(range), network.ClassName, Text(declared), Text(declared - 1));
            }
        }
    }

    /// <summary>The name that <c>From</c> uses for the network's input (<c>NetworkAttribute.InputName</c>).</summary>
    public const string InputName = "input";

    /// <summary>Token ids index a vocabulary: only a kind that says so reads them.</summary>
    private static bool AcceptsValues(LayerSpec layer, Shape[] inputs, ProblemSink problems)
    {
        foreach (Shape shape in inputs)
        {
            if (shape.IsIntegral && !layer.Kind.AcceptsTokens)
            {
                problems.Report(DiagnosticDescriptors.NeedsFloatInputId, null, layer.Name, layer.Kind.Name, shape.Described);
                return false;
            }
        }
        return true;
    }

    /// <summary>
    /// The network's output is its last layer. Another layer that nothing reads is computed for nothing (a warning);
    /// one whose parameters do not reach the last layer is a second output that the loss cannot train (an error).
    /// </summary>
    private static void CheckOutputs(NetworkSpec network, List<ShapeProblem> problems)
    {
        int count = network.Layers.Count;
        var read = new bool[count];
        foreach (LayerSpec layer in network.Layers)
        {
            foreach (int source in layer.InputIndices)
            {
                if (source >= 0)
                {
                    read[source] = true;
                }
            }
        }
        // Which layers the last one depends on: walk the inputs back from it.
        var reachesOutput = new bool[count];
        reachesOutput[count - 1] = true;
        for (int i = count - 1; i >= 0; i--)
        {
            if (!reachesOutput[i])
            {
                continue;
            }
            foreach (int source in network.Layers[i].InputIndices)
            {
                if (source >= 0)
                {
                    reachesOutput[source] = true;
                }
            }
        }
        var outputs = new List<string>();
        for (int i = 0; i < count - 1; i++)
        {
            if (!read[i])
            {
                outputs.Add(network.Layers[i].Name);
            }
        }
        for (int i = 0; i < count - 1; i++)
        {
            if (read[i])
            {
                continue;
            }
            LayerSpec sink = network.Layers[i];
            string? untrained = UntrainedLayer(network, i, reachesOutput);
            var problemSink = new ProblemSink(problems, i);
            if (untrained is null)
            {
                problemSink.Report(DiagnosticDescriptors.UnusedLayerOutputId, null, sink.Name, network.Last.Name);
            }
            else
            {
                problemSink.Report(DiagnosticDescriptors.SeveralOutputsId, null, network.ClassName, Text(outputs.Count + 1),
                    string.Join(", ", outputs) + ", " + network.Last.Name, network.Loss.ToString(), untrained);
            }
        }
    }

    /// <summary>A layer with parameters that feeds the unread layer <paramref name="sink"/> but not the output; null if none.</summary>
    private static string? UntrainedLayer(NetworkSpec network, int sink, bool[] reachesOutput)
    {
        var pending = new Stack<int>();
        var seen = new HashSet<int>();
        pending.Push(sink);
        while (pending.Count > 0)
        {
            int i = pending.Pop();
            if (i < 0 || reachesOutput[i] || !seen.Add(i))
            {
                continue;
            }
            LayerSpec layer = network.Layers[i];
            if (layer.Output is not null && layer.Kind.ParameterCount(layer) > 0)
            {
                return layer.Name;
            }
            foreach (int source in layer.InputIndices)
            {
                pending.Push(source);
            }
        }
        return null;
    }

    /// <summary>
    /// The input's typed shape: <c>Input = N</c> is the vector (N); <c>InputShape</c> (H, W) is a one-channel
    /// image, (H, W, C) an image, (N) a vector. Null after reporting what is wrong.
    /// </summary>
    private static Shape? InputShape(NetworkSpec network, ProblemSink problems)
    {
        int declared = (network.DeclaredInputShape.IsEmpty ? 0 : 1) + (network.DeclaredInputSequence.IsEmpty ? 0 : 1) + (network.DeclaredInputTokens != 0 ? 1 : 0);
        if (declared > 1)
        {
            problems.Report(DiagnosticDescriptors.InvalidInputShapeId, network.DeclaredInputTokens != 0 ? "InputTokens" : "InputSequence", network.ClassName,
                "several input kinds", "set one of InputShape (a vector or an image), InputSequence (steps, features) or InputTokens (steps)");
            return null;
        }
        if (!network.DeclaredInputSequence.IsEmpty)
        {
            return SequenceInput(network, problems);
        }
        if (network.DeclaredInputTokens != 0)
        {
            if (network.DeclaredInputTokens < 0)
            {
                problems.Report(DiagnosticDescriptors.InvalidInputShapeId, "InputTokens", network.ClassName, $"InputTokens = {Text(network.DeclaredInputTokens)}",
                    "a sequence has at least one step");
                return null;
            }
            if (network.DeclaredInput != 0 && network.DeclaredInput != network.DeclaredInputTokens)
            {
                problems.Report(DiagnosticDescriptors.InvalidInputShapeId, "InputTokens", network.ClassName, $"InputTokens = {Text(network.DeclaredInputTokens)}",
                    $"it holds {Text(network.DeclaredInputTokens)} token ids, but Input = {Text(network.DeclaredInput)}; set only one of them");
                return null;
            }
            return Shape.Tokens(network.DeclaredInputTokens);
        }
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
                problems.Report(DiagnosticDescriptors.InvalidInputShapeId, "InputShape", network.ClassName, "InputShape = " + shapeText,
                    $"every dimension must be at least 1, but one is {Text(dimension)}");
                return null;
            }
        }
        if (dims.Count > 3)
        {
            problems.Report(DiagnosticDescriptors.InvalidInputShapeId, "InputShape", network.ClassName, "InputShape = " + shapeText,
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
            problems.Report(DiagnosticDescriptors.InvalidInputShapeId, "InputShape", network.ClassName, "InputShape = " + shapeText,
                $"the product of its dimensions is more than an array holds ({Text(MaxElements)} values)");
            return null;
        }
        if (network.DeclaredInput != 0 && network.DeclaredInput != count)
        {
            problems.Report(DiagnosticDescriptors.InvalidInputShapeId, "InputShape", network.ClassName, "InputShape = " + shapeText,
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

    /// <summary>(T, F): <c>InputSequence</c> has exactly two positive dimensions, and agrees with <c>Input</c> if both are set.</summary>
    private static Shape? SequenceInput(NetworkSpec network, ProblemSink problems)
    {
        EquatableArray<int> dims = network.DeclaredInputSequence;
        string shapeText = Format(dims);
        if (dims.Count != 2)
        {
            problems.Report(DiagnosticDescriptors.InvalidInputShapeId, "InputSequence", network.ClassName, "InputSequence = " + shapeText,
                "a sequence is (steps, features), two dimensions");
            return null;
        }
        if (dims[0] <= 0 || dims[1] <= 0)
        {
            problems.Report(DiagnosticDescriptors.InvalidInputShapeId, "InputSequence", network.ClassName, "InputSequence = " + shapeText,
                $"every dimension must be at least 1, but one is {Text(System.Math.Min(dims[0], dims[1]))}");
            return null;
        }
        long count = (long)dims[0] * dims[1];
        if (count > MaxElements)
        {
            problems.Report(DiagnosticDescriptors.InvalidInputShapeId, "InputSequence", network.ClassName, "InputSequence = " + shapeText,
                $"the product of its dimensions is more than an array holds ({Text(MaxElements)} values)");
            return null;
        }
        if (network.DeclaredInput != 0 && network.DeclaredInput != count)
        {
            problems.Report(DiagnosticDescriptors.InvalidInputShapeId, "InputSequence", network.ClassName, "InputSequence = " + shapeText,
                $"it holds {Text(count)} values, but Input = {Text(network.DeclaredInput)}; set only one of them");
            return null;
        }
        return Shape.Sequence(dims[0], dims[1]);
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
            problems.Report(DiagnosticDescriptors.LayerTooLargeId, layer.Kind.OutputSizeArgument,
                $"Layer '{layer.Name}' has {string.Join(" and ", described)} values; an array holds at most {Text(MaxElements)} values");
        }
        else if (total <= MaxElements && total + layerTotal > MaxElements)
        {
            problems.Report(DiagnosticDescriptors.LayerTooLargeId, layer.Kind.OutputSizeArgument,
                $"Layer '{layer.Name}' brings network '{network.ClassName}' to {Text(total + layerTotal)} parameters; a network holds at most {Text(MaxElements)}");
        }
        return total + layerTotal;
    }

    /// <summary>
    /// Softmax cross-entropy needs raw logits: a vector of at least two values, from a layer without activation.
    /// The check looks through layers that pass values on unchanged outside training (dropout, flatten) to the layer
    /// that made them, and reports there.
    /// </summary>
    private static void CheckLoss(NetworkSpec network, List<ShapeProblem> problems)
    {
        if (!network.IsClassifier)
        {
            return;
        }
        string loss = network.Loss.ToString();
        int index = network.Layers.Count - 1;
        while (index > 0 && network.Layers[index].Kind.PassesValuesThrough && network.Layers[index].InputIndices is { Count: 1 } single && single[0] >= 0)
        {
            index = single[0];
        }
        LayerSpec producer = network.Layers[index];
        var sink = new ProblemSink(problems, index);
        if (producer.Activation is { IsIdentity: false } activation)
        {
            sink.Report(DiagnosticDescriptors.LossNeedsLinearLastLayerId, activation.IsCustom ? "CustomActivation" : "activation",
                producer.Name, activation.Name, loss,
                index == network.Layers.Count - 1 ? "raw logits: remove the activation from the last layer" : $"raw logits (they reach the loss through '{network.Last.Name}'): remove the activation");
        }
        LayerSpec output = network.Last;
        if (output.Output is null)
        {
            // The output's size is unknown (a problem before it was reported): only the activation can be checked.
            return;
        }
        var outputSink = new ProblemSink(problems, network.Layers.Count - 1);
        // One label per sample takes a vector of logits, one label per step a sequence: a dense layer on a sequence
        // classifies every step, which the one-label loss cannot score.
        if (network.IsPerStep && output.Out.Kind != ShapeKind.Sequence)
        {
            outputSink.Report(DiagnosticDescriptors.LossLabelsMismatchId, null, network.ClassName, loss, "one label per time step",
                output.Name, output.Out.Described, "the last layer must give a sequence of logits (T, classes): a dense layer on a sequence; or train with Loss.SoftmaxCrossEntropy, one label per sample");
            return;
        }
        if (!network.IsPerStep && output.Out.Kind == ShapeKind.Sequence)
        {
            outputSink.Report(DiagnosticDescriptors.LossLabelsMismatchId, null, network.ClassName, loss, "one label per sample",
                output.Name, output.Out.Described + ", logits for every step",
                $"train with Loss.SoftmaxCrossEntropyPerStep ({Text(output.Out.Steps)} labels per sample, one per step), or end the network with a layer that gives one vector per sample");
            return;
        }
        if (!network.IsPerStep && !output.Out.IsVector)
        {
            outputSink.Report(DiagnosticDescriptors.LossNeedsVectorOutputId, null, loss, output.Name, output.Out.ToString());
        }
        else if (network.Classes == 1)
        {
            sink.Report(DiagnosticDescriptors.LossOutputCountId, producer.Kind.OutputSizeArgument,
                loss, "2", producer.Name, Text(network.Classes));
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
