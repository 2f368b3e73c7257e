using System.Globalization;
using System.Reflection;
using System.Runtime.Loader;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using SourceNet.Generator.Tests.Harness;

namespace SourceNet.Generator.Tests.Summary;

/// <summary>
/// Compiles each model with its generated code, loads it and checks the generated <c>Summary()</c> and
/// <c>MermaidGraph</c> against the model as the test states it: every layer's row, output shape and
/// parameter count (computed here, not by the generator), the totals, and the graph's edges.
/// </summary>
public class SummaryTests
{
    private sealed record Layer(string Name, int Units, string Activation);

    [Fact]
    public void Mnist_summary_and_graph_match_the_model() =>
        Check(Models.Mnist, "Samples.MnistMlp", 784, "SoftmaxCrossEntropy",
            new Layer("Hidden", 300, "ReLU"), new Layer("Output", 10, "None"));

    [Fact]
    public void Regression_summary_and_graph_match_the_model() =>
        Check(Models.Regression, "Regressor", 3, "MeanSquaredError",
            new Layer("First", 5, "Tanh"), new Layer("Second", 4, "Sigmoid"), new Layer("Out", 2, "None"));

    [Fact]
    public void Custom_activation_is_named_in_the_summary_and_graph() =>
        Check("""
            using SourceNet;
            [Network(Input = 6, Loss = Loss.MeanSquaredError)]
            public partial class Smooth
            {
                [Dense(4, CustomActivation = nameof(Swish))] public partial DenseLayer Hidden { get; }
                [Dense(1)] public partial DenseLayer Out { get; }

                [Differentiable]
                public static float Swish(float x) => x / (1f + System.MathF.Exp(-x));
            }
            """, "Smooth", 6, "MeanSquaredError",
            new Layer("Hidden", 4, "Swish"), new Layer("Out", 1, "None"));

    [Fact]
    public void Fifty_layer_summary_lists_every_layer_in_order()
    {
        Layer[] layers = Enumerable.Range(0, 50)
            .Select(i => new Layer($"L{i:D2}", i == 49 ? 10 : 16 + i, i == 49 ? "None" : "ReLU"))
            .ToArray();
        Check(Deep(layers), "Deep", 32, "SoftmaxCrossEntropy", layers);
    }

    [Fact]
    public void Image_input_shows_its_declared_shape_and_the_flatten_step()
    {
        (string summary, string mermaid, long count) = Load("""
            using SourceNet;
            [Network(InputShape = new[] { 28, 28 })]
            public partial class Images
            {
                [Dense(32, Activation.ReLU, Flatten = true)] public partial DenseLayer Hidden { get; }
                [Dense(10)] public partial DenseLayer Output { get; }
            }
            """, "Images");
        string[] lines = summary.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        int header = Array.FindIndex(lines, l => l.StartsWith("Layer (type)", StringComparison.Ordinal));
        string[] rows = lines.Skip(header + 2).TakeWhile(l => !l.StartsWith("=", StringComparison.Ordinal)).ToArray();
        Assert.Equal(4, rows.Length);
        // A (height, width) input is a one-channel image.
        AssertRow(rows[0], "input (Input)", "(None, 28, 28, 1)", 0);
        AssertRow(rows[1], "HiddenFlatten (Flatten)", "(None, 784)", 0);
        AssertRow(rows[2], "Hidden (Dense, ReLU)", "(None, 32)", 785 * 32);
        AssertRow(rows[3], "Output (Dense)", "(None, 10)", 33 * 10);
        Assert.Equal(785 * 32 + 33 * 10, count);
        Assert.Contains("input<br/>(None, 28, 28, 1)", mermaid, StringComparison.Ordinal);
        Assert.Contains("HiddenFlatten: Flatten<br/>(28, 28, 1) -> (784)", mermaid, StringComparison.Ordinal);
        Assert.Contains("Hidden: Dense, ReLU<br/>(784) -> (32)", mermaid, StringComparison.Ordinal);
    }

