using System.Collections.Generic;

namespace SourceNet.Generator.Layers;

/// <summary>The registry of layer kinds: the one list the parser consults to find a property's kind.</summary>
internal static class LayerKinds
{
    public static readonly IReadOnlyList<LayerKind> All = new LayerKind[]
    {
        DenseKind.Instance,
        Conv2DKind.Instance,
        Pool2DKind.Max,
        Pool2DKind.Average,
        DropoutKind.Instance,
        FlattenKind.Instance,
        BatchNormKind.Instance,
        AddKind.Instance,
        ConcatenateKind.Instance,
        GlobalAvgPool2DKind.Instance,
        LstmKind.Instance,
        GruKind.Instance,
        EmbeddingKind.Instance,
    };

    /// <summary>The kind declared by the attribute class <paramref name="attributeName"/>, or null.</summary>
    public static LayerKind? ByAttribute(string attributeName)
    {
        foreach (LayerKind kind in All)
        {
            if (kind.AttributeName == attributeName)
            {
                return kind;
            }
        }
        return null;
    }

    /// <summary>Whether <paramref name="typeName"/> is the runtime type of some kind's layer property.</summary>
    public static bool IsLayerType(string typeName)
    {
        foreach (LayerKind kind in All)
        {
            if (kind.RuntimeType == typeName)
            {
                return true;
            }
        }
        return false;
    }
}
