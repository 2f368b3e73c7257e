using System.Globalization;
using System.Text;
using SourceNet.Generator.Helpers;
using SourceNet.Generator.Model;
using SourceNet.Generator.Ops;

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
        const int nameWidth = 30, shapeWidth = 20, countWidth = 14;
        var text = new StringBuilder();
        string rule = new('-', nameWidth + shapeWidth + countWidth);
        text.Append("Model: \"").Append(network.ClassName).Append("\"\n");
        text.Append(rule).Append('\n');
        text.Append("Layer (type)".PadRight(nameWidth)).Append("Output Shape".PadRight(shapeWidth)).Append("Param #".PadLeft(countWidth)).Append('\n');
        text.Append(new string('=', rule.Length)).Append('\n');
        text.Append("input (Input)".PadRight(nameWidth)).Append(InputShapeText(network).PadRight(shapeWidth)).Append("0".PadLeft(countWidth)).Append('\n');
        for (int i = 0; i < network.Layers.Count; i++)
        {
            LayerSpec layer = network.Layers[i];
            if (layer.Flatten)
            {
                // Flattening moves no data (samples are row-major); the row shows the shape the layer sees.
                text.Append($"{layer.Name}.flatten (Flatten)".PadRight(nameWidth))
                    .Append($"(None, {network.InputsOf(i)})".PadRight(shapeWidth))
                    .Append("0".PadLeft(countWidth)).Append('\n');
            }
            string type = layer.Activation == ActivationKind.None ? "Dense" : "Dense, " + ActivationCatalog.DisplayName(layer);
            long count = ((long)network.InputsOf(i) + 1) * layer.Units;
            text.Append($"{layer.Name} ({type})".PadRight(nameWidth))
                .Append($"(None, {layer.Units})".PadRight(shapeWidth))
                .Append(count.ToString("N0", CultureInfo.InvariantCulture).PadLeft(countWidth))
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
        text.Append($"    input[\"input<br/>{InputShapeText(network)}\"]\n");
        string previous = "input";
        for (int i = 0; i < network.Layers.Count; i++)
        {
            LayerSpec layer = network.Layers[i];
            string node = "L" + i.ToString(CultureInfo.InvariantCulture) + "_" + layer.Name;
            string flatten = layer.Flatten ? "Flatten, " : string.Empty;
            text.Append($"    {node}[\"{layer.Name}: {flatten}Dense {network.InputsOf(i)}x{layer.Units}<br/>{ActivationCatalog.DisplayName(layer)}\"]\n");
            text.Append($"    {previous} --> {node}\n");
            previous = node;
        }
        text.Append($"    loss((\"{network.Loss}\"))\n");
        text.Append($"    {previous} --> loss\n");
        return text.ToString();
    }

    /// <summary>The declared sample shape with the batch dimension, such as <c>(None, 28, 28)</c>.</summary>
    private static string InputShapeText(NetworkSpec network)
    {
        if (network.InputShape.Count <= 1)
        {
            return $"(None, {network.Input})";
        }
        var text = new StringBuilder("(None");
        foreach (int dimension in network.InputShape)
        {
            text.Append(", ").Append(dimension.ToString(CultureInfo.InvariantCulture));
        }
        return text.Append(')').ToString();
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
