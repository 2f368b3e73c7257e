using SourceNet.Generator.Helpers;
using SourceNet.Generator.Layers;
using SourceNet.Generator.Model;

namespace SourceNet.Generator.Emit;

internal static partial class NetworkEmitter
{
    /// <summary>
    /// The argument checks and the fused loss, in a file-local static class: they need no instance state, and
    /// as members of the user's class they would reserve names the user might want.
    /// </summary>
    private static void WriteHelpers(SourceWriter w, NetworkSpec network)
    {
        string net = network.ClassName;
        string inputsType = InputsType(network);
        // Token ids are checked against the vocabulary, floats for finiteness: the same place in every method.
        string checkInputs = network.HasTokenInput ? "CheckTokens" : "CheckFinite";
        w.Line($"/// <summary>Checks and the loss of <see cref=\"{net}\"/>, kept out of the class so they take none of its names.</summary>");
        using (w.Block($"file static class {network.ClassName}_SourceNetHelpers"))
        {
            using (w.Block($"public static int CheckBatch({inputsType} inputs, int rows, string rowsName, int maxBatchSize)"))
            {
                w.Line("if (rows < 1 || rows > maxBatchSize) throw new global::System.ArgumentException($\"A training batch has 1 to {maxBatchSize} samples (the network's maxBatchSize); got {rows}.\", rowsName);");
                w.Line($"if (inputs.Length != rows * {net}.InputCount) throw new global::System.ArgumentException($\"{{rows}} samples of {{{net}.InputCount}} values need {{rows * {net}.InputCount}} input values; got {{inputs.Length}}.\", nameof(inputs));");
                w.Line($"{checkInputs}(inputs);");
                w.Line("return rows;");
            }
            w.Line();
            if (network.HasTokenInput)
            {
                WriteTokenCheck(w, network);
            }
            else
            {
                w.Line("// A NaN would otherwise pass silently: ReLU's max(NaN, 0) is 0.");
                using (w.Block($"public static void CheckFinite({ReadOnlySpan} inputs)"))
                {
                    w.Line("int bad = global::SourceNet.Kernels.FiniteCheck.IndexOfNonFinite(inputs);");
                    w.Line($"if (bad >= 0) throw new global::System.ArgumentException($\"Input value {{bad}} (sample {{bad / {net}.InputCount}}, feature {{bad % {net}.InputCount}}) is {{inputs[bad]}}; inputs must be finite.\", nameof(inputs));");
                }
            }
            w.Line();
            using (w.Block($"public static int CheckSamples({inputsType} inputs, int rows, string rowsName)"))
            {
                w.Line("if (rows < 1) throw new global::System.ArgumentException(\"At least one sample is needed.\", rowsName);");
                w.Line($"if (inputs.Length != rows * {net}.InputCount) throw new global::System.ArgumentException($\"{{rows}} samples of {{{net}.InputCount}} values need {{rows * {net}.InputCount}} input values; got {{inputs.Length}}.\", nameof(inputs));");
                w.Line($"{checkInputs}(inputs);");
                w.Line("return rows;");
            }
            w.Line();
            if (!network.IsClassifier)
            {
                using (w.Block($"public static void CheckTargets({ReadOnlySpan} targets, int rows)"))
                {
                    w.Line($"if (targets.Length != rows * {net}.OutputCount) throw new global::System.ArgumentException($\"{{rows}} samples need {{rows * {net}.OutputCount}} target values ({{{net}.OutputCount}} each); got {{targets.Length}}.\", nameof(targets));");
                }
                w.Line();
            }
            else
            {
                w.Line("// Before a batch inference starts: a bad label then names its sample in the whole set, and stops nothing half done.");
                string classes = network.IsPerStep ? Text.Of(network.Classes) : $"{net}.OutputCount";
                using (w.Block($"public static void CheckLabels({Labels} labels)"))
                {
                    w.Line("for (int row = 0; row < labels.Length; row++)");
                    w.Line($"    if ((uint)labels[row] >= {classes}) ThrowLabelOutOfRange(row, labels[row]);");
                }
                w.Line();
                using (w.Block("public static void ThrowLabelOutOfRange(int row, int label)"))
                {
                    string which = network.IsPerStep
                        ? $"Label {{row}} (sample {{row / {Text.Of(network.LabelsPerSample)}}}, step {{row % {Text.Of(network.LabelsPerSample)}}})"
                        : "Label of sample {row}";
                    string last = network.IsPerStep ? Text.Of(network.Classes - 1) : $"{{{net}.OutputCount - 1}}";
                    w.Line($"throw new global::System.ArgumentOutOfRangeException(\"labels\", label, $\"{which} is {{label}}; labels must be in 0..{last}.\");");
                }
                w.Line();
                if (network.IsPerStep)
                {
                    string steps = Text.Of(network.LabelsPerSample);
                    w.Line("/// <summary>The samples that per-step labels stand for: one label per step, so a whole number of samples.</summary>");
                    using (w.Block($"public static int SamplesOf({Labels} labels)"))
                    {
                        w.Line($"if (labels.Length % {steps} != 0) throw new global::System.ArgumentException($\"Labels come {steps} per sample (one per step); got {{labels.Length}}, not a multiple of {steps}.\", nameof(labels));");
                        w.Line($"return labels.Length / {steps};");
                    }
                    w.Line();
                }
            }
            if (network.IsClassifier)
            {
                WriteSoftmaxCrossEntropy(w, network);
            }
            else
            {
                WriteMeanSquaredError(w, net);
            }
        }
    }

