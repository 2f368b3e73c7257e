using SourceNet.Generator.Layers;
using SourceNet.Generator.Helpers;
using SourceNet.Generator.Model;

namespace SourceNet.Generator.Emit;

internal static partial class NetworkEmitter
{
    private static string TargetsType(NetworkSpec network) => network.IsClassifier ? Labels : ReadOnlySpan;

    private static string TargetsName(NetworkSpec network) => network.IsClassifier ? "labels" : "targets";

    /// <summary>The samples that <paramref name="targets"/> stand for: one label each, one per step, or OutputCount values each.</summary>
    private static string Samples(NetworkSpec network, string targets) =>
        network.IsPerStep ? $"{HelperType(network)}.SamplesOf({targets})" : network.IsClassifier ? $"{targets}.Length" : $"{targets}.Length / OutputCount";

    /// <summary>The forward pass's call: <c>RunForward(inputs, batch, output)</c>, with the training flag when a layer needs it.</summary>
    private static string RunForward(NetworkSpec network, string inputs, string output, bool training) =>
        HasTrainingMode(network)
            ? $"RunForward({inputs}, batch, {output}, training: {(training ? "true" : "false")});"
            : $"RunForward({inputs}, batch, {output});";

    private static void WriteTraining(SourceWriter w, NetworkSpec network)
    {
        string targets = TargetsName(network);
        string targetsDoc = network.IsPerStep
            ? $"One class label (0 to {Text.Of(network.Classes - 1)}) per time step, {Text.Of(network.LabelsPerSample)} per sample, row-major; the batch size is its length / {Text.Of(network.LabelsPerSample)}."
            : network.IsClassifier
            ? "One class label (0 to OutputCount - 1) per sample; the batch size is its length."
            : "OutputCount target values per sample, row-major.";
        var plan = ValuePlan.For(network);
        string last = plan.Activations(network.Layers.Count - 1);
        string lastGradient = plan.LossGradient;
        string helpers = HelperType(network);

        w.Line("/// <summary>One training step: forward, loss, backward, and the optimizer's update of every parameter.</summary>");
        w.Line($"/// <param name=\"inputs\">The batch, row-major: InputCount {(network.HasTokenInput ? "token ids" : "values")} per sample.</param>");
        w.Line($"/// <param name=\"{targets}\">{targetsDoc}</param>");
        w.Line(SplitsBySamples(network)
            ? "/// <param name=\"optimizer\">Updates every parameter once the gradients are final: after the sample chunks' gradients are added up (a batch of 32 or more runs as chunks, see <see cref=\"SourceNet.Kernels.TrainingChunks\"/>), else as soon as each gradient is ready, or after the whole backward pass when it needs every gradient (<see cref=\"SourceNet.Optimizer.NeedsGlobalStep\"/>).</param>"
            : "/// <param name=\"optimizer\">Updates each parameter as soon as its gradient is ready, or after the whole backward pass when it needs every gradient (<see cref=\"SourceNet.Optimizer.NeedsGlobalStep\"/>).</param>");
        w.Line("/// <returns>The batch's mean loss before the update.</returns>");
        using (w.Block($"public float TrainStep({InputsType(network)} inputs, {TargetsType(network)} {targets}, {Rt}.Optimizer optimizer)"))
        {
            w.Line("global::System.ArgumentNullException.ThrowIfNull(optimizer);");
            w.Line("return ForwardBackward(inputs, " + targets + ", optimizer);");
        }
        w.Line();
        w.Line("/// <summary>Forward and backward without an update: fills every <see cref=\"SourceNet.Parameter.Gradient\"/>.</summary>");
        w.Line("/// <returns>The batch's mean loss.</returns>");
        using (w.Block($"public float ComputeGradients({InputsType(network)} inputs, {TargetsType(network)} {targets})"))
        {
            w.Line("return ForwardBackward(inputs, " + targets + ", null);");
        }
        w.Line();
        using (w.Block($"private float ForwardBackward({InputsType(network)} inputs, {TargetsType(network)} {targets}, {Rt}.Optimizer? optimizer)"))
        {
            w.Line($"using {Rt}.ExclusiveUse.Scope exclusive = _exclusiveUse.Enter(optimizer is null ? \"ComputeGradients\" : \"TrainStep\");");
            w.Line($"int batch = {helpers}.CheckBatch(inputs, {Samples(network, targets)}, \"{targets}\", MaxBatchSize);");
            if (!network.IsClassifier)
            {
                w.Line($"{helpers}.CheckTargets({targets}, batch);");
            }
            if (SplitsBySamples(network))
            {
                WriteSampleChunkStep(w, network);
            }
            w.Line(RunForward(network, "inputs", last, training: true));
            string rows = LossRows(network, "batch");
            w.Line($"float loss = (float)({helpers}.{LossMethod(network)}({last}, {targets}, {lastGradient}, {rows}, {rows}) * (1f / {rows}));");
            w.Line("// Check before any parameter changes, so a diverging step loses nothing.");
            w.Line($"if (!float.IsFinite(loss)) {Rt}.NetworkGuards.ThrowNonFiniteLoss(loss, {(network.HasTokenInput ? "default" : "inputs")}, _parameters);");
            using (w.Block("if (optimizer is { NeedsGlobalStep: true })"))
            {
                w.Line("// Clipping or accumulation sees every gradient first: a backward pass without updates, then one global step.");
                w.Line("RunBackward(inputs, batch, null);");
                w.Line("optimizer.Step(_parameters);");
            }
            using (w.Block("else"))
            {
                w.Line("RunBackward(inputs, batch, optimizer);");
            }
            w.Line("return loss;");
        }
        w.Line();
        w.Line("/// <summary>Mean loss over any number of samples (inference mode), without touching the parameters' gradients.</summary>");
        using (w.Block($"public float ComputeLoss({InputsType(network)} inputs, {TargetsType(network)} {targets})"))
        {
            string rows = Samples(network, targets);
            w.Line($"int count = {helpers}.CheckSamples(inputs, {rows}, \"{targets}\");");
            w.Line(network.IsClassifier ? $"{helpers}.CheckLabels({targets});" : $"{helpers}.CheckTargets({targets}, count);");
            w.Line("// Each chunk's summed loss, added in chunk order: the same total on any number of threads.");
            w.Line($"double total = {RunChunks(network, SampleOperation.Loss, "inputs", labels: network.IsClassifier ? targets : null, targets: network.IsClassifier ? null : targets)};");
            w.Line("return (float)(total / count);");
        }
        w.Line();
    }

