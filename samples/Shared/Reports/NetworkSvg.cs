using System.Globalization;
using System.Security;
using System.Text;

namespace SourceNet.Samples.Reports;

/// <summary>
/// The network as an SVG picture that opens offline in any browser: the input, then one box per layer (name, the
/// layer's own <see cref="Layer.Description"/>, output shape, parameter count), top to bottom, an arrow for each value
/// a layer reads (<see cref="Layer.Inputs"/>: a skip connection is drawn as an arc on the right), the loss when given,
/// and the total parameters. It knows no layer kind: everything comes from the layers' declarations.
/// </summary>
public static class NetworkSvg
{
    private const int BoxWidth = 420, BoxHeight = 58, Gap = 34, Margin = 24, TitleHeight = 40, LaneWidth = 16, LossHeight = 36;

    /// <summary>Draws <paramref name="layers"/> (input side first) as SVG text.</summary>
    /// <param name="title">The picture's title, usually the network's name.</param>
    /// <param name="layers">The layers, as <see cref="INetwork.Layers"/> gives them.</param>
    /// <param name="loss">The loss the network trains with (its <c>Summary()</c>'s <c>Loss:</c> line), drawn below the
    /// last layer; null to leave it out.</param>
    /// <exception cref="ArgumentException">No layers, or a layer reads a value that is neither the input nor a layer above it.</exception>
    public static string Draw(string title, IReadOnlyList<Layer> layers, string? loss = null)
    {
        ArgumentNullException.ThrowIfNull(layers);
        if (layers.Count == 0)
        {
            throw new ArgumentException("A network has at least one layer.", nameof(layers));
        }
        List<(int From, int To)> edges = Edges(layers);
        int lanes = 0;
        foreach ((int from, int to) in edges)
        {
            lanes += to - from > 1 ? 1 : 0;
        }
        int boxes = layers.Count + 1; // the input, then each layer
        int width = BoxWidth + 2 * Margin + lanes * LaneWidth;
        int lossSpace = loss is null ? 0 : Gap + LossHeight;
        int height = TitleHeight + boxes * BoxHeight + (boxes - 1) * Gap + lossSpace + 2 * Margin + 24;
        var svg = new StringBuilder();
        Append(svg, $"""<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family="DejaVu Sans, Helvetica, Arial, sans-serif">""");
        Append(svg, """<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#555"/></marker></defs>""");
        Append(svg, $"""<rect width="{width}" height="{height}" fill="white"/>""");
        Append(svg, $"""<text x="{width / 2}" y="{Margin + 16}" text-anchor="middle" font-size="18" font-weight="bold">{Escape(title)}</text>""");

        int centre = Margin + BoxWidth / 2;
        Box(svg, Top(0), "input", "Input", layers[0].InputShape.ToString(), null, "#eef3f8");
        int total = 0;
        for (int i = 0; i < layers.Count; i++)
        {
            Layer layer = layers[i];
            Box(svg, Top(i + 1), layer.Name, layer.Description, layer.OutputShape.ToString(), layer.ParameterCount, "#fdf3e6");
            total += layer.ParameterCount;
        }

        int lane = 0;
        foreach ((int from, int to) in edges)
        {
            int start = Top(from) + BoxHeight, end = Top(to);
            if (to - from == 1)
            {
                Append(svg, $"""<line x1="{centre}" y1="{start}" x2="{centre}" y2="{end - 2}" stroke="#555" stroke-width="2" marker-end="url(#arrow)"/>""");
                continue;
            }
            // A value read further down (a skip connection): out of the box's right side, down a lane of its own, back in.
            int right = Margin + BoxWidth, x = right + (++lane) * LaneWidth;
            int y1 = Top(from) + BoxHeight / 2, y2 = Top(to) + BoxHeight / 2;
            Append(svg, $"""<path d="M{right},{y1} H{x} V{y2} H{right + 2}" fill="none" stroke="#555" stroke-width="2" marker-end="url(#arrow)"/>""");
        }

        int bottom = Top(layers.Count) + BoxHeight;
        if (loss is not null)
        {
            int lossTop = bottom + Gap;
            Append(svg, $"""<line x1="{centre}" y1="{bottom}" x2="{centre}" y2="{lossTop - 2}" stroke="#555" stroke-width="2" stroke-dasharray="5,4" marker-end="url(#arrow)"/>""");
            Append(svg, $"""<ellipse cx="{centre}" cy="{lossTop + LossHeight / 2}" rx="{BoxWidth / 3}" ry="{LossHeight / 2}" fill="#eef6ea" stroke="#445" stroke-width="1.5"/>""");
            Append(svg, $"""<text x="{centre}" y="{lossTop + LossHeight / 2 + 5}" text-anchor="middle" font-size="14">{Escape("loss: " + loss)}</text>""");
            bottom = lossTop + LossHeight;
        }
        Append(svg, $"""<text x="{centre}" y="{bottom + 26}" text-anchor="middle" font-size="13" fill="#333">Total parameters: {total.ToString("N0", CultureInfo.InvariantCulture)}</text>""");
        svg.Append("</svg>\n");
        return svg.ToString();
    }

    /// <summary>Writes the picture to <paramref name="path"/>.</summary>
    public static void Write(string path, string title, IReadOnlyList<Layer> layers, string? loss = null) => File.WriteAllText(path, Draw(title, layers, loss));

    /// <summary>The top of box <paramref name="index"/>: 0 is the input, i + 1 is layer i.</summary>
    private static int Top(int index) => Margin + TitleHeight + index * (BoxHeight + Gap);

    /// <summary>One edge per value a layer reads, as box indices (0 the input): its named inputs, or the box above it.</summary>
    private static List<(int From, int To)> Edges(IReadOnlyList<Layer> layers)
    {
        var boxOf = new Dictionary<string, int>(StringComparer.Ordinal) { [Layer.NetworkInput] = 0 };
        var edges = new List<(int, int)>();
        for (int i = 0; i < layers.Count; i++)
        {
            Layer layer = layers[i];
            if (layer.Inputs.Count == 0)
            {
                edges.Add((i, i + 1));
            }
            foreach (string input in layer.Inputs)
            {
                if (!boxOf.TryGetValue(input, out int from))
                {
                    throw new ArgumentException($"Layer '{layer.Name}' reads '{input}', which is neither the input nor a layer above it.", nameof(layers));
                }
                edges.Add((from, i + 1));
            }
            boxOf[layer.Name] = i + 1;
        }
        return edges;
    }

    private static void Box(StringBuilder svg, int y, string name, string kind, string shape, int? parameters, string fill)
    {
        int x = Margin, centre = Margin + BoxWidth / 2;
        Append(svg, $"""<rect x="{x}" y="{y}" width="{BoxWidth}" height="{BoxHeight}" rx="8" fill="{fill}" stroke="#445" stroke-width="1.5"/>""");
        Append(svg, $"""<text x="{centre}" y="{y + 23}" text-anchor="middle" font-size="15" font-weight="bold">{Escape(name)} ({Escape(kind)})</text>""");
        string detail = parameters is int count
            ? $"output {shape} · {count.ToString("N0", CultureInfo.InvariantCulture)} parameters"
            : $"shape {shape}";
        Append(svg, $"""<text x="{centre}" y="{y + 44}" text-anchor="middle" font-size="13" fill="#333">{Escape(detail)}</text>""");
    }

    private static void Append(StringBuilder svg, string element) => svg.Append(element).Append('\n');

    private static string Escape(string text) => SecurityElement.Escape(text) ?? "";
}
