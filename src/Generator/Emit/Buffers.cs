using SourceNet.Generator.Model;

namespace SourceNet.Generator.Emit;

/// <summary>
/// The buffers of a network's passes: each layer that moves data owns an activation buffer and a gradient
/// buffer for the largest batch; a layer that only reshapes (flatten) shares its input's.
/// </summary>
internal static class Buffers
{
    /// <summary>The layer whose buffers layer <paramref name="index"/> uses: itself, or the nearest below that moves data; -1 for the network input.</summary>
    public static int Owner(NetworkSpec network, int index)
    {
        while (index >= 0 && network.Layers[index].Kind.AliasesInput)
        {
            index--;
        }
        return index;
    }

    /// <summary>Whether layer <paramref name="index"/> owns buffers (and so has fields for them).</summary>
    public static bool OwnsBuffers(NetworkSpec network, int index) => Owner(network, index) == index;

    /// <summary>The output activations of layer <paramref name="index"/>; <c>inputs</c> for -1.</summary>
    public static string Activations(NetworkSpec network, int index)
    {
        int owner = Owner(network, index);
        return owner < 0 ? "inputs" : Names.Field(network.Layers[owner].Name) + "Activations";
    }

    /// <summary>dLoss/dOutput of layer <paramref name="index"/>; null for the network input.</summary>
    public static string? Gradient(NetworkSpec network, int index)
    {
        int owner = Owner(network, index);
        return owner < 0 ? null : Names.Field(network.Layers[owner].Name) + "Gradient";
    }

    /// <summary>Whether layer <paramref name="index"/> must hand dLoss/dInput down: some layer below it has parameters.</summary>
    public static bool NeedsInputGradient(NetworkSpec network, int index)
    {
        for (int below = index - 1; below >= 0; below--)
        {
            LayerSpec layer = network.Layers[below];
            if (layer.Kind.ParameterCount(layer) > 0)
            {
                return true;
            }
        }
        return false;
    }
}