    private static void WriteForward(SourceWriter w, NetworkSpec network)
    {
        w.Line("/// <summary>The forward pass for <paramref name=\"batch\"/> samples; the last layer writes into <paramref name=\"output\"/>.</summary>");
        string training = HasTrainingMode(network) ? ", bool training" : "";
        using (w.Block($"private void RunForward({InputsType(network)} inputs, int batch, {Span} output{training})"))
        {
            foreach (LayerContext c in Contexts(w, network, forwardPass: true))
            {
                c.Layer.Kind.WriteForward(c);
            }
        }
        w.Line();
    }

    private static void WriteBackward(SourceWriter w, NetworkSpec network)
    {
        w.Line("/// <summary>");
        w.Line("/// The backward pass, last layer first. On entry the last layer's gradient holds dLoss/dOutput; each layer");
        w.Line("/// applies its activation's derivative, assigns its parameters' gradients and hands dLoss/dInput to the layers");
        w.Line("/// it reads before its own parameters are updated. A value read by several layers gets the sum of their shares.");
        w.Line("/// </summary>");
        var plan = ValuePlan.For(network);
        int deferred = DeferredWeightLayer(network, plan);
        string deferFlag = deferred >= 0 ? $", bool {DeferFlag} = false" : "";
        using (w.Block($"private void RunBackward({InputsType(network)} inputs, int batch, {Rt}.Optimizer? optimizer{deferFlag})"))
        {
            w.Line("optimizer?.BeginStep();");
            for (int i = network.Layers.Count - 1; i >= 0; i--)
            {
                if (!plan.RunsBackward(i))
                {
                    continue;
                }
                var c = new LayerContext(w, network, plan, i, forwardPass: false) { WeightGradientDeferredBy = i == deferred ? DeferFlag : null };
                w.Line();
                ActivationEmitter.WriteBackward(c);
                c.Layer.Kind.WriteBackward(c);
                WriteAccumulations(c);
            }
        }
        w.Line();
    }

    /// <summary>Adds the shares a layer wrote to scratch buffers into the gradients of values that an earlier-run layer also reads.</summary>
    private static void WriteAccumulations(LayerContext c)
    {
        for (int k = 0; k < c.InputCount; k++)
        {
            if (c.Plan.InputGradient(c.Index, k) is { AccumulateInto: { } sum } target)
            {
                int source = c.Layer.InputIndices[k];
                string count = $"batch * {Text.Of(c.Layer.InputShapes[k].Elements)}";
                c.W.Line($"// {(source < 0 ? "input" : c.Network.Layers[source].Name)} is read by more than one layer: add {c.Layer.Name}'s share to its gradient");
                c.W.Line($"global::System.Numerics.Tensors.TensorPrimitives.Add({LayerContext.SpanOf(sum, count)}, {LayerContext.SpanOf(target.Target, count)}, {LayerContext.SpanOf(sum, count)});");
            }
        }
    }
}
