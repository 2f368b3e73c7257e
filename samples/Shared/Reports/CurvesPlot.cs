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
        // Limits and ticks chosen here, not by the automatic scaler: whole epochs with each point inside the
        // frame (a one-epoch run too), a loss axis from 0 at the lowest, and a handful of ticks on each axis.
        Apply(plot, plot.Axes.Bottom, AxisScale.ForEpochs(results.Count == 0 ? 1 : results.Min(r => r.Epoch), results.Count == 0 ? 1 : results.Max(r => r.Epoch)));
        Apply(plot, plot.Axes.Left, AxisScale.For(loss, floor: 0, ceiling: double.MaxValue, minimumSpan: 0.01));
        Apply(plot, plot.Axes.Right, AxisScale.For(accuracy, floor: 0, ceiling: 100, minimumSpan: 0.1));
        plot.ShowLegend(Alignment.MiddleRight);
        plot.SavePng(path, Width, Height);
    }

    private static void Apply(Plot plot, ScottPlot.IAxis axis, AxisScale scale)
    {
        axis.TickGenerator = new ScottPlot.TickGenerators.NumericFixedInterval(scale.Step);
        if (axis == plot.Axes.Bottom)
        {
            plot.Axes.SetLimitsX(scale.Min, scale.Max, (ScottPlot.IXAxis)axis);
        }
        else
        {
            plot.Axes.SetLimitsY(scale.Min, scale.Max, (ScottPlot.IYAxis)axis);
        }
    }
}
