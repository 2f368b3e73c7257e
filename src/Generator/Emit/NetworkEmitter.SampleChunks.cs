using System.Linq;
using SourceNet.Generator.Helpers;
using SourceNet.Generator.Layers;
using SourceNet.Generator.Model;

namespace SourceNet.Generator.Emit;

// Batch inference in chunks (Forward, Predict, Evaluate, ComputeLoss), run by the runtime's SampleChunks: on one
// thread in order, or on the kernel threads, each thread computing whole chunks with buffers of its own. The
// network's own buffers serve thread 0; replicas (networks sharing its layers, so its weights) serve the others.
internal static partial class NetworkEmitter
{
    /// <summary>The operations a chunk runs, numbered as the generated RunChunk's switch numbers them.</summary>
    private enum SampleOperation
    {
        Forward = 0,
        Predict = 1,
        Evaluate = 2,
        Loss = 3,
    }

    /// <summary>The call that runs <paramref name="operation"/> over <c>count</c> samples; its value is the chunks' sum.</summary>
    private static string RunChunks(NetworkSpec network, SampleOperation operation, string inputs,
        string? labels = null, string? targets = null, string? outputs = null, string? predictions = null)
    {
        long multiplyAdds = network.Layers.Sum(l => l.Kind.MultiplyAdds(l));
        // The chunk runner only slices inputs by position: token ids travel as their 4-byte words, and RunChunk reads them back as ids.
        if (network.HasTokenInput)
        {
            inputs = $"global::System.Runtime.InteropServices.MemoryMarshal.Cast<int, float>({inputs})";
        }
        return $"{Rt}.Kernels.SampleChunks.Run(this, {(int)operation} /* {operation} */, count, MaxBatchSize, {multiplyAdds}L /* multiply-adds per sample */, "
            + $"{inputs}, {labels ?? "default"}, {targets ?? "default"}, {outputs ?? "default"}, {predictions ?? "default"})";
    }

