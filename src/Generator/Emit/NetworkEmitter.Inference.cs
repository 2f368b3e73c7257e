using SourceNet.Generator.Helpers;
using SourceNet.Generator.Model;

namespace SourceNet.Generator.Emit;

internal static partial class NetworkEmitter
{
    private static void WriteInference(SourceWriter w, NetworkSpec network)
    {
        LayerSpec last = network.Layers[network.Layers.Count - 1];
        string outputKind = network.IsClassifier ? "logits" : "outputs";

        w.Line($"/// <summary>Computes the {outputKind} of any number of samples, in chunks of <see cref=\"MaxBatchSize\"/>.</summary>");
        w.Line("/// <param name=\"inputs\">InputCount values per sample, row-major.</param>");
        w.Line($"/// <param name=\"outputs\">Receives OutputCount {outputKind} per sample.</param>");
        using (w.Block($"public void Forward({ReadOnlySpan} inputs, {Span} outputs)"))
        {
            w.Line("int count = CheckSamples(inputs, outputs.Length / OutputCount, \"outputs\");");
            w.Line("if (outputs.Length != count * OutputCount) throw new global::System.ArgumentException($\"{count} samples need {count * OutputCount} outputs; got {outputs.Length}.\", nameof(outputs));");
            using (w.Block("for (int start = 0; start < count; start += MaxBatchSize)"))
            {
                w.Line("int batch = global::System.Math.Min(MaxBatchSize, count - start);");
                w.Line("RunForward(inputs.Slice(start * InputCount, batch * InputCount), batch, outputs.Slice(start * OutputCount, batch * OutputCount));");
            }
        }
        w.Line();

        if (!network.IsClassifier)
        {
            w.Line("/// <summary>Computes the outputs of one sample.</summary>");
            using (w.Block($"public void Predict({ReadOnlySpan} input, {Span} output)"))
            {
                w.Line("if (input.Length != InputCount) throw new global::System.ArgumentException($\"One sample has {InputCount} values; got {input.Length}.\", nameof(input));");
                w.Line("if (output.Length != OutputCount) throw new global::System.ArgumentException($\"One sample has {OutputCount} outputs; got {output.Length}.\", nameof(output));");
                w.Line("CheckFinite(input);");
                w.Line("RunForward(input, 1, output);");
            }
            w.Line();
            return;
        }

        w.Line("/// <summary>The most likely class of one sample.</summary>");
        using (w.Block($"public int Predict({ReadOnlySpan} input)"))
        {
            w.Line("if (input.Length != InputCount) throw new global::System.ArgumentException($\"One sample has {InputCount} values; got {input.Length}.\", nameof(input));");
            w.Line("CheckFinite(input);");
            w.Line($"RunForward(input, 1, {Activations(last)});");
            w.Line($"return global::System.Numerics.Tensors.TensorPrimitives.IndexOfMax<float>(new global::System.Span<float>({Activations(last)}, 0, OutputCount));");
        }
        w.Line();
        w.Line("/// <summary>The most likely class of each sample.</summary>");
        using (w.Block($"public void Predict({ReadOnlySpan} inputs, global::System.Span<int> predictions)"))
        {
            w.Line("int count = CheckSamples(inputs, predictions.Length, \"predictions\");");
            using (w.Block("for (int start = 0; start < count; start += MaxBatchSize)"))
            {
                w.Line("int batch = global::System.Math.Min(MaxBatchSize, count - start);");
                w.Line($"RunForward(inputs.Slice(start * InputCount, batch * InputCount), batch, {Activations(last)});");
                w.Line("for (int row = 0; row < batch; row++)");
                w.Line($"    predictions[start + row] = global::System.Numerics.Tensors.TensorPrimitives.IndexOfMax<float>(new global::System.Span<float>({Activations(last)}, row * OutputCount, OutputCount));");
            }
        }
        w.Line();
        w.Line("/// <summary>The fraction of samples whose most likely class is their label, in [0, 1].</summary>");
        using (w.Block($"public float Evaluate({ReadOnlySpan} inputs, {Labels} labels)"))
        {
            w.Line("int count = CheckSamples(inputs, labels.Length, \"labels\");");
            w.Line("int correct = 0;");
            using (w.Block("for (int start = 0; start < count; start += MaxBatchSize)"))
            {
                w.Line("int batch = global::System.Math.Min(MaxBatchSize, count - start);");
                w.Line($"RunForward(inputs.Slice(start * InputCount, batch * InputCount), batch, {Activations(last)});");
                w.Line("for (int row = 0; row < batch; row++)");
                w.Line($"    if (global::System.Numerics.Tensors.TensorPrimitives.IndexOfMax<float>(new global::System.Span<float>({Activations(last)}, row * OutputCount, OutputCount)) == labels[start + row]) correct++;");
            }
            w.Line("return (float)correct / count;");
        }
        w.Line();
    }

