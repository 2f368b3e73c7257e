using System.Collections.Generic;
using System.Globalization;
using SourceNet.Generator.Diagnostics;
using SourceNet.Generator.Helpers;
using SourceNet.Generator.Model;
using SourceNet.Generator.Ops;

namespace SourceNet.Generator.Shapes;

/// <summary>Which part of the source a <see cref="ShapeProblem"/> points at.</summary>
internal enum ProblemSite
{
    /// <summary>The [Network] attribute's Input argument (or the attribute itself).</summary>
    NetworkInput,

    /// <summary>The [Network] attribute's InputShape argument (or the attribute itself).</summary>
    NetworkInputShape,

    /// <summary>The [Network] attribute's Loss argument (or the attribute itself).</summary>
    NetworkLoss,

    /// <summary>The whole layer attribute.</summary>
    Layer,

    /// <summary>The layer attribute's units argument.</summary>
    LayerUnits,

    /// <summary>The layer attribute's activation: its CustomActivation argument for a custom one, else its activation argument.</summary>
    LayerActivation,

    /// <summary>The layer attribute's Flatten argument.</summary>
    LayerFlatten,

    /// <summary>The layer attribute's WeightStdDev argument.</summary>
    LayerWeightStdDev,

    /// <summary>The layer attribute's BiasStdDev argument.</summary>
    LayerBiasStdDev,
}

/// <summary>A shape or wiring mistake found in a network, with where to report it and the message arguments.</summary>
/// <param name="DescriptorId">The diagnostic's id (<see cref="DiagnosticDescriptors"/>).</param>
/// <param name="Site">What in the source to point at.</param>
/// <param name="LayerIndex">The layer, for the layer sites; -1 for the network sites.</param>
/// <param name="Arguments">The message arguments.</param>
internal sealed record ShapeProblem(string DescriptorId, ProblemSite Site, int LayerIndex, EquatableArray<string> Arguments)
{
    public ShapeProblem(string descriptorId, ProblemSite site, int layerIndex, params string[] arguments)
        : this(descriptorId, site, layerIndex, new EquatableArray<string>(arguments))
    {
    }
}

/// <summary>
/// Checks a parsed network's sizes and wiring by inferring the shape that flows into each layer. A pure
/// function over the model, like a compiler's middle end: no Roslyn types, so it is unit-tested directly.
/// The parser maps each problem to a source location.
/// </summary>
/// <remarks>
/// The input is <see cref="NetworkSpec.InputShape"/> when declared, else the vector <c>(Input)</c>. A dense
/// layer takes a vector: a multi-dimensional input must be flattened explicitly (Keras would instead apply
/// the layer to the last axis, a classic silent mistake). Every layer outputs the vector <c>(Units)</c>.
/// </remarks>
internal static class NetworkValidator
{
    /// <summary>The most elements a float array indexed by int can hold.</summary>
    private const long MaxElements = int.MaxValue;