    private static void WriteSampleChunks(SourceWriter w, NetworkSpec network)
    {
        string net = network.ClassName;
        var plan = ValuePlan.For(network);
        string last = plan.Activations(network.Layers.Count - 1);
        string lastGradient = plan.LossGradient;
        string helpers = HelperType(network);

        using (w.Block($"void {Rt}.Kernels.ISampleChunks.PrepareThreads(int threads)"))
        {
            w.Line("if (threads <= 1 || (_replicas is not null && _replicas.Length >= threads - 1)) return;");
            w.Line($"var replicas = new {net}[threads - 1];");
            w.Line("for (int i = 0; i < replicas.Length; i++)");
            w.Line($"    replicas[i] = _replicas is not null && i < _replicas.Length ? _replicas[i] : new {net}(new {Rt}.Kernels.ReplicaOf<{net}>(this));");
            w.Line("_replicas = replicas;");
        }
        w.Line();
        w.Line("/// <summary>One chunk of a batch inference, on the buffers of <paramref name=\"thread\"/>; returns its share of the result.</summary>");
        using (w.Block($"double {Rt}.Kernels.ISampleChunks.RunChunk(int operation, int thread, int start, int batch, {ReadOnlySpan} inputs, {Labels} labels, {ReadOnlySpan} targets, {Span} outputs, global::System.Span<int> predictions)"))
        {
            w.Line("// Thread 0 computes on this network's buffers, thread t on replica t - 1's; all read the same weights.");
            w.Line($"{net} network = thread == 0 ? this : _replicas![thread - 1];");
            w.Line(network.HasTokenInput
                ? $"{Labels} chunk = global::System.Runtime.InteropServices.MemoryMarshal.Cast<float, int>(inputs).Slice(start * InputCount, batch * InputCount);"
                : $"{ReadOnlySpan} chunk = inputs.Slice(start * InputCount, batch * InputCount);");
            w.Line($"float[] logits = network.{last};");
            using (w.Block("switch (operation)"))
            {
                w.Line("case 0: // Forward: the last layer writes into the caller's outputs");
                w.Line("    network." + RunForward(network, "chunk", "outputs.Slice(start * OutputCount, batch * OutputCount)", training: false));
                w.Line("    return 0;");
                if (network.IsPerStep)
                {
                    string steps = Text.Of(network.LabelsPerSample);
                    string classes = Text.Of(network.Classes);
                    w.Line($"case 1: // Predict: one class per step");
                    w.Line("    network." + RunForward(network, "chunk", "logits", training: false));
                    w.Line($"    for (int row = 0; row < batch * {steps}; row++)");
                    w.Line($"        predictions[start * {steps} + row] = {Rt}.NetworkGuards.PredictClass(new {ReadOnlySpan}(logits, row * {classes}, {classes}), start + row / {steps});");
                    w.Line("    return 0;");
                    w.Line("case 2: // Evaluate: this chunk's correct steps");
                    w.Line("    network." + RunForward(network, "chunk", "logits", training: false));
                    w.Line("    int correct = 0;");
                    w.Line($"    for (int row = 0; row < batch * {steps}; row++)");
                    w.Line($"        if ({Rt}.NetworkGuards.ArgMaxOrMinusOne(new {ReadOnlySpan}(logits, row * {classes}, {classes})) == labels[start * {steps} + row]) correct++;");
                    w.Line("    return correct;");
                }
                else if (network.IsClassifier)
                {
                    w.Line("case 1: // Predict");
                    w.Line("    network." + RunForward(network, "chunk", "logits", training: false));
                    w.Line("    for (int row = 0; row < batch; row++)");
                    w.Line($"        predictions[start + row] = {Rt}.NetworkGuards.PredictClass(new {ReadOnlySpan}(logits, row * OutputCount, OutputCount), start + row);");
                    w.Line("    return 0;");
                    w.Line("case 2: // Evaluate: this chunk's correct predictions");
                    w.Line("    network." + RunForward(network, "chunk", "logits", training: false));
                    w.Line("    int correct = 0;");
                    w.Line("    for (int row = 0; row < batch; row++)");
                    w.Line($"        if ({Rt}.NetworkGuards.ArgMaxOrMinusOne(new {ReadOnlySpan}(logits, row * OutputCount, OutputCount)) == labels[start + row]) correct++;");
                    w.Line("    return correct;");
                }
                w.Line("default: // ComputeLoss: this chunk's summed loss (its gradient goes to the buffer nobody reads in inference)");
                w.Line("    network." + RunForward(network, "chunk", "logits", training: false));
                string slice = network.IsPerStep ? $"labels.Slice(start * {Text.Of(network.LabelsPerSample)}, batch * {Text.Of(network.LabelsPerSample)})"
                    : network.IsClassifier ? "labels.Slice(start, batch)" : "targets.Slice(start * OutputCount, batch * OutputCount)";
                w.Line($"    return (double){helpers}.{LossMethod(network)}(logits, {slice}, network.{lastGradient}, batch) * batch;");
            }
        }
        w.Line();
        WriteReplicaConstructor(w, network);
    }

    /// <summary>A network sharing <c>source</c>'s layers (so its parameters) with buffers of its own, for forward passes only.</summary>
    private static void WriteReplicaConstructor(SourceWriter w, NetworkSpec network)
    {
        w.Line("/// <summary>A replica for batch inference on another thread: the source's layers and parameters, its own buffers.</summary>");
        w.Line("/// <remarks>The parameter's type is the runtime's marker, so no constructor the class declares itself can clash.</remarks>");
        using (w.Block($"private {network.ClassName}({Rt}.Kernels.ReplicaOf<{network.ClassName}> replica)"))
        {
            w.Line($"{network.ClassName} source = replica.Source;");
            w.Line("MaxBatchSize = source.MaxBatchSize;");
            w.Line("int maxBatchSize = MaxBatchSize;");
            foreach (LayerSpec layer in network.Layers.Where(l => l.HasProperty))
            {
                string field = Names.Field(layer.Name);
                w.Line($"{field} = source.{field};");
            }
            w.Line("_parameters = source._parameters;");
            w.Line("_layers = source._layers;");
            WriteBufferAllocations(w, network, replica: true);
        }
        w.Line();
    }
}
