namespace SourceNet.Generator.Emit;

/// <summary>
/// A layer's activation, for every kind that has one. A built-in whose derivative reads its output (ReLU, Sigmoid,
/// ...) runs inside the kind's fused product (its kernel type is the product's epilogue) and its derivative is taken
/// from the output. One whose derivative needs z (GELU, SiLU) and a custom <c>[Differentiable]</c> one run after
/// the product, from kept pre-activations: the built-in through one SIMD pass of its kernel, the custom one element
/// by element, with the derivative its generated <c>{Name}WithGradient</c> companion gives.
/// </summary>
/// <remarks>
/// Why a separate pass and not an epilogue that stores both z and f(z): the pass reads and writes each output once
/// (O(outputs)) beside a product of O(outputs·inputs), and it keeps the matmul and convolution kernels, with their
/// many widths and tilings, free of a second store stream.
/// </remarks>
internal static class ActivationEmitter
{
    public const string PreActivationsSuffix = "PreActivations";

    private const string Kernels = "global::SourceNet.Kernels.Activations";

    /// <summary>The <c>IActivation</c> type to fuse into the product's epilogue: the identity when the activation runs after it.</summary>
    public static string EpilogueType(LayerContext c) =>
        NeedsPreActivations(c) ? Model.ActivationSpec.IdentityKernel : c.Layer.Activation!.KernelType;

    public static bool NeedsPreActivations(LayerContext c) => c.Layer.Activation is { KeepsPreActivations: true };

    public static void WriteDeclarations(LayerContext c)
    {
        if (NeedsPreActivations(c))
        {
            c.W.Line($"private readonly float[] {c.Member(PreActivationsSuffix)};");
        }
    }

    public static void WriteAllocations(LayerContext c)
    {
        if (NeedsPreActivations(c))
        {
            c.W.Line($"{c.Member(PreActivationsSuffix)} = new float[maxBatchSize * {c.Layer.Kind.OutputElements(c)}];");
        }
    }

    /// <summary>After the product: an activation that keeps z, element-wise, from the pre-activations to the output.</summary>
    public static void WriteForwardTail(LayerContext c)
    {
        var activation = c.Layer.Activation!;
        if (!activation.KeepsPreActivations)
        {
            return;
        }
        if (activation.CustomMethod is not { } method)
        {
            c.W.Line($"// {c.Layer.Name}: {activation.Name}, element-wise from the kept pre-activations (its derivative needs z)");
            c.W.Line($"{Kernels}.Forward<{activation.KernelType}>(new global::System.ReadOnlySpan<float>({c.Member(PreActivationsSuffix)}, 0, {c.BatchOutputs}), {LayerContext.SpanOf(c.Output, c.BatchOutputs)});");
            return;
        }
        c.W.Line($"// {c.Layer.Name}: the user's activation {method}, element-wise");
        c.W.Line($"global::System.Span<float> {Names.Camel(c.Layer.Name)}Output = {c.Output};");
        using (c.W.Block($"for (int i = 0; i < {c.BatchOutputs}; i++)"))
        {
            c.W.Line($"{Names.Camel(c.Layer.Name)}Output[i] = {method}({c.Member(PreActivationsSuffix)}[i]);");
        }
    }

    /// <summary>Turns the layer's dLoss/dOutput into dLoss/dPreactivation, in place.</summary>
    public static void WriteBackward(LayerContext c)
    {
        var activation = c.Layer.Activation;
        if (activation is null || activation.IsIdentity)
        {
            return;
        }
        string gradient = $"new global::System.Span<float>({c.OutputGradient}, 0, {c.BatchOutputs})";
        if (activation.CustomMethod is { } method)
        {
            c.W.Line($"// {c.Layer.Name}: dZ = dY * {method}'(z), from the generated {method}WithGradient");
            using (c.W.Block($"for (int i = 0; i < {c.BatchOutputs}; i++)"))
            {
                c.W.Line($"{method}WithGradient({c.Member(PreActivationsSuffix)}[i], out float derivative);");
                c.W.Line($"{c.OutputGradient}[i] *= derivative;");
            }
            return;
        }
        if (activation.DerivativeFromPreActivation)
        {
            c.W.Line($"// {c.Layer.Name}: dZ = dY * {activation.Name}'(z), from the kept pre-activations");
            c.W.Line($"{Kernels}.BackwardFromPreActivationsInPlace<{activation.KernelType}>(new global::System.ReadOnlySpan<float>({c.Member(PreActivationsSuffix)}, 0, {c.BatchOutputs}), {gradient});");
            return;
        }
        c.W.Line($"// {c.Layer.Name}: dZ = dY * {activation.Name}'(z), written through the layer's output");
        c.W.Line($"{Kernels}.BackwardInPlace<{activation.KernelType}>(new global::System.Span<float>({c.Output}, 0, {c.BatchOutputs}), {gradient});");
    }
}