    [Fact]
    public void Cnn_summary_lists_every_kind_with_its_shape_and_parameters()
    {
        (string summary, string mermaid, long count) = Load(Models.Cnn, "Samples.MnistCnn");
        string[] lines = summary.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        int header = Array.FindIndex(lines, l => l.StartsWith("Layer (type)", StringComparison.Ordinal));
        string[] rows = lines.Skip(header + 2).TakeWhile(l => !l.StartsWith("=", StringComparison.Ordinal)).ToArray();
        // Counts from the layers' definitions: kh·kw·in·out + out for a convolution, in·out + out for a dense layer.
        long conv1 = 5 * 5 * 1 * 32 + 32, conv2 = 5 * 5 * 32 * 64 + 64, hidden = 7L * 7 * 64 * 1024 + 1024, output = 1024 * 10 + 10;
        Assert.Equal(9, rows.Length);
        AssertRow(rows[0], "input (Input)", "(None, 28, 28, 1)", 0);
        AssertRow(rows[1], "Conv1 (Conv2D 5x5, stride 1, same, ReLU)", "(None, 28, 28, 32)", conv1);
        AssertRow(rows[2], "Pool1 (MaxPool2D 2x2, stride 2, valid)", "(None, 14, 14, 32)", 0);
        AssertRow(rows[3], "Conv2 (Conv2D 5x5, stride 1, same, ReLU)", "(None, 14, 14, 64)", conv2);
        AssertRow(rows[4], "Pool2 (MaxPool2D 2x2, stride 2, valid)", "(None, 7, 7, 64)", 0);
        AssertRow(rows[5], "Flat (Flatten)", "(None, 3136)", 0);
        AssertRow(rows[6], "Hidden (Dense, ReLU)", "(None, 1024)", hidden);
        AssertRow(rows[7], "Drop (Dropout 0.5)", "(None, 1024)", 0);
        AssertRow(rows[8], "Output (Dense)", "(None, 10)", output);
        Assert.Equal(conv1 + conv2 + hidden + output, count);
        Assert.Contains("Conv1: Conv2D 5x5, stride 1, same, ReLU<br/>(28, 28, 1) -> (28, 28, 32)", mermaid, StringComparison.Ordinal);
    }

    [Fact]
    public void An_inserted_flatten_takes_a_name_no_property_has()
    {
        (string summary, _, _) = Load("""
            using SourceNet;
            [Network(InputShape = new[] { 4, 4, 2 })]
            public partial class Clash
            {
                [Conv2D(3, 1)] public partial Conv2DLayer HiddenFlatten { get; }
                [Dense(8, Flatten = true)] public partial DenseLayer Hidden { get; }
                [Dense(2)] public partial DenseLayer Output { get; }
            }
            """, "Clash");
        Assert.Contains("HiddenFlatten (Conv2D", summary, StringComparison.Ordinal);
        Assert.Contains("HiddenFlatten2 (Flatten)", summary, StringComparison.Ordinal);
    }

    private static string Deep(Layer[] layers)
    {
        var text = new StringBuilder("using SourceNet;\n[Network(Input = 32)]\npublic partial class Deep\n{\n");
        foreach (Layer layer in layers)
        {
            text.Append(CultureInfo.InvariantCulture, $"    [Dense({layer.Units}, Activation.{layer.Activation})] public partial DenseLayer {layer.Name} {{ get; }}\n");
        }
        return text.Append("}\n").ToString();
    }