    private static void WriteChecks(SourceWriter w, NetworkSpec network)
    {
        using (w.Block($"private int CheckBatch({ReadOnlySpan} inputs, int rows, string rowsName)"))
        {
            w.Line("if (rows < 1 || rows > MaxBatchSize) throw new global::System.ArgumentException($\"A training batch has 1 to {MaxBatchSize} samples (the network's maxBatchSize); got {rows}.\", rowsName);");
            w.Line("if (inputs.Length != rows * InputCount) throw new global::System.ArgumentException($\"{rows} samples of {InputCount} features need {rows * InputCount} input values; got {inputs.Length}.\", nameof(inputs));");
            w.Line("CheckFinite(inputs);");
            w.Line("return rows;");
        }
        w.Line();
        w.Line("// A NaN would otherwise pass silently: ReLU's max(NaN, 0) is 0.");
        using (w.Block($"private static void CheckFinite({ReadOnlySpan} inputs)"))
        {
            w.Line("int bad = global::SourceNet.Kernels.FiniteCheck.IndexOfNonFinite(inputs);");
            w.Line("if (bad >= 0) throw new global::System.ArgumentException($\"Input value {bad} (sample {bad / InputCount}, feature {bad % InputCount}) is {inputs[bad]}; inputs must be finite.\", nameof(inputs));");
        }
        w.Line();
        using (w.Block($"private static int CheckSamples({ReadOnlySpan} inputs, int rows, string rowsName)"))
        {
            w.Line("if (rows < 1) throw new global::System.ArgumentException(\"At least one sample is needed.\", rowsName);");
            w.Line("if (inputs.Length != rows * InputCount) throw new global::System.ArgumentException($\"{rows} samples of {InputCount} features need {rows * InputCount} input values; got {inputs.Length}.\", nameof(inputs));");
            w.Line("CheckFinite(inputs);");
            w.Line("return rows;");
        }
        w.Line();
        if (!network.IsClassifier)
        {
            using (w.Block($"private static void CheckTargets({ReadOnlySpan} targets, int rows)"))
            {
                w.Line("if (targets.Length != rows * OutputCount) throw new global::System.ArgumentException($\"{rows} samples need {rows * OutputCount} target values ({OutputCount} each); got {targets.Length}.\", nameof(targets));");
            }
            w.Line();
        }
        else
        {
            using (w.Block("private static void ThrowLabelOutOfRange(int row, int label)"))
            {
                w.Line("throw new global::System.ArgumentOutOfRangeException(\"labels\", label, $\"Label of sample {row} is {label}; labels must be in 0..{OutputCount - 1}.\");");
            }
            w.Line();
        }
        using (w.Block("private static void ThrowNonFiniteLoss(float loss)"))
        {
            w.Line("throw new global::System.InvalidOperationException($\"The loss is {loss}: the parameters diverged (learning rate too high?). No parameter was changed by this step.\");");
        }
    }
}
