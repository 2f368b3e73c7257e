using ScottPlot;
using SourceNet.Training;

namespace SourceNet.Samples.Reports;

/// <summary>
/// The training curves as a PNG: mean training loss (left axis) and test accuracy (right axis) against the
/// epoch, with a title, labelled axes and a legend.
/// </summary>
public static class CurvesPlot
{
    /// <summary>Width of the picture in pixels.</summary>
    public const int Width = 900;

    /// <summary>Height of the picture in pixels.</summary>
    public const int Height = 540;

    /// <summary>Draws <paramref name="results"/> into a PNG at <paramref name="path"/>.</summary>
    public static void Write(string path, IReadOnlyList<EpochResult> results, string title)
    {
        double[] epochs = results.Select(r => (double)r.Epoch).ToArray();
        double[] loss = results.Select(r => r.MeanLoss).ToArray();
        double[] accuracy = results.Select(r => r.TestAccuracy * 100).ToArray();

        var plot = new Plot();
        plot.Title(title);
        Color lossColor = Colors.C0, accuracyColor = Colors.C1;

        var lossLine = plot.Add.Scatter(epochs, loss, lossColor);
        lossLine.LegendText = "mean training loss";
        lossLine.LineWidth = 2;
        lossLine.MarkerSize = 7;

        var accuracyLine = plot.Add.Scatter(epochs, accuracy, accuracyColor);
        accuracyLine.LegendText = "test accuracy (%)";
        accuracyLine.LineWidth = 2;
        accuracyLine.MarkerSize = 7;
        accuracyLine.Axes.YAxis = plot.Axes.Right;

        plot.Axes.Bottom.Label.Text = "epoch";
        plot.Axes.Left.Label.Text = "mean training loss";
        plot.Axes.Left.Label.ForeColor = lossColor;
        plot.Axes.Right.Label.Text = "test accuracy (%)";
        plot.Axes.Right.Label.ForeColor = accuracyColor;
        // Whole epochs only: a fractional epoch tick would mean nothing.
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        plot.ShowLegend(Alignment.MiddleRight);
        plot.SavePng(path, Width, Height);
    }
}
