using System.Collections.Generic;
using SourceNet.Generator.Emit;
using SourceNet.Generator.Layers;

namespace SourceNet.Generator.Shapes;

/// <summary>
/// The member names the network emitter declares in the user's class, so the parser can report a clash as a
/// diagnostic on the user's code instead of letting it surface as CS0102 inside the generated file. Helpers
/// that need no instance state live in a file-local type and reserve no name. A test compares this list with
/// the members of real generated code, so the two cannot drift apart.
/// </summary>
internal static class GeneratedNames
{
    /// <summary>Members every network gets, whatever its layers.</summary>
    public static readonly IReadOnlyCollection<string> Network = new HashSet<string>
    {
        "InputCount", "OutputCount", "ParameterCount", "MaxBatchSize", "Parameters", "_parameters", "Layers", "_layers", "_replicas", "_trainingChunks", "_gradients", "_exclusiveUse",
        "TrainStep", "ComputeGradients", "ForwardBackward", "ComputeLoss", "RunForward", "RunBackward",
        "Forward", "Predict", "Evaluate", "Summary", "MermaidGraph",
    };

    /// <summary>Members generated for a layer named <paramref name="name"/> of <paramref name="kind"/>, the layer's own property excluded.</summary>
    public static IEnumerable<string> ForLayer(string name, LayerKind kind)
    {
        string field = Names.Field(name);
        yield return field;
        yield return field + "Activations";
        yield return field + ActivationEmitter.PreActivationsSuffix;
        foreach (string suffix in kind.FieldSuffixes)
        {
            yield return field + suffix;
        }
        foreach (string suffix in kind.ConstantSuffixes)
        {
            yield return name + suffix;
        }
    }
}
