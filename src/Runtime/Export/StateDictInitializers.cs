using System;
using SourceNet.Interop;

namespace SourceNet.Export;

/// <summary>
/// Writes a layer's state into an <see cref="IOpGraph"/> as the safetensors file holds it: the <c>state_dict</c> name
/// (<c>hidden.weight</c>), the <c>state_dict</c> shape and values. An exported model's weights then match, by name and
/// by value, the tensors <see cref="SafeTensors.Save(string, INetwork)"/> writes and a PyTorch export carries.
/// </summary>
internal static class StateDictInitializers
{
    /// <summary>The parameter as its <c>state_dict</c> tensor; returns the initializer's name.</summary>
    public static string StateTensor(this IOpGraph graph, Parameter parameter)
    {
        (float[] values, long[] dims) = StateDict(parameter);
        return graph.Floats(StateDictLayout.NameOf(parameter), values, dims);
    }

    /// <summary>A product's weight as its <c>state_dict</c> tensor, whose axis <paramref name="outputAxis"/> runs over the
    /// output channels (<see cref="IOpGraph.Weight"/>); returns the initializer's name.</summary>
    public static string StateWeight(this IOpGraph graph, Parameter parameter, int outputAxis)
    {
        (float[] values, long[] dims) = StateDict(parameter);
        return graph.Weight(StateDictLayout.NameOf(parameter), values, outputAxis, dims);
    }

    private static (float[] Values, long[] Dims) StateDict(Parameter parameter)
    {
        var values = new float[parameter.Length];
        StateDictLayout.ToStateDict(parameter, values);
        int[] shape = parameter.StateDictShape;
        var dims = new long[shape.Length];
        for (int i = 0; i < shape.Length; i++)
        {
            dims[i] = shape[i];
        }
        return (values, dims);
    }

    /// <summary>The float buffer as its <c>state_dict</c> tensor (BatchNorm's running statistics).</summary>
    public static string StateTensor(this IOpGraph graph, StateBuffer buffer)
    {
        var dims = new long[buffer.Shape.Length];
        for (int i = 0; i < dims.Length; i++)
        {
            dims[i] = buffer.Shape[i];
        }
        return graph.Floats(StateDictLayout.NameOf(buffer), buffer.Singles, dims);
    }

    /// <summary>Whether <paramref name="axes"/> is exactly <paramref name="expected"/>.</summary>
    public static bool AxesAre(int[] axes, params int[] expected) => axes.AsSpan().SequenceEqual(expected);
}
