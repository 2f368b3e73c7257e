using System.Collections.Generic;

namespace SourceNet.Generator.Shapes;

/// <summary>
/// The member names the network emitter declares, so the parser can report a clash as a diagnostic on the
/// user's code instead of letting it surface as CS0102 inside the generated file. A test compares this list
/// with the members of real generated code, so the two cannot drift apart.
/// </summary>
internal static class GeneratedNames
{
    /// <summary>Members every network gets, whatever its layers.</summary>
    public static readonly IReadOnlyCollection<string> Network = new HashSet<string>
    {
        "InputCount", "OutputCount", "ParameterCount", "MaxBatchSize", "Parameters", "_parameters",
        "TrainStep", "ComputeGradients", "ForwardBackward", "ComputeLoss", "RunForward", "RunBackward",
        "Forward", "Predict", "Evaluate", "Summary", "MermaidGraph",
        "SoftmaxCrossEntropyWithGradient", "MeanSquaredErrorWithGradient",
        "CheckBatch", "CheckSamples", "CheckTargets", "CheckFinite", "ThrowLabelOutOfRange", "ThrowNonFiniteLoss",
    };

    /// <summary>Members generated for the layer <paramref name="name"/>, the layer's own property excluded.</summary>
    public static IEnumerable<string> ForLayer(string name)
    {
        string field = "_" + Camel(name);
        yield return name + "Inputs";
        yield return name + "Units";
        yield return field;
        yield return field + "Activations";
        yield return field + "Gradient";
        yield return field + "PreActivations";
    }

    /// <summary>The emitter's field-name convention: the first letter lower-cased.</summary>
    public static string Camel(string name) => name.Length == 0 ? name : char.ToLowerInvariant(name[0]) + name.Substring(1);
}