    /// <summary>All problems of <paramref name="network"/>, in source order: network first, then each layer.</summary>
    /// <param name="network">The network as parsed.</param>
    /// <param name="layersComplete">
    /// False when some layer properties could not be read (already reported): the layers' own values are
    /// still checked, but not how they connect, which would report the neighbours of the missing layer.
    /// </param>
    public static List<ShapeProblem> Validate(NetworkSpec network, bool layersComplete = true)
    {
        var problems = new List<ShapeProblem>();
        long inputCount = CheckInput(network, problems);

        // The shape flowing into the next layer; null once it is unknown (a bad input or width before it).
        int[]? shape = inputCount > 0 && layersComplete ? InputDimensions(network) : null;
        long parameters = 0;
        for (int i = 0; i < network.Layers.Count; i++)
        {
            LayerSpec layer = network.Layers[i];
            if (layer.Units <= 0)
            {
                problems.Add(new(DiagnosticDescriptors.NonPositiveUnitsId, ProblemSite.LayerUnits, i, layer.Name, Text(layer.Units)));
            }
            CheckScale(problems, i, layer, "WeightStdDev", layer.WeightStdDev, ProblemSite.LayerWeightStdDev);
            CheckScale(problems, i, layer, "BiasStdDev", layer.BiasStdDev, ProblemSite.LayerBiasStdDev);

            if (shape is not null)
            {
                long features = Count(shape);
                if (shape.Length > 1 && !layer.Flatten)
                {
                    problems.Add(new(DiagnosticDescriptors.DenseNeedsVectorInputId, ProblemSite.Layer, i,
                        layer.Name, Format(shape), Text(features)));
                }
                else if (shape.Length == 1 && layer.Flatten)
                {
                    problems.Add(new(DiagnosticDescriptors.FlattenHasNoEffectId, ProblemSite.LayerFlatten, i,
                        layer.Name, Text(features)));
                }
                if (layer.Units > 0)
                {
                    long weights = features * layer.Units;
                    long layerParameters = weights + layer.Units;
                    if (layerParameters > MaxElements)
                    {
                        problems.Add(new(DiagnosticDescriptors.LayerTooLargeId, ProblemSite.LayerUnits, i,
                            $"Layer '{layer.Name}' has {Text(features)} x {Text(layer.Units)} = {Text(weights)} weights and {Text(layer.Units)} biases; an array holds at most {Text(MaxElements)} values"));
                    }
                    else if (parameters <= MaxElements && parameters + layerParameters > MaxElements)
                    {
                        problems.Add(new(DiagnosticDescriptors.LayerTooLargeId, ProblemSite.LayerUnits, i,
                            $"Layer '{layer.Name}' brings network '{network.ClassName}' to {Text(parameters + layerParameters)} parameters; a network holds at most {Text(MaxElements)}"));
                    }
                    parameters += layerParameters;
                }
            }
            shape = layer.Units > 0 && layersComplete ? new[] { layer.Units } : null;
        }

        if (layersComplete && network.Layers.Count > 0 && network.Loss == LossKind.SoftmaxCrossEntropy)
        {
            int last = network.Layers.Count - 1;
            LayerSpec output = network.Layers[last];
            if (output.Activation != ActivationKind.None)
            {
                problems.Add(new(DiagnosticDescriptors.LossNeedsLinearLastLayerId, ProblemSite.LayerActivation, last,
                    output.Name, ActivationCatalog.DisplayName(output), "SoftmaxCrossEntropy", "raw logits: remove the activation from the last layer"));
            }
            if (output.Units == 1)
            {
                problems.Add(new(DiagnosticDescriptors.LossOutputCountId, ProblemSite.LayerUnits, last,
                    "SoftmaxCrossEntropy", "2", output.Name, Text(output.Units)));
            }
        }
        return problems;
    }

    /// <summary>The input's dimensions: the declared shape, or the vector (Input).</summary>
    public static int[] InputDimensions(NetworkSpec network)
    {
        if (network.InputShape.IsEmpty)
        {
            return new[] { network.Input };
        }
        var dimensions = new int[network.InputShape.Count];
        for (int i = 0; i < dimensions.Length; i++)
        {
            dimensions[i] = network.InputShape[i];
        }
        return dimensions;
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

    /// <summary>Checks the input declaration and returns the number of input features, or 0 when it is invalid.</summary>
    private static long CheckInput(NetworkSpec network, List<ShapeProblem> problems)
    {
        if (network.InputShape.IsEmpty)
        {
            if (network.Input <= 0)
            {
                problems.Add(new(DiagnosticDescriptors.NonPositiveInputId, ProblemSite.NetworkInput, -1, network.ClassName, Text(network.Input)));
                return 0;
            }
            return network.Input;
        }

        string shapeText = Format(InputDimensions(network));
        foreach (int dimension in network.InputShape)
        {
            if (dimension <= 0)
            {
                problems.Add(new(DiagnosticDescriptors.InvalidInputShapeId, ProblemSite.NetworkInputShape, -1,
                    network.ClassName, shapeText, $"every dimension must be at least 1, but one is {Text(dimension)}"));
                return 0;
            }
        }
        long count = Count(InputDimensions(network));
        if (count > MaxElements)
        {
            problems.Add(new(DiagnosticDescriptors.InvalidInputShapeId, ProblemSite.NetworkInputShape, -1,
                network.ClassName, shapeText, $"the product of its dimensions is more than an array holds ({Text(MaxElements)} values)"));
            return 0;
        }
        if (network.Input != 0 && network.Input != count)
        {
            problems.Add(new(DiagnosticDescriptors.InvalidInputShapeId, ProblemSite.NetworkInputShape, -1,
                network.ClassName, shapeText, $"it holds {Text(count)} values, but Input = {Text(network.Input)}; set only one of them"));
            return 0;
        }
        return count;
    }

    private static void CheckScale(List<ShapeProblem> problems, int index, LayerSpec layer, string name, float value, ProblemSite site)
    {
        if (float.IsNaN(value) || float.IsInfinity(value) || value < 0f)
        {
            problems.Add(new(DiagnosticDescriptors.InvalidInitializationId, site, index,
                layer.Name, name, value.ToString("R", CultureInfo.InvariantCulture)));
        }
    }

    private static long Count(int[] shape)
    {
        long count = 1;
        foreach (int dimension in shape)
        {
            count *= dimension;
            if (count > MaxElements)
            {
                // Saturate: the caller only compares against MaxElements, and the product of many dims could overflow a long.
                return MaxElements + 1;
            }
        }
        return count;
    }

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
