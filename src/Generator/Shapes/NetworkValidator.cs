using System.Collections.Generic;
using System.Globalization;
using SourceNet.Generator.Diagnostics;
using SourceNet.Generator.Model;
using SourceNet.Generator.Ops;

namespace SourceNet.Generator.Shapes;

/// <summary>Which part of the source a <see cref="ShapeProblem"/> points at.</summary>
internal enum ProblemSite
{
    /// <summary>The [Network] attribute's Input argument (or the attribute itself).</summary>
    NetworkInput,

    /// <summary>The [Network] attribute's Loss argument (or the attribute itself).</summary>
    NetworkLoss,

    /// <summary>The layer attribute's units argument.</summary>
    LayerUnits,

    /// <summary>The layer attribute's activation argument.</summary>
    LayerActivation,

    /// <summary>The layer attribute's WeightStdDev argument.</summary>
    LayerWeightStdDev,

    /// <summary>The layer attribute's BiasStdDev argument.</summary>
    LayerBiasStdDev,
}

/// <summary>A shape or wiring mistake found in a network, with where to report it and the message arguments.</summary>
internal sealed record ShapeProblem(string DescriptorId, ProblemSite Site, int LayerIndex, string[] Arguments);

/// <summary>
/// Checks a parsed network's sizes and wiring. A pure function over the model, like a compiler's middle
/// end: no Roslyn types, so it is unit-tested directly. The parser maps each problem to a source location.
/// </summary>
internal static class NetworkValidator
{
    public static List<ShapeProblem> Validate(NetworkSpec network)
    {
        var problems = new List<ShapeProblem>();
        if (network.Input <= 0)
        {
            problems.Add(new(DiagnosticDescriptors.NonPositiveInputId, ProblemSite.NetworkInput, -1,
                new[] { network.ClassName, Text(network.Input) }));
        }

        for (int i = 0; i < network.Layers.Count; i++)
        {
            LayerSpec layer = network.Layers[i];
            if (layer.Units <= 0)
            {
                problems.Add(new(DiagnosticDescriptors.NonPositiveUnitsId, ProblemSite.LayerUnits, i,
                    new[] { layer.Name, Text(layer.Units) }));
            }
            CheckScale(problems, i, layer, "WeightStdDev", layer.WeightStdDev, ProblemSite.LayerWeightStdDev);
            CheckScale(problems, i, layer, "BiasStdDev", layer.BiasStdDev, ProblemSite.LayerBiasStdDev);
        }

        if (network.Layers.Count > 0 && network.Loss == LossKind.SoftmaxCrossEntropy)
        {
            int last = network.Layers.Count - 1;
            LayerSpec output = network.Layers[last];
            if (output.Activation != ActivationKind.None)
            {
                problems.Add(new(DiagnosticDescriptors.LossNeedsLinearLastLayerId, ProblemSite.LayerActivation, last,
                    new[] { output.Name, ActivationCatalog.DisplayName(output), "SoftmaxCrossEntropy", "raw logits: remove the activation from the last layer" }));
            }
            if (output.Units == 1)
            {
                problems.Add(new(DiagnosticDescriptors.LossOutputCountId, ProblemSite.LayerUnits, last,
                    new[] { "SoftmaxCrossEntropy", "2", output.Name, Text(output.Units) }));
            }
        }
        return problems;
    }

    private static void CheckScale(List<ShapeProblem> problems, int index, LayerSpec layer, string name, float value, ProblemSite site)
    {
        if (float.IsNaN(value) || float.IsInfinity(value) || value < 0f)
        {
            problems.Add(new(DiagnosticDescriptors.InvalidInitializationId, site, index,
                new[] { layer.Name, name, value.ToString("R", CultureInfo.InvariantCulture) }));
        }
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
