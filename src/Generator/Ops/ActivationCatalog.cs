using SourceNet.Generator.Model;

namespace SourceNet.Generator.Ops;

/// <summary>
/// The activation catalogue: for each built-in activation, the runtime type that carries its forward rule
/// and its derivative side by side (<c>SourceNet.Kernels.IActivation</c>), so the forward epilogue and the
/// backward pass are derived from one definition. Custom activations are user [Differentiable] methods
/// whose derivative the differentiation generator emits as <c>{Name}WithGradient</c>.
/// </summary>
internal static class ActivationCatalog
{
    /// <summary>The runtime <c>IActivation</c> struct used in the matmul epilogue.</summary>
    public static string EpilogueType(LayerSpec layer) => layer.Activation switch
    {
        ActivationKind.ReLU => "global::SourceNet.Kernels.ReluActivation",
        ActivationKind.Sigmoid => "global::SourceNet.Kernels.SigmoidActivation",
        ActivationKind.Tanh => "global::SourceNet.Kernels.TanhActivation",
        // A custom activation runs after the matmul, from the stored pre-activations.
        _ => "global::SourceNet.Kernels.IdentityActivation",
    };

    /// <summary>Whether the backward pass needs the layer's pre-activations (only custom activations do:
    /// built-ins express their derivative through their output).</summary>
    public static bool NeedsPreActivations(LayerSpec layer) => layer.Activation == ActivationKind.Custom;

    /// <summary>Whether the backward pass multiplies by a derivative at all.</summary>
    public static bool HasDerivative(LayerSpec layer) => layer.Activation != ActivationKind.None;

    public static string DisplayName(LayerSpec layer) => layer.Activation switch
    {
        ActivationKind.None => "None",
        ActivationKind.ReLU => "ReLU",
        ActivationKind.Sigmoid => "Sigmoid",
        ActivationKind.Tanh => "Tanh",
        ActivationKind.Custom => layer.CustomActivation ?? "Custom",
        _ => layer.Activation.ToString(),
    };
}
