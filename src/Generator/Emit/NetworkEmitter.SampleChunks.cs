using System.Linq;
using SourceNet.Generator.Helpers;
using SourceNet.Generator.Layers;
using SourceNet.Generator.Model;

namespace SourceNet.Generator.Emit;

// Batch inference in chunks (Forward, Predict, Evaluate, ComputeLoss), run by the runtime's SampleChunks: on one
// thread in order, or on the kernel threads, each thread computing whole chunks with buffers of its own. The
// network's own buffers serve thread 0; replicas (networks sharing its layers, so its weights) serve the others.
// Training steps in sample chunks (the runtime's TrainingChunks), for networks whose kinds keep samples apart: chunk
// c of a batch always runs on buffer set c (the network's own for chunk 0, a training replica for the others: the
// same parameter values, its own gradients), so where a chunk runs changes no bit.
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
                string rows = LossRows(network, "batch");
                w.Line($"    return (double)(float)({helpers}.{LossMethod(network)}(logits, {slice}, network.{lastGradient}, {rows}, {rows}) * (1f / {rows})) * batch;");
            }
        }
        w.Line();
        WriteReplicaConstructor(w, network);
        if (SplitsBySamples(network))
        {
            WriteTrainingChunk(w, network);
        }
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

    /// <summary>Whether the network's training steps may run as sample chunks: no kind couples the samples of a batch.</summary>
    /// <remarks>The runtime's chunks carry float inputs and one label or target row per sample: token inputs and per-step
    /// labels stay on the whole-batch path for now.</remarks>
    private static bool SplitsBySamples(NetworkSpec network) =>
        !network.HasTokenInput && !network.IsPerStep && !network.Layers.Any(l => l.Kind.CouplesSamples);

    /// <summary>The branch of ForwardBackward that hands a batch of several chunks to the runtime's TrainingChunks.</summary>
    private static void WriteSampleChunkStep(SourceWriter w, NetworkSpec network)
    {
        string labels = network.IsClassifier ? TargetsName(network) : "default";
        string targets = network.IsClassifier ? "default" : TargetsName(network);
        using (w.Block($"if ({Rt}.Kernels.SampleChunks.TrainingChunksFor(batch) > 1)"))
        {
            w.Line("// A fixed number of sample chunks (set by the batch size, not the thread count), each on buffers of its own; their");
            w.Line("// gradients are added in chunk order, then the optimizer updates: the same bits on any number of threads.");
            if (network.IsClassifier)
            {
                w.Line($"{HelperType(network)}.CheckLabels({labels});");
            }
            w.Line($"_trainingChunks ??= new {Rt}.Kernels.TrainingChunks(this);");
            w.Line($"return _trainingChunks.Step(batch, inputs, {labels}, {targets}, optimizer);");
        }
    }

    /// <summary>The network's side of a split training step: one chunk's passes, and the replicas for the other chunks.</summary>
    private static void WriteTrainingChunk(SourceWriter w, NetworkSpec network)
    {
        string net = network.ClassName;
        var plan = ValuePlan.For(network);
        string last = plan.Activations(network.Layers.Count - 1);
        string helpers = HelperType(network);

        w.Line("// The sample chunks of a split training step, made on the first such step.");
        w.Line($"private {Rt}.Kernels.TrainingChunks? _trainingChunks;");
        w.Line();
        w.Line($"{Rt}.Kernels.ITrainingChunk {Rt}.Kernels.ITrainingChunk.CreateTrainingReplica(int maxBatchSize) => new {net}(new {Rt}.Kernels.TrainingReplicaOf<{net}>(this, maxBatchSize));");
        w.Line();
        w.Line("/// <summary>Forward, loss and backward of samples [start, start + batch) of a batch of wholeBatch, on this network's buffers, without updates.</summary>");
        using (w.Block($"double {Rt}.Kernels.ITrainingChunk.TrainChunk(int start, int batch, int wholeBatch, {ReadOnlySpan} inputs, {Labels} labels, {ReadOnlySpan} targets)"))
        {
            w.Line($"{ReadOnlySpan} chunk = inputs.Slice(start * InputCount, batch * InputCount);");
            w.Line(RunForward(network, "chunk", last, training: true));
            string slice = network.IsClassifier ? "labels.Slice(start, batch)" : "targets.Slice(start * OutputCount, batch * OutputCount)";
            w.Line("// The loss gradient is divided by the whole batch: the chunks' gradients add up to the batch's.");
            w.Line($"double loss = {helpers}.{LossMethod(network)}({last}, {slice}, {plan.LossGradient}, batch, wholeBatch);");
            int deferred = DeferredWeightLayer(network, plan);
            if (DeferredGradientBuffer(network, plan) is { } saved)
            {
                w.Line($"{saved} ??= new float[MaxBatchSize * {Text.Of(((DenseSpec)network.Layers[deferred]).Units)}];");
            }
            w.Line(deferred >= 0 ? $"RunBackward(chunk, batch, null, {DeferFlag}: true);" : "RunBackward(chunk, batch, null);");
            w.Line("return loss;");
        }
        w.Line();
        WriteDeferredWeightGradient(w, network, plan);
        w.Line("/// <summary>A training replica for one sample chunk: the source's parameter values; its own gradients, buffers, layers and generators.</summary>");
        w.Line("/// <remarks>The parameter's type is the runtime's marker, so no constructor the class declares itself can clash.</remarks>");
        using (w.Block($"private {net}({Rt}.Kernels.TrainingReplicaOf<{net}> replica)"))
        {
            w.Line($"{net} source = replica.Source;");
            w.Line("int maxBatchSize = replica.MaxBatchSize;");
            w.Line("MaxBatchSize = maxBatchSize;");
            w.Line("// Seeds the replica's own generators (dropout masks); TrainingChunks reseeds them from the source's before every step.");
            w.Line($"var random = new {Rt}.SeededRandom(0);");
            foreach (LayerContext c in Contexts(w, network))
            {
                if (c.Layer.HasProperty && c.Layer.Kind.Parameters(c.Layer).Count > 0)
                {
                    w.Line($"{c.Field} = {RuntimeLayer(c)};");
                }
            }
            WriteParameterArray(w, network);
            int deferred = DeferredWeightLayer(network, plan);
            if (deferred < 0)
            {
                w.Line($"{Rt}.Kernels.TrainingReplicaOf<{net}>.ShareValues(_parameters, source._parameters);");
            }
            else
            {
                w.Line($"// {network.Layers[deferred].Name}'s weight gradient is computed by rows in the sum-and-update pass, never in a replica: no array for it.");
                w.Line($"{Rt}.Kernels.TrainingReplicaOf<{net}>.ShareValues(_parameters, source._parameters, {Names.Field(network.Layers[deferred].Name)}.Weight);");
            }
            WriteBufferAllocations(w, network, replica: false);
            WriteLayersWithoutParameters(w, network);
        }
        w.Line();
    }

    /// <summary>The name of RunBackward's flag that leaves the deferred weight gradient to the caller.</summary>
    private const string DeferFlag = "deferWeightGradient";

    /// <summary>
    /// The layer whose weight gradient a sample chunk leaves to the runtime (<c>ITrainingChunk.DeferredWeight</c>), or
    /// -1: the dense layer with the largest weight (the first of equals), one row per sample. The runtime computes its
    /// dW by blocks of rows on every thread, each block summed over the chunks and updated while in cache, instead of
    /// each chunk writing the whole gradient and a second pass reading every copy back: in the tutorial's MLP the first
    /// layer (784x300 from 50 samples, half a step's multiply-adds), in the deep MNIST CNN the 3136x1024 hidden layer
    /// (12.8 MB per copy). Its operands must outlive the backward pass: its input is the network's inputs or an
    /// activation buffer, which no backward pass of a non-recurrent kind writes (recurrent kinds are left out), and
    /// its dZ is copied aside (<see cref="DeferredGradientBuffer"/>) when a layer below reuses dZ's gradient slot.
    /// </summary>
    private static int DeferredWeightLayer(NetworkSpec network, ValuePlan plan)
    {
        if (!SplitsBySamples(network) || network.Layers.Count == 0 || network.Layers.Any(l => l.Kind is RecurrentKind))
        {
            return -1;
        }
        int chosen = -1;
        long largest = 0;
        for (int i = 0; i < network.Layers.Count; i++)
        {
            LayerSpec layer = network.Layers[i];
            if (layer.Kind is not DenseKind || layer.In.Kind == ShapeKind.Sequence || !plan.RunsBackward(i) || layer.InputIndices.Count != 1)
            {
                continue;
            }
            long weights = layer.Kind.ParameterCount(layer);
            if (weights > largest)
            {
                (chosen, largest) = (i, weights);
            }
        }
        return chosen;
    }

    /// <summary>
    /// Where the deferred layer's backward pass keeps its dZ for <c>WeightGradientRows</c>, or null when the gradient
    /// slot itself survives the pass: no layer below it runs backward (the MLP's first layer, whose product is the
    /// pass's last). Otherwise a layer below reuses the slot, and the chunk copies dZ (batch x units, 100 KB in the CNN)
    /// into a buffer of its own, made on the first split step.
    /// </summary>
    internal static string? DeferredGradientBuffer(NetworkSpec network, ValuePlan plan)
    {
        int deferred = DeferredWeightLayer(network, plan);
        if (deferred < 0)
        {
            return null;
        }
        for (int j = 0; j < deferred; j++)
        {
            if (plan.RunsBackward(j))
            {
                return Names.Field(network.Layers[deferred].Name) + DenseKind.DeferredGradientSuffix;
            }
        }
        return null;
    }

    /// <summary>The deferred weight gradient's members of <c>ITrainingChunk</c>, when the network has one.</summary>
    private static void WriteDeferredWeightGradient(SourceWriter w, NetworkSpec network, ValuePlan plan)
    {
        int deferred = DeferredWeightLayer(network, plan);
        if (deferred < 0)
        {
            return;
        }
        var c = new LayerContext(w, network, plan, deferred, forwardPass: false);
        w.Line($"{Rt}.Parameter? {Rt}.Kernels.ITrainingChunk.DeferredWeight => {c.Field}.Weight;");
        w.Line();
        string? saved = DeferredGradientBuffer(network, plan);
        if (saved is not null)
        {
            w.Line($"// {c.Layer.Name}'s dZ from the last TrainChunk: the layers below reuse its gradient slot. Made on the first split step.");
            w.Line($"private float[]? {saved};");
            w.Line();
        }
        bool readsInputs = plan.RootOf(c.Layer.InputIndices[0]) < 0;
        string input = readsInputs ? "inputs.Slice(start * InputCount, count * InputCount)" : c.Input;
        string source = readsInputs ? "the inputs" : "the " + c.Input + " buffer";
        w.Line("/// <summary>Rows [firstRow, firstRow + rowCount) of " + c.Layer.Name + "'s dW = input^T x dZ for samples [start, start + count), from " + source + " and the dZ that this network's last TrainChunk left.</summary>");
        using (w.Block($"void {Rt}.Kernels.ITrainingChunk.WeightGradientRows(int firstRow, int rowCount, int start, int count, {ReadOnlySpan} inputs, {Span} gradientRows)"))
        {
            w.Line($"{Rt}.Kernels.Gemm.WeightGradientRows({c.Constant("Inputs")}, {c.Constant("Units")}, count, firstRow, rowCount, {input}, {saved ?? c.OutputGradient}{(saved is null ? "" : "!")}, gradientRows);");
        }
        w.Line();
    }

    /// <summary><c>_parameters</c>, in layer order, weight before bias: the order the chunks' gradients are matched in.</summary>
    private static void WriteParameterArray(SourceWriter w, NetworkSpec network)
    {
        w.Line($"_parameters = new {Rt}.Parameter[]");
        w.Line("{");
        w.Indent();
        foreach (LayerContext c in Contexts(w, network))
        {
            var parameters = c.Layer.Kind.Parameters(c.Layer);
            if (parameters.Count > 0)
            {
                w.Line(string.Join(" ", parameters.Select(p => $"{c.Field}.{p.Member},")));
            }
        }
        w.Unindent();
        w.Line("};");
    }
}
