using SourceNet.Generator.Helpers;
using SourceNet.Generator.Layers;
using SourceNet.Generator.Model;

namespace SourceNet.Generator.Emit;

internal static partial class NetworkEmitter
{
    private static void WriteInference(SourceWriter w, NetworkSpec network)
    {
        string last = ValuePlan.For(network).Activations(network.Layers.Count - 1);
        string outputKind = network.IsClassifier ? "logits" : "outputs";
        string helpers = HelperType(network);
        string inputsType = InputsType(network);
        string checkInputs = network.HasTokenInput ? "CheckTokens" : "CheckFinite";

        w.Line($"/// <summary>Computes the {outputKind} of any number of samples, in chunks of <see cref=\"MaxBatchSize\"/> (on the kernel threads when there are many).</summary>");
        w.Line($"/// <param name=\"inputs\">InputCount {(network.HasTokenInput ? "token ids" : "values")} per sample, row-major.</param>");
        w.Line($"/// <param name=\"outputs\">Receives OutputCount {outputKind} per sample.</param>");
        using (w.Block($"public void Forward({inputsType} inputs, {Span} outputs)"))
        {
            w.Line($"int count = {Rt}.NetworkGuards.CountSamples(inputs.Length, InputCount, outputs.Length, OutputCount, nameof(outputs));");
            w.Line($"{helpers}.{checkInputs}(inputs);");
            w.Line(RunChunks(network, SampleOperation.Forward, "inputs", outputs: "outputs") + ";");
        }
        w.Line();

        if (!network.IsClassifier)
        {
            w.Line("/// <summary>Computes the outputs of one sample.</summary>");
            using (w.Block($"public void Predict({inputsType} input, {Span} output)"))
            {
                w.Line("if (input.Length != InputCount) throw new global::System.ArgumentException($\"One sample has {InputCount} values; got {input.Length}.\", nameof(input));");
                w.Line("if (output.Length != OutputCount) throw new global::System.ArgumentException($\"One sample has {OutputCount} outputs; got {output.Length}.\", nameof(output));");
                w.Line($"{helpers}.{checkInputs}(input);");
                w.Line("const int batch = 1;");
                w.Line(RunForward(network, "input", "output", training: false));
            }
            w.Line();
            return;
        }

        if (network.IsPerStep)
        {
            WritePerStepInference(w, network);
            return;
        }

        w.Line("/// <summary>The most likely class of one sample.</summary>");
        using (w.Block($"public int Predict({inputsType} input)"))
        {
            w.Line("if (input.Length != InputCount) throw new global::System.ArgumentException($\"One sample has {InputCount} values; got {input.Length}.\", nameof(input));");
            w.Line($"{helpers}.{checkInputs}(input);");
            w.Line("const int batch = 1;");
            w.Line(RunForward(network, "input", last, training: false));
            w.Line($"return {Rt}.NetworkGuards.PredictClass(new {ReadOnlySpan}({last}, 0, OutputCount), 0);");
        }
        w.Line();
        w.Line("/// <summary>The most likely class of each sample.</summary>");
        using (w.Block($"public void Predict({inputsType} inputs, global::System.Span<int> predictions)"))
        {
            w.Line($"int count = {Rt}.NetworkGuards.CountSamples(inputs.Length, InputCount, predictions.Length, 1, nameof(predictions));");
            w.Line($"{helpers}.{checkInputs}(inputs);");
            w.Line(RunChunks(network, SampleOperation.Predict, "inputs", predictions: "predictions") + ";");
        }
        w.Line();
        w.Line("/// <summary>The fraction of samples whose most likely class is their label, in [0, 1].</summary>");
        using (w.Block($"public float Evaluate({inputsType} inputs, {Labels} labels)"))
        {
            w.Line($"int count = {Rt}.NetworkGuards.CountSamples(inputs.Length, InputCount, labels.Length, 1, nameof(labels));");
            w.Line($"{helpers}.{checkInputs}(inputs);");
            w.Line($"{helpers}.CheckLabels(labels);");
            w.Line("// The chunks' counts of correct predictions, added: a whole number, exact in a double.");
            w.Line($"int correct = (int){RunChunks(network, SampleOperation.Evaluate, "inputs", labels: "labels")};");
            w.Line("return (float)correct / count;");
        }
        w.Line();
    }

    /// <summary>Predict and Evaluate of a per-step classifier: one class per time step, so a sample has several.</summary>
    private static void WritePerStepInference(SourceWriter w, NetworkSpec network)
    {
        string helpers = HelperType(network);
        string checkInputs = network.HasTokenInput ? "CheckTokens" : "CheckFinite";
        string steps = Text.Of(network.LabelsPerSample);
        w.Line($"/// <summary>The most likely class at each step of each sample: {steps} predictions per sample, row-major.</summary>");
        using (w.Block($"public void Predict({InputsType(network)} inputs, global::System.Span<int> predictions)"))
        {
            w.Line($"int count = {Rt}.NetworkGuards.CountSamples(inputs.Length, InputCount, predictions.Length, {steps}, nameof(predictions));");
            w.Line($"{helpers}.{checkInputs}(inputs);");
            w.Line(RunChunks(network, SampleOperation.Predict, "inputs", predictions: "predictions") + ";");
        }
        w.Line();
        w.Line("/// <summary>The fraction of time steps, over every sample, whose most likely class is their label, in [0, 1].</summary>");
        w.Line($"/// <param name=\"labels\">{steps} labels per sample, one per step, row-major.</param>");
        using (w.Block($"public float Evaluate({InputsType(network)} inputs, {Labels} labels)"))
        {
            w.Line($"int count = {Rt}.NetworkGuards.CountSamples(inputs.Length, InputCount, labels.Length, {steps}, nameof(labels));");
            w.Line($"{helpers}.{checkInputs}(inputs);");
            w.Line($"{helpers}.CheckLabels(labels);");
            w.Line("// The chunks' counts of correct steps, added: a whole number, exact in a double.");
            w.Line($"long correct = (long){RunChunks(network, SampleOperation.Evaluate, "inputs", labels: "labels")};");
            w.Line($"return (float)((double)correct / ((long)count * {steps}));");
        }
        w.Line();
    }
}
