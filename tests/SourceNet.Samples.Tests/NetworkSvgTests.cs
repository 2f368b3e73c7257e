using System.Xml.Linq;
using SourceNet.Samples.Reports;

namespace SourceNet.Samples.Tests;

/// <summary>The network picture, drawn from layer objects as a generated network's <c>Layers</c> gives them.</summary>
public class NetworkSvgTests
{
    private static readonly Layer[] s_mlp = [new DenseLayer("Hidden", 784, 300, new LayerActivation("ReLU", "Relu")), new DenseLayer("Output", 300, 10)];

    [Fact]
    public void Svg_is_well_formed_with_one_box_per_layer_and_the_input()
    {
        XDocument svg = XDocument.Parse(NetworkSvg.Draw("MnistMlp", s_mlp));
        XNamespace ns = "http://www.w3.org/2000/svg";

        Assert.Equal(ns + "svg", svg.Root!.Name);
        Assert.Equal(3, svg.Descendants(ns + "rect").Count(r => r.Attribute("rx") is not null));
        Assert.Equal(2, svg.Descendants(ns + "line").Count());
        string[] texts = svg.Descendants(ns + "text").Select(t => t.Value).ToArray();
        Assert.Contains("MnistMlp", texts);
        Assert.Contains("input (Input)", texts);
        Assert.Contains("shape (784)", texts);
        Assert.Contains("Hidden (Dense, ReLU)", texts);
        Assert.Contains("output (300) · 235,500 parameters", texts);
        Assert.Contains("Output (Dense)", texts);
        Assert.Contains("output (10) · 3,010 parameters", texts);
        Assert.Contains("Total parameters: 238,510", texts);
    }

    [Fact]
    public void Convolutional_layers_show_their_window_and_activation()
    {
        var conv = SourceNet.Kernels.Conv2DGeometry.Create(28, 28, 1, 32, 5, 5, 1, 1, samePadding: true);
        var pool = SourceNet.Kernels.Pool2DGeometry.Create(28, 28, 32, 2, 2, 2, 2, samePadding: false);
        Layer[] layers =
        [
            new Conv2DLayer("Conv1", conv, new LayerActivation("ReLU", "Relu")),
            new Pool2DLayer("Pool1", pool, Pool2DMode.Max),
            new FlattenLayer("Flat", LayerShape.Image(14, 14, 32)),
            new DropoutLayer("Drop", LayerShape.Features(6272), 0.5f),
        ];
        XNamespace ns = "http://www.w3.org/2000/svg";
        string[] texts = XDocument.Parse(NetworkSvg.Draw("Cnn", layers)).Descendants(ns + "text").Select(t => t.Value).ToArray();
        Assert.Contains("Conv1 (Conv2D 5x5, stride 1, same, ReLU)", texts);
        Assert.Contains("output (28, 28, 32) · 832 parameters", texts);
        Assert.Contains("Pool1 (MaxPool2D 2x2, stride 2, valid)", texts);
        Assert.Contains("Flat (Flatten)", texts);
        Assert.Contains("Drop (Dropout 0.5)", texts);
    }

    [Fact]
    public void A_layer_is_labelled_with_its_own_description()
    {
        Layer[] layers = [new DenseLayer("Hidden", 4, 3) { Description = "Dense (as the kind describes it)" }];
        XNamespace ns = "http://www.w3.org/2000/svg";

        string[] texts = XDocument.Parse(NetworkSvg.Draw("Net", layers)).Descendants(ns + "text").Select(t => t.Value).ToArray();

        Assert.Contains("Hidden (Dense (as the kind describes it))", texts);
    }

    [Fact]
    public void A_skip_connection_is_drawn_as_its_own_arc_and_the_loss_below_the_last_layer()
    {
        var shape = LayerShape.Features(4);
        Layer[] layers =
        [
            new DenseLayer("A", 4, 4),
            new DenseLayer("B", 4, 4),
            new AddLayer("Sum", shape, 2) { Inputs = ["A", "B"] },
        ];
        XNamespace ns = "http://www.w3.org/2000/svg";

        XDocument svg = XDocument.Parse(NetworkSvg.Draw("Residual", layers, loss: "CrossEntropy"));

        // input -> A, A -> B, B -> Sum straight down; A -> Sum skips B: one arc. The loss arrow is a fourth line.
        Assert.Single(svg.Descendants(ns + "path"), p => p.Attribute("marker-end") is not null);
        Assert.Equal(4, svg.Descendants(ns + "line").Count());
        string[] texts = svg.Descendants(ns + "text").Select(t => t.Value).ToArray();
        Assert.Contains("Sum (Add)", texts);
        Assert.Contains("loss: CrossEntropy", texts);
    }

    [Fact]
    public void A_layer_reading_an_unknown_value_is_a_clear_error()
    {
        Layer[] layers = [new DenseLayer("A", 4, 4) { Inputs = ["Missing"] }];

        var error = Assert.Throws<ArgumentException>(() => NetworkSvg.Draw("Broken", layers));

        Assert.Contains("'Missing'", error.Message);
    }

    [Fact]
    public void Names_are_escaped()
    {
        string svg = NetworkSvg.Draw("A<B>&C", [new DenseLayer("x", 2, 3)]);
        Assert.Contains("A&lt;B&gt;&amp;C", svg);
        XDocument.Parse(svg);
    }

    [Fact]
    public void Every_box_fits_inside_the_picture()
    {
        Layer[] deep = Enumerable.Range(0, 12).Select(i => (Layer)new DenseLayer("L" + i, 16, 16)).ToArray();
        XDocument svg = XDocument.Parse(NetworkSvg.Draw("Deep", deep));
        XNamespace ns = "http://www.w3.org/2000/svg";
        double height = double.Parse(svg.Root!.Attribute("height")!.Value, System.Globalization.CultureInfo.InvariantCulture);
        double lowest = svg.Descendants(ns + "text").Max(t => double.Parse(t.Attribute("y")!.Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(lowest < height, $"Text at y={lowest} is outside a {height}-pixel picture.");
    }
}
