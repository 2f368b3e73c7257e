using SourceNet.Generator.Helpers;
using SourceNet.Generator.Model;

namespace SourceNet.Generator.Emit;

internal static partial class NetworkEmitter
{
    private static string LossMethod(NetworkSpec network) =>
        network.IsClassifier ? "SoftmaxCrossEntropyWithGradient" : "MeanSquaredErrorWithGradient";

    private static void WriteLoss(SourceWriter w, NetworkSpec network)
    {
        if (network.IsClassifier)
        {
            WriteSoftmaxCrossEntropy(w);
        }
        else
        {
            WriteMeanSquaredError(w);
        }
    }

    private static void WriteSoftmaxCrossEntropy(SourceWriter w)
    {
        w.Line("/// <summary>");
        w.Line("/// Softmax, cross-entropy and its gradient in one pass per row: loss_r = log(sum_j e^(z_j - max)) - (z_label - max),");
        w.Line("/// dLoss/dz_j = (softmax_j - [j == label]) / batch. Returns the mean loss.");
        w.Line("/// </summary>");
        using (w.Block($"private static float SoftmaxCrossEntropyWithGradient({ReadOnlySpan} logits, {Labels} labels, {Span} gradient, int batch)"))
        {
            w.Line("float inverseBatch = 1f / batch;");
            w.Line("double total = 0;");
            using (w.Block("for (int row = 0; row < batch; row++)"))
            {
                w.Line("int label = labels[row];");
                w.Line("if ((uint)label >= OutputCount) ThrowLabelOutOfRange(row, label);");
                w.Line($"{ReadOnlySpan} z = logits.Slice(row * OutputCount, OutputCount);");
                w.Line($"{Span} g = gradient.Slice(row * OutputCount, OutputCount);");
                w.Line("// Subtracting the row's max keeps every exponent <= 0: no overflow.");
                w.Line("float max = z[0];");
                w.Line("for (int j = 1; j < OutputCount; j++) max = z[j] > max ? z[j] : max;");
                w.Line("float sum = 0f;");
                using (w.Block("for (int j = 0; j < OutputCount; j++)"))
                {
                    w.Line("float e = global::System.MathF.Exp(z[j] - max);");
                    w.Line("g[j] = e;");
                    w.Line("sum += e;");
                }
                w.Line("float scale = inverseBatch / sum;");
                w.Line("for (int j = 0; j < OutputCount; j++) g[j] *= scale;");
                w.Line("g[label] -= inverseBatch;");
                w.Line("total += global::System.MathF.Log(sum) - (z[label] - max);");
            }
            w.Line("return (float)(total * inverseBatch);");
        }
        w.Line();
    }

    private static void WriteMeanSquaredError(SourceWriter w)
    {
        w.Line("/// <summary>Half the squared error, summed over outputs and averaged over the batch, and its gradient (y - t) / batch in the same pass.</summary>");
        using (w.Block($"private static float MeanSquaredErrorWithGradient({ReadOnlySpan} outputs, {ReadOnlySpan} targets, {Span} gradient, int batch)"))
        {
            w.Line("float inverseBatch = 1f / batch;");
            w.Line("double total = 0;");
            using (w.Block("for (int i = 0; i < batch * OutputCount; i++)"))
            {
                w.Line("float difference = outputs[i] - targets[i];");
                w.Line("total += 0.5 * difference * difference;");
                w.Line("gradient[i] = difference * inverseBatch;");
            }
            w.Line("return (float)(total * inverseBatch);");
        }
        w.Line();
    }
}
