namespace SourceNet.Generator.Emit;

/// <summary>
/// A layer's activation, for every kind that has one: a built-in runs inside the kind's fused product (its
/// kernel type is the product's epilogue) and its derivative is taken from the output; a custom
/// <c>[Differentiable]</c> one runs after the product, from kept pre-activations, with the derivative its
/// generated <c>{Name}WithGradient</c> companion gives.
/// </summary>
internal static class ActivationEmitter
{
    public const string PreActivationsSuffix = "PreActivations";

    /// <summary>The <c>IActivation</c> type to fuse into the product's epilogue.</summary>
    public static string EpilogueType(LayerContext c) => c.Layer.Activation!.KernelType;

    public static bool NeedsPreActivations(LayerContext c) => c.Layer.Activation is { IsCustom: true };

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

    /// <summary>After the product: a custom activation, element-wise, from the pre-activations to the output.</summary>
    public static void WriteForwardTail(LayerContext c)
    {
        string? method = c.Layer.Activation!.CustomMethod;
        if (method is null)
        {
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
        c.W.Line($"// {c.Layer.Name}: dZ = dY * {activation.Name}'(z), written through the layer's output");
        c.W.Line($"global::SourceNet.Kernels.Activations.BackwardInPlace<{activation.KernelType}>(new global::System.Span<float>({c.Output}, 0, {c.BatchOutputs}), new global::System.Span<float>({c.OutputGradient}, 0, {c.BatchOutputs}));");
    }
}
