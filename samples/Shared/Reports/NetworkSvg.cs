using System.Globalization;
using System.Security;
using System.Text;

namespace SourceNet.Samples.Reports;

/// <summary>
/// The network as an SVG picture that opens offline in any browser: the input, then one box per layer
/// (name, kind, output shape, parameter count) joined by arrows, top to bottom, and the total parameters.
/// </summary>
public static class NetworkSvg
{
    private const int BoxWidth = 360, BoxHeight = 58, Gap = 34, Margin = 24, TitleHeight = 40;

    /// <summary>Draws <paramref name="layers"/> (input side first) as SVG text.</summary>
    public static string Draw(string title, IReadOnlyList<Layer> layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        if (layers.Count == 0)
        {
            throw new ArgumentException("A network has at least one layer.", nameof(layers));
        }
        int boxes = layers.Count + 1; // the input, then each layer
        int width = BoxWidth + 2 * Margin;
        int height = TitleHeight + boxes * BoxHeight + (boxes - 1) * Gap + 2 * Margin + 24;
        var svg = new StringBuilder();
        Append(svg, $"""<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family="DejaVu Sans, Helvetica, Arial, sans-serif">""");
        Append(svg, """<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#555"/></marker></defs>""");
        Append(svg, $"""<rect width="{width}" height="{height}" fill="white"/>""");
        Append(svg, $"""<text x="{width / 2}" y="{Margin + 16}" text-anchor="middle" font-size="18" font-weight="bold">{Escape(title)}</text>""");

        int y = Margin + TitleHeight;
        Box(svg, y, "input", "Input", layers[0].InputShape.ToString(), null, "#eef3f8");
        int total = 0;
        foreach (Layer layer in layers)
        {
            int top = y + BoxHeight + Gap;
            Append(svg, $"""<line x1="{width / 2}" y1="{y + BoxHeight}" x2="{width / 2}" y2="{top - 2}" stroke="#555" stroke-width="2" marker-end="url(#arrow)"/>""");
            y = top;
            Box(svg, y, layer.Name, Kind(layer), layer.OutputShape.ToString(), layer.ParameterCount, "#fdf3e6");
            total += layer.ParameterCount;
        }
        Append(svg, $"""<text x="{width / 2}" y="{y + BoxHeight + 26}" text-anchor="middle" font-size="13" fill="#333">Total parameters: {total.ToString("N0", CultureInfo.InvariantCulture)}</text>""");
        svg.Append("</svg>\n");
        return svg.ToString();
    }

    /// <summary>Writes the picture to <paramref name="path"/>.</summary>
    public static void Write(string path, string title, IReadOnlyList<Layer> layers) => File.WriteAllText(path, Draw(title, layers));

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

    /// <summary>"Dense, ReLU", "Conv2D 5x5, ReLU", "MaxPool2D 2x2", "Dropout 0.5": the kind, its window and its activation.</summary>
    private static string Kind(Layer layer) => layer switch
    {
        DenseLayer dense => WithActivation("Dense", dense.Activation),
        Conv2DLayer conv => WithActivation($"Conv2D {conv.Geometry.KernelHeight}x{conv.Geometry.KernelWidth}", conv.Activation),
        Pool2DLayer pool => $"{(pool.Mode == PoolingMode.Max ? "MaxPool2D" : "AvgPool2D")} {pool.Geometry.PoolHeight}x{pool.Geometry.PoolWidth}",
        DropoutLayer dropout => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Dropout {dropout.Rate}"),
        _ => layer.GetType().Name.EndsWith("Layer", StringComparison.Ordinal) ? layer.GetType().Name[..^5] : layer.GetType().Name,
    };

    private static string WithActivation(string kind, LayerActivation activation) =>
        activation.IsIdentity ? kind : $"{kind}, {activation.Name}";

    private static void Append(StringBuilder svg, string element) => svg.Append(element).Append('\n');

    private static string Escape(string text) => SecurityElement.Escape(text) ?? "";
}
