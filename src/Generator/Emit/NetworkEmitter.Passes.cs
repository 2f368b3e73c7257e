using SourceNet.Generator.Helpers;
using SourceNet.Generator.Model;
using SourceNet.Generator.Ops;

namespace SourceNet.Generator.Emit;

internal static partial class NetworkEmitter
{
    private static string TargetsType(NetworkSpec network) => network.IsClassifier ? Labels : ReadOnlySpan;

    private static string TargetsName(NetworkSpec network) => network.IsClassifier ? "labels" : "targets";

    private static void WriteTraining(SourceWriter w, NetworkSpec network)
    {
        string targets = TargetsName(network);
        string targetsDoc = network.IsClassifier
            ? "One class label (0 to OutputCount - 1) per sample; the batch size is its length."
            : "OutputCount target values per sample, row-major.";
        LayerSpec last = network.Layers[network.Layers.Count - 1];

        w.Line("/// <summary>One training step: forward, loss, backward, and the optimizer's update of every parameter.</summary>");
        w.Line("/// <param name=\"inputs\">The batch, row-major: InputCount values per sample.</param>");
        w.Line($"/// <param name=\"{targets}\">{targetsDoc}</param>");
        w.Line("/// <param name=\"optimizer\">Updates each parameter as soon as its gradient is ready.</param>");
        w.Line("/// <returns>The batch's mean loss before the update.</returns>");
        using (w.Block($"public float TrainStep({ReadOnlySpan} inputs, {TargetsType(network)} {targets}, {Rt}.Optimizer optimizer)"))
        {
            w.Line("global::System.ArgumentNullException.ThrowIfNull(optimizer);");
            w.Line("return ForwardBackward(inputs, " + targets + ", optimizer);");
        }
        w.Line();
        w.Line("/// <summary>Forward and backward without an update: fills every <see cref=\"SourceNet.Parameter.Gradient\"/>.</summary>");
        w.Line("/// <returns>The batch's mean loss.</returns>");
        using (w.Block($"public float ComputeGradients({ReadOnlySpan} inputs, {TargetsType(network)} {targets})"))
        {
            w.Line("return ForwardBackward(inputs, " + targets + ", null);");
        }
        w.Line();
        using (w.Block($"private float ForwardBackward({ReadOnlySpan} inputs, {TargetsType(network)} {targets}, {Rt}.Optimizer? optimizer)"))
        {
            w.Line($"int batch = CheckBatch(inputs, {targets}.Length{(network.IsClassifier ? "" : " / OutputCount")}, \"{targets}\");");
            if (!network.IsClassifier)
            {
                w.Line($"CheckTargets({targets}, batch);");
            }
            w.Line($"RunForward(inputs, batch, {Activations(last)});");
            w.Line($"float loss = {LossMethod(network)}({Activations(last)}, {targets}, {Gradient(last)}, batch);");
            w.Line("// Check before any parameter changes, so a diverging step loses nothing.");
            w.Line("if (!float.IsFinite(loss)) ThrowNonFiniteLoss(loss);");
            w.Line("RunBackward(inputs, batch, optimizer);");
            w.Line("return loss;");
        }
        w.Line();
        w.Line("/// <summary>Mean loss over any number of samples, without touching the parameters' gradients.</summary>");
        using (w.Block($"public float ComputeLoss({ReadOnlySpan} inputs, {TargetsType(network)} {targets})"))
        {
            string rows = network.IsClassifier ? $"{targets}.Length" : $"{targets}.Length / OutputCount";
            w.Line($"int count = CheckSamples(inputs, {rows}, \"{targets}\");");
            if (!network.IsClassifier)
            {
                w.Line($"CheckTargets({targets}, count);");
            }
            w.Line("double total = 0;");
            using (w.Block("for (int start = 0; start < count; start += MaxBatchSize)"))
            {
                w.Line("int batch = global::System.Math.Min(MaxBatchSize, count - start);");
                w.Line($"RunForward(inputs.Slice(start * InputCount, batch * InputCount), batch, {Activations(last)});");
                string slice = network.IsClassifier ? $"{targets}.Slice(start, batch)" : $"{targets}.Slice(start * OutputCount, batch * OutputCount)";
                w.Line($"total += (double){LossMethod(network)}({Activations(last)}, {slice}, {Gradient(last)}, batch) * batch;");
            }
            w.Line("return (float)(total / count);");
        }
        w.Line();
    }