    /// <summary>
    /// Token ids index the embedding's table: an id outside [0, vocabulary) would read another row or past the end.
    /// Checked on entry to every method, before anything runs, so a bad id changes nothing.
    /// </summary>
    private static void WriteTokenCheck(SourceWriter w, NetworkSpec network)
    {
        int vocabulary = InputVocabulary(network);
        string steps = Text.Of(network.InputCount);
        w.Line($"// Token ids must index the {Text.Of(vocabulary)} rows of the embedding's table.");
        using (w.Block($"public static void CheckTokens({Labels} inputs)"))
        {
            w.Line("for (int i = 0; i < inputs.Length; i++)");
            w.Line($"    if ((uint)inputs[i] >= {Text.Of(vocabulary)}u) ThrowTokenOutOfRange(i, inputs[i]);");
        }
        w.Line();
        using (w.Block("private static void ThrowTokenOutOfRange(int index, int token)"))
        {
            w.Line($"throw new global::System.ArgumentOutOfRangeException(\"inputs\", token, $\"Token id of sample {{index / {steps}}}, step {{index % {steps}}} is {{token}}; token ids must be in 0..{Text.Of(vocabulary - 1)} (the vocabulary).\");");
        }
    }

    /// <summary>The ids the input may hold: the smallest range of the layers reading it, and the declared vocabulary if smaller.</summary>
    private static int InputVocabulary(NetworkSpec network)
    {
        int vocabulary = network.DeclaredVocabulary > 0 ? network.DeclaredVocabulary : int.MaxValue;
        foreach (LayerSpec layer in network.Layers)
        {
            if (layer.InputIndices.Count == 1 && layer.InputIndices[0] < 0 && layer.Kind.TokenRange(layer) is { } range)
            {
                vocabulary = System.Math.Min(vocabulary, range);
            }
        }
        return vocabulary;
    }

    /// <summary>The rows of logits (or outputs) the loss helper reads for <paramref name="samples"/> samples: one per
    /// sample, or one per time step for per-step labels.</summary>
    private static string LossRows(NetworkSpec network, string samples) =>
        network.IsPerStep ? $"({samples} * {Text.Of(network.LabelsPerSample)})" : samples;

    private static string LossMethod(NetworkSpec network) =>
        network.IsClassifier ? "SoftmaxCrossEntropyWithGradient" : "MeanSquaredErrorWithGradient";