    private static void Check(string source, string typeName, int input, string loss, params Layer[] layers)
    {
        (string summary, string mermaid, long parameterCount) = Load(source, typeName);
        string className = typeName.Split('.').Last();

        // Parameter counts, from the model as written here.
        long[] counts = new long[layers.Length];
        int inputs = input;
        for (int i = 0; i < layers.Length; i++)
        {
            counts[i] = ((long)inputs + 1) * layers[i].Units;
            inputs = layers[i].Units;
        }
        long total = counts.Sum();
        Assert.Equal(total, parameterCount);

        string[] lines = summary.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal($"Model: \"{className}\"", lines[0]);
        int header = Array.FindIndex(lines, l => l.StartsWith("Layer (type)", StringComparison.Ordinal));
        Assert.True(header > 0, summary);
        string[] rows = lines.Skip(header + 2).TakeWhile(l => !l.StartsWith("=", StringComparison.Ordinal)).ToArray();
        Assert.Equal(layers.Length + 1, rows.Length);
        AssertRow(rows[0], "input (Input)", $"(None, {input})", 0);
        for (int i = 0; i < layers.Length; i++)
        {
            string type = layers[i].Activation == "None" ? "Dense" : "Dense, " + layers[i].Activation;
            AssertRow(rows[i + 1], $"{layers[i].Name} ({type})", $"(None, {layers[i].Units})", counts[i]);
        }
        Assert.Contains($"Total params: {total.ToString("N0", CultureInfo.InvariantCulture)}", lines);
        Assert.Contains($"Trainable params: {total.ToString("N0", CultureInfo.InvariantCulture)}", lines);
        Assert.Contains($"Loss: {loss}", lines);

        // The graph is a chain: input -> each layer in order -> loss.
        var nodes = new Dictionary<string, string>();
        foreach (Match node in Regex.Matches(mermaid, @"^\s*(\w+)[\[(]+""([^""]*)""[\])]+\s*$", RegexOptions.Multiline))
        {
            nodes[node.Groups[1].Value] = node.Groups[2].Value;
        }
        List<(string From, string To)> edges = Regex.Matches(mermaid, @"^\s*(\w+) --> (\w+)\s*$", RegexOptions.Multiline)
            .Select(m => (m.Groups[1].Value, m.Groups[2].Value)).ToList();
        Assert.StartsWith("flowchart", mermaid, StringComparison.Ordinal);
        Assert.Equal(layers.Length + 1, edges.Count);
        Assert.Equal("input", edges[0].From);
        Assert.Equal("loss", edges[^1].To);
        Assert.Equal(loss, nodes["loss"]);
        Assert.Contains($"(None, {input})", nodes["input"], StringComparison.Ordinal);
        inputs = input;
        for (int i = 0; i < layers.Length; i++)
        {
            string node = edges[i].To;
            Assert.Equal(node, edges[i + 1].From);
            string type = layers[i].Activation == "None" ? "Dense" : "Dense, " + layers[i].Activation;
            Assert.Equal($"{layers[i].Name}: {type}<br/>({inputs}) -> ({layers[i].Units})", nodes[node]);
            inputs = layers[i].Units;
        }
    }

    private static void AssertRow(string row, string name, string shape, long count)
    {
        string[] cells = Regex.Split(row.Trim(), @"\s{2,}");
        Assert.True(cells.Length == 3, $"Row '{row}' does not have three columns.");
        Assert.Equal(name, cells[0]);
        Assert.Equal(shape, cells[1]);
        Assert.Equal(count.ToString("N0", CultureInfo.InvariantCulture), cells[2]);
    }

    /// <summary>Compiles the model with its generated code and reads Summary(), MermaidGraph and ParameterCount.</summary>
    private static (string Summary, string Mermaid, long ParameterCount) Load(string source, string typeName)
    {
        GeneratorRun run = GeneratorHarness.RunClean(source);
        using var image = new MemoryStream();
        Microsoft.CodeAnalysis.Emit.EmitResult emitted = run.Output.Emit(image);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        image.Position = 0;
        var context = new AssemblyLoadContext("summary-test", isCollectible: true);
        try
        {
            Type type = context.LoadFromStream(image).GetType(typeName, throwOnError: true)!;
            string summary = (string)type.GetMethod("Summary", BindingFlags.Public | BindingFlags.Static)!.Invoke(null, null)!;
            string mermaid = (string)type.GetField("MermaidGraph", BindingFlags.Public | BindingFlags.Static)!.GetRawConstantValue()!;
            long count = Convert.ToInt64(type.GetField("ParameterCount", BindingFlags.Public | BindingFlags.Static)!.GetRawConstantValue(), CultureInfo.InvariantCulture);
            return (summary, mermaid, count);
        }
        finally
        {
            context.Unload();
        }
    }
}