    private static void WriteForward(SourceWriter w, NetworkSpec network)
    {
        w.Line("/// <summary>The forward pass for <paramref name=\"batch\"/> samples; the last layer writes into <paramref name=\"output\"/>.</summary>");
        using (w.Block($"private void RunForward({ReadOnlySpan} inputs, int batch, {Span} output)"))
        {
            for (int i = 0; i < network.Layers.Count; i++)
            {
                LayerSpec layer = network.Layers[i];
                bool isLast = i == network.Layers.Count - 1;
                string input = i == 0 ? "inputs" : Activations(network.Layers[i - 1]);
                string destination = isLast ? "output" : Activations(layer);
                string weights = $"{Field(layer)}.Weight.Value";
                string bias = $"{Field(layer)}.Bias.Value";
                if (ActivationCatalog.NeedsPreActivations(layer))
                {
                    w.Line($"// {layer.Name}: [batch, {network.InputsOf(i)}] x [{network.InputsOf(i)}, {layer.Units}] + bias; pre-activations kept for {layer.CustomActivation}'s derivative");
                    w.Line($"{Gemm}.MatMulBias<global::SourceNet.Kernels.IdentityActivation>(batch, {layer.Name}Units, {layer.Name}Inputs, {input}, {weights}, {bias}, {PreActivations(layer)});");
                    w.Line($"// {layer.Name}: the user's activation {layer.CustomActivation}, element-wise");
                    w.Line($"{Span} {Camel(layer.Name)}Output = {destination};");
                    using (w.Block($"for (int i = 0; i < batch * {layer.Name}Units; i++)"))
                    {
                        w.Line($"{Camel(layer.Name)}Output[i] = {layer.CustomActivation}({PreActivations(layer)}[i]);");
                    }
                }
                else
                {
                    w.Line(layer.Activation == ActivationKind.None
                        ? $"// {layer.Name}: [batch, {network.InputsOf(i)}] x [{network.InputsOf(i)}, {layer.Units}], bias added in the matmul epilogue"
                        : $"// {layer.Name}: [batch, {network.InputsOf(i)}] x [{network.InputsOf(i)}, {layer.Units}] + bias, {ActivationCatalog.DisplayName(layer)} fused into the matmul epilogue");
                    w.Line($"{Gemm}.MatMulBias<{ActivationCatalog.EpilogueType(layer)}>(batch, {layer.Name}Units, {layer.Name}Inputs, {input}, {weights}, {bias}, {destination});");
                }
            }
        }
        w.Line();
    }

    private static void WriteBackward(SourceWriter w, NetworkSpec network)
    {
        w.Line("/// <summary>");
        w.Line("/// The backward pass, last layer first. On entry the last layer's gradient buffer holds dLoss/dOutput;");
        w.Line("/// each layer assigns its parameters' gradients and hands dLoss/dInput to the layer below before its");
        w.Line("/// own weights are updated.");
        w.Line("/// </summary>");
        using (w.Block($"private void RunBackward({ReadOnlySpan} inputs, int batch, {Rt}.Optimizer? optimizer)"))
        {
            LayerSpec last = network.Layers[network.Layers.Count - 1];
            if (!network.IsClassifier && ActivationCatalog.HasDerivative(last))
            {
                WriteActivationBackward(w, last);
            }
            w.Line("optimizer?.BeginStep();");
            for (int i = network.Layers.Count - 1; i >= 0; i--)
            {
                LayerSpec layer = network.Layers[i];
                string input = i == 0 ? "inputs" : Activations(network.Layers[i - 1]);
                string dz = Gradient(layer);
                w.Line();
                w.Line($"// {layer.Name}: db = column sums of dZ");
                w.Line($"{Gemm}.ColumnSums(batch, {layer.Name}Units, {dz}, {Field(layer)}.Bias.Gradient);");
                if (i > 0)
                {
                    LayerSpec below = network.Layers[i - 1];
                    w.Line($"// {below.Name} output gradient: dZ x W^T  ([batch, {layer.Units}] x [{layer.Units}, {network.InputsOf(i)}]), taken before W changes");
                    w.Line($"{Gemm}.MatMulTransposeB(batch, {layer.Name}Inputs, {layer.Name}Units, {dz}, {Field(layer)}.Weight.Value, {Gradient(below)});");
                    if (ActivationCatalog.HasDerivative(below))
                    {
                        WriteActivationBackward(w, below);
                    }
                }
                w.Line($"// {layer.Name}: dW = input^T x dZ  ([{network.InputsOf(i)}, batch] x [batch, {layer.Units}]); the optimizer updates each");
                w.Line("// block of W's columns as soon as its gradient is computed, on the core that computed it");
                w.Line($"{Gemm}.WeightGradient({layer.Name}Inputs, {layer.Name}Units, batch, {input}, {dz}, {Field(layer)}.Weight, optimizer);");
                w.Line($"optimizer?.Update({Field(layer)}.Bias);");
            }
        }
        w.Line();
    }

    /// <summary>Turns a layer's dLoss/dOutput (in its gradient buffer) into dLoss/dPreactivation in place.</summary>
    private static void WriteActivationBackward(SourceWriter w, LayerSpec layer)
    {
        string count = $"batch * {layer.Name}Units";
        if (ActivationCatalog.NeedsPreActivations(layer))
        {
            w.Line($"// {layer.Name}: dZ = dY * {layer.CustomActivation}'(z), from the generated {layer.CustomActivation}WithGradient");
            using (w.Block($"for (int i = 0; i < {count}; i++)"))
            {
                w.Line($"{layer.CustomActivation}WithGradient({PreActivations(layer)}[i], out float derivative);");
                w.Line($"{Gradient(layer)}[i] *= derivative;");
            }
        }
        else
        {
            w.Line($"// {layer.Name}: dZ = dY * {ActivationCatalog.DisplayName(layer)}'(z), written through the layer's output");
            w.Line($"global::SourceNet.Kernels.Activations.BackwardInPlace<{ActivationCatalog.EpilogueType(layer)}>(new global::System.Span<float>({Activations(layer)}, 0, {count}), new global::System.Span<float>({Gradient(layer)}, 0, {count}));");
        }
    }
}
