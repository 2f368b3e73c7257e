using System.Globalization;
using System.Text;
using SourceNet.Generator.Helpers;
using SourceNet.Generator.Model;

namespace SourceNet.Generator.Emit;

internal static partial class NetworkEmitter
{
    private static void WriteSummary(SourceWriter w, NetworkSpec network)
    {
        w.Line("/// <summary>A Keras-style table of the layers, their output shapes and parameter counts, made at compile time.</summary>");
        w.Line($"public static string Summary() => {Literal(SummaryText(network))};");
        w.Line();
        w.Line("/// <summary>The network's graph as Mermaid flowchart text, made at compile time.</summary>");
        w.Line($"public const string MermaidGraph = {Literal(MermaidText(network))};");
        w.Line();
    }

    /// <summary>The summary table; public to the tests so its layout is checked without compiling.</summary>
    internal static string SummaryText(NetworkSpec network)
    {
        // Columns as wide as their longest cell (at least Keras' widths), so long kind descriptions never run together.
        int nameWidth = 30, shapeWidth = 20;
        const int countWidth = 14;
        foreach (LayerSpec layer in network.Layers)
        {
            nameWidth = System.Math.Max(nameWidth, $"{layer.Name} ({layer.Kind.Describe(layer)})".Length + 2);
            shapeWidth = System.Math.Max(shapeWidth, layer.Out.WithBatch().Length + 2);
        }
        var text = new StringBuilder();
        string rule = new('-', nameWidth + shapeWidth + countWidth);
        text.Append("Model: \"").Append(network.ClassName).Append("\"\n");
        text.Append(rule).Append('\n');
        text.Append("Layer (type)".PadRight(nameWidth)).Append("Output Shape".PadRight(shapeWidth)).Append("Param #".PadLeft(countWidth)).Append('\n');
        text.Append(new string('=', rule.Length)).Append('\n');
        text.Append("input (Input)".PadRight(nameWidth)).Append(network.Input!.WithBatch().PadRight(shapeWidth)).Append("0".PadLeft(countWidth)).Append('\n');
        foreach (LayerSpec layer in network.Layers)
        {
            text.Append($"{layer.Name} ({layer.Kind.Describe(layer)})".PadRight(nameWidth))
                .Append(layer.Out.WithBatch().PadRight(shapeWidth))
                .Append(layer.Kind.ParameterCount(layer).ToString("N0", CultureInfo.InvariantCulture).PadLeft(countWidth))
                .Append('\n');
        }
        text.Append(new string('=', rule.Length)).Append('\n');
        text.Append("Total params: ").Append(network.ParameterCount.ToString("N0", CultureInfo.InvariantCulture)).Append('\n');
        text.Append("Trainable params: ").Append(network.ParameterCount.ToString("N0", CultureInfo.InvariantCulture)).Append('\n');
        text.Append("Loss: ").Append(network.Loss.ToString()).Append('\n');
        text.Append(rule).Append('\n');
        return text.ToString();
    }

    internal static string MermaidText(NetworkSpec network)
    {
        var text = new StringBuilder();
        text.Append("flowchart TD\n");
        text.Append($"    input[\"input<br/>{network.Input!.WithBatch()}\"]\n");
        string previous = "input";
        for (int i = 0; i < network.Layers.Count; i++)
        {
            LayerSpec layer = network.Layers[i];
            string node = "L" + i.ToString(CultureInfo.InvariantCulture) + "_" + layer.Name.Replace('.', '_');
            text.Append($"    {node}[\"{layer.Name}: {layer.Kind.Describe(layer)}<br/>{layer.In} -> {layer.Out}\"]\n");
            text.Append($"    {previous} --> {node}\n");
            previous = node;
        }
        text.Append($"    loss((\"{network.Loss}\"))\n");
        text.Append($"    {previous} --> loss\n");
        return text.ToString();
    }

    private static string Literal(string value)
    {
        var text = new StringBuilder("\"");
        foreach (char c in value)
        {
            text.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ => c.ToString(),
            });
        }
        return text.Append('"').ToString();
    }
}
