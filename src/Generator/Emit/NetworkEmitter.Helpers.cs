using SourceNet.Generator.Helpers;
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
        w.Line($"/// <summary>Checks and the loss of <see cref=\"{net}\"/>, kept out of the class so they take none of its names.</summary>");
        using (w.Block($"file static class {network.ClassName}_SourceNetHelpers"))
        {
            using (w.Block($"public static int CheckBatch({ReadOnlySpan} inputs, int rows, string rowsName, int maxBatchSize)"))
            {
                w.Line("if (rows < 1 || rows > maxBatchSize) throw new global::System.ArgumentException($\"A training batch has 1 to {maxBatchSize} samples (the network's maxBatchSize); got {rows}.\", rowsName);");
                w.Line($"if (inputs.Length != rows * {net}.InputCount) throw new global::System.ArgumentException($\"{{rows}} samples of {{{net}.InputCount}} values need {{rows * {net}.InputCount}} input values; got {{inputs.Length}}.\", nameof(inputs));");
                w.Line("CheckFinite(inputs);");
                w.Line("return rows;");
            }
            w.Line();
            w.Line("// A NaN would otherwise pass silently: ReLU's max(NaN, 0) is 0.");
            using (w.Block($"public static void CheckFinite({ReadOnlySpan} inputs)"))
            {
                w.Line("int bad = global::SourceNet.Kernels.FiniteCheck.IndexOfNonFinite(inputs);");
                w.Line($"if (bad >= 0) throw new global::System.ArgumentException($\"Input value {{bad}} (sample {{bad / {net}.InputCount}}, feature {{bad % {net}.InputCount}}) is {{inputs[bad]}}; inputs must be finite.\", nameof(inputs));");
            }
            w.Line();
            using (w.Block($"public static int CheckSamples({ReadOnlySpan} inputs, int rows, string rowsName)"))
            {
                w.Line("if (rows < 1) throw new global::System.ArgumentException(\"At least one sample is needed.\", rowsName);");
                w.Line($"if (inputs.Length != rows * {net}.InputCount) throw new global::System.ArgumentException($\"{{rows}} samples of {{{net}.InputCount}} values need {{rows * {net}.InputCount}} input values; got {{inputs.Length}}.\", nameof(inputs));");
                w.Line("CheckFinite(inputs);");
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
                using (w.Block($"public static void CheckLabels({Labels} labels)"))
                {
                    w.Line("for (int row = 0; row < labels.Length; row++)");
                    w.Line($"    if ((uint)labels[row] >= {net}.OutputCount) ThrowLabelOutOfRange(row, labels[row]);");
                }
                w.Line();
                using (w.Block("public static void ThrowLabelOutOfRange(int row, int label)"))
                {
                    w.Line($"throw new global::System.ArgumentOutOfRangeException(\"labels\", label, $\"Label of sample {{row}} is {{label}}; labels must be in 0..{{{net}.OutputCount - 1}}.\");");
                }
                w.Line();
            }
            if (network.IsClassifier)
            {
                WriteSoftmaxCrossEntropy(w, net);
            }
            else
            {
                WriteMeanSquaredError(w, net);
            }
        }
    }

    private static string LossMethod(NetworkSpec network) =>
        network.IsClassifier ? "SoftmaxCrossEntropyWithGradient" : "MeanSquaredErrorWithGradient";

    private static void WriteSoftmaxCrossEntropy(SourceWriter w, string net)
    {
        w.Line("/// <summary>");
        w.Line("/// Softmax, cross-entropy and its gradient in one pass per row: loss_r = log(sum_j e^(z_j - max)) - (z_label - max),");
        w.Line("/// dLoss/dz_j = (softmax_j - [j == label]) / batch. Returns the mean loss.");
        w.Line("/// </summary>");
        using (w.Block($"public static float SoftmaxCrossEntropyWithGradient({ReadOnlySpan} logits, {Labels} labels, {Span} gradient, int batch)"))
        {
            w.Line($"const int classes = {net}.OutputCount;");
            w.Line("float inverseBatch = 1f / batch;");
            w.Line("double total = 0;");
            using (w.Block("for (int row = 0; row < batch; row++)"))
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
            w.Line("return (float)(total * inverseBatch);");
        }
    }

    private static void WriteMeanSquaredError(SourceWriter w, string net)
    {
        // Keras' mse and PyTorch's MSELoss (reduction='mean'): the mean over every output of every sample, so the
        // loss reads the same whatever the batch size and the number of outputs.
        w.Line("/// <summary>The squared error averaged over every output of every sample (Keras' mse, PyTorch's MSELoss), and its gradient 2(y - t) / (batch·outputs) in the same pass.</summary>");
        using (w.Block($"public static float MeanSquaredErrorWithGradient({ReadOnlySpan} outputs, {ReadOnlySpan} targets, {Span} gradient, int batch)"))
        {
            w.Line($"int count = batch * {net}.OutputCount;");
            w.Line("float twoOverCount = 2f / count;");
            w.Line("double total = 0;");
            using (w.Block("for (int i = 0; i < count; i++)"))
            {
                w.Line("float difference = outputs[i] - targets[i];");
                w.Line("total += (double)difference * difference;");
                w.Line("gradient[i] = difference * twoOverCount;");
            }
            w.Line("return (float)(total / count);");
        }
    }
}
