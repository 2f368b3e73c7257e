using System.Globalization;
using System.Linq;
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
        // A network that is not a straight chain gets Keras's "Connected to" column, naming each layer's inputs.
        bool graph = !IsChain(network);
        int nameWidth = 30, shapeWidth = 20;
        const int countWidth = 14;
        foreach (LayerSpec layer in network.Layers)
        {
            nameWidth = System.Math.Max(nameWidth, $"{layer.Name} ({layer.Kind.Describe(layer)})".Length + 2);
            shapeWidth = System.Math.Max(shapeWidth, layer.Out.WithBatch().Length + 2);
        }
        var text = new StringBuilder();
        string rule = new('-', nameWidth + shapeWidth + countWidth + (graph ? 2 + ConnectedWidth(network) : 0));
        text.Append("Model: \"").Append(network.ClassName).Append("\"\n");
        text.Append(rule).Append('\n');
        text.Append("Layer (type)".PadRight(nameWidth)).Append("Output Shape".PadRight(shapeWidth)).Append("Param #".PadLeft(countWidth));
        text.Append(graph ? "  Connected to\n" : "\n");
        text.Append(new string('=', rule.Length)).Append('\n');
        text.Append("input (Input)".PadRight(nameWidth)).Append(network.Input!.WithBatch().PadRight(shapeWidth)).Append("0".PadLeft(countWidth)).Append('\n');
        for (int i = 0; i < network.Layers.Count; i++)
        {
            LayerSpec layer = network.Layers[i];
            text.Append($"{layer.Name} ({layer.Kind.Describe(layer)})".PadRight(nameWidth))
                .Append(layer.Out.WithBatch().PadRight(shapeWidth))
                .Append(layer.Kind.ParameterCount(layer).ToString("N0", CultureInfo.InvariantCulture).PadLeft(countWidth));
            if (graph)
            {
                text.Append("  ").Append(ConnectedTo(network, i));
            }
            text.Append('\n');
        }
        text.Append(new string('=', rule.Length)).Append('\n');
        long buffers = network.Layers.Sum(l => l.Kind.BufferCount(l));
        text.Append("Total params: ").Append((network.ParameterCount + buffers).ToString("N0", CultureInfo.InvariantCulture)).Append('\n');
        text.Append("Trainable params: ").Append(network.ParameterCount.ToString("N0", CultureInfo.InvariantCulture)).Append('\n');
        if (buffers > 0)
        {
            text.Append("Non-trainable params: ").Append(buffers.ToString("N0", CultureInfo.InvariantCulture)).Append('\n');
        }
        text.Append("Loss: ").Append(network.Loss.ToString()).Append('\n');
        text.Append(rule).Append('\n');
        return text.ToString();
    }

    /// <summary>Whether every layer reads the one before it (the input, for the first): the layout of a plain chain.</summary>
    private static bool IsChain(NetworkSpec network)
    {
        for (int i = 0; i < network.Layers.Count; i++)
        {
            if (!IsChainInput(network, i))
            {
                return false;
            }
        }
        return true;
    }

    private static string ConnectedTo(NetworkSpec network, int index) =>
        string.Join(", ", network.Layers[index].InputIndices.Select(j => j < 0 ? "input" : network.Layers[j].Name));

    private static int ConnectedWidth(NetworkSpec network)
    {
        int width = "Connected to".Length;
        for (int i = 0; i < network.Layers.Count; i++)
        {
            width = System.Math.Max(width, ConnectedTo(network, i).Length);
        }
        return width;
    }

    internal static string MermaidText(NetworkSpec network)
    {
        var text = new StringBuilder();
        text.Append("flowchart TD\n");
        text.Append($"    input[\"input<br/>{network.Input!.WithBatch()}\"]\n");
        var nodes = new string[network.Layers.Count];
        for (int i = 0; i < network.Layers.Count; i++)
        {
            LayerSpec layer = network.Layers[i];
            nodes[i] = "L" + i.ToString(CultureInfo.InvariantCulture) + "_" + layer.Name.Replace('.', '_');
            text.Append($"    {nodes[i]}[\"{layer.Name}: {layer.Kind.Describe(layer)}<br/>{string.Join(" + ", layer.InputShapes)} -> {layer.Out}\"]\n");
            foreach (int source in layer.InputIndices)
            {
                text.Append($"    {(source < 0 ? "input" : nodes[source])} --> {nodes[i]}\n");
            }
        }
        text.Append($"    loss((\"{network.Loss}\"))\n");
        text.Append($"    {nodes[nodes.Length - 1]} --> loss\n");
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