    private static void WriteSoftmaxCrossEntropy(SourceWriter w, NetworkSpec network)
    {
        w.Line("/// <summary>");
        w.Line("/// Softmax, cross-entropy and its gradient in one pass per row: loss_r = log(sum_j e^(z_j - max)) - (z_label - max),");
        w.Line("/// dLoss/dz_j = (softmax_j - [j == label]) / batch, over <paramref name=\"rows\"/> rows of a batch of <paramref name=\"batch\"/>");
        w.Line(network.IsPerStep
            ? $"/// rows, a row per time step ({Text.Of(network.LabelsPerSample)} per sample, so callers count both in steps). Returns the rows' summed loss."
            : "/// (fewer in a sample chunk of a split step). Returns the rows' summed loss.");
        w.Line("/// </summary>");
        using (w.Block($"public static double SoftmaxCrossEntropyWithGradient({ReadOnlySpan} logits, {Labels} labels, {Span} gradient, int rows, int batch)"))
        {
            w.Line(network.IsPerStep ? $"const int classes = {Text.Of(network.Classes)};" : $"const int classes = {network.ClassName}.OutputCount;");
            w.Line("float inverseBatch = 1f / batch;");
            w.Line("double total = 0;");
            using (w.Block("for (int row = 0; row < rows; row++)"))
            {
                w.Line("int label = labels[row];");
                w.Line("if ((uint)label >= classes) ThrowLabelOutOfRange(row, label);");
                w.Line($"{ReadOnlySpan} z = logits.Slice(row * classes, classes);");
                w.Line($"{Span} g = gradient.Slice(row * classes, classes);");
                w.Line("// Subtracting the row's max keeps every exponent <= 0: no overflow.");
                w.Line("float max = z[0];");
                w.Line("for (int j = 1; j < classes; j++) max = z[j] > max ? z[j] : max;");
                w.Line("float sum = 0f;");
                using (w.Block("for (int j = 0; j < classes; j++)"))
                {
                    w.Line("float e = global::System.MathF.Exp(z[j] - max);");
                    w.Line("g[j] = e;");
                    w.Line("sum += e;");
                }
                w.Line("float scale = inverseBatch / sum;");
                w.Line("for (int j = 0; j < classes; j++) g[j] *= scale;");
                w.Line("g[label] -= inverseBatch;");
                w.Line("total += global::System.MathF.Log(sum) - (z[label] - max);");
            }
            w.Line("return total;");
        }
    }

    private static void WriteMeanSquaredError(SourceWriter w, string net)
    {
        // Keras' mse and PyTorch's MSELoss (reduction='mean'): the mean over every output of every sample, so the
        // loss reads the same whatever the batch size and the number of outputs. A sample's loss is the mean over its
        // outputs; the helper returns the sum of those over its rows (a sample chunk of a split step has fewer rows
        // than its batch), and the caller divides by the batch.
        w.Line("/// <summary>The squared error averaged over the outputs of each of <paramref name=\"rows\"/> rows, summed over the rows (Keras' mse and");
        w.Line("/// PyTorch's MSELoss once divided by the batch), and its gradient 2(y - t) / (batch·outputs) in the same pass.</summary>");
        using (w.Block($"public static double MeanSquaredErrorWithGradient({ReadOnlySpan} outputs, {ReadOnlySpan} targets, {Span} gradient, int rows, int batch)"))
        {
            w.Line($"float twoOverCount = 2f / (batch * {net}.OutputCount);");
            w.Line("double total = 0;");
            using (w.Block($"for (int i = 0; i < rows * {net}.OutputCount; i++)"))
            {
                w.Line("float difference = outputs[i] - targets[i];");
                w.Line("total += (double)difference * difference;");
                w.Line("gradient[i] = difference * twoOverCount;");
            }
            w.Line($"return total / {net}.OutputCount;");
        }
    }
}
