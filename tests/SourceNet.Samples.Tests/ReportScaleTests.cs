using SourceNet.Samples.Reports;

namespace SourceNet.Samples.Tests;

/// <summary>
/// The report's axes and numbers (issue 19): a handful of ticks at a 1-2-5 interval (the CNN's accuracy
/// axis had a tick every 0.02%), a one-epoch run inside the frame, a loss axis that does not go below 0,
/// and metrics.csv values without double-conversion noise.
/// </summary>
public class ReportScaleTests
{
    [Fact]
    public void The_cnns_accuracy_axis_gets_a_handful_of_ticks()
    {
        // The README's five CNN accuracies.
        AxisScale scale = AxisScale.For([98.71, 98.76, 99.04, 99.07, 99.07], floor: 0, ceiling: 100, minimumSpan: 0.1);

        Assert.InRange(scale.TickCount, 3, AxisScale.MaxTicks);
        Assert.True(scale.Step >= 0.05, $"A tick every {scale.Step}%.");
        Assert.True(scale.Min <= 98.71 && scale.Max >= 99.07 && scale.Max <= 100, scale.ToString());
    }

    [Fact]
    public void A_one_epoch_run_is_inside_the_frame_and_the_loss_axis_stays_at_or_above_0()
    {
        AxisScale epochs = AxisScale.ForEpochs(1, 1);
        AxisScale loss = AxisScale.For([0.004], floor: 0, ceiling: double.MaxValue, minimumSpan: 0.01);

        Assert.True(epochs.Min < 1 && epochs.Max > 1, epochs.ToString());
        Assert.Equal(1, epochs.Step);
        Assert.Equal(0, loss.Min);
        Assert.True(loss.Max > 0.004, loss.ToString());
        Assert.InRange(loss.TickCount, 2, AxisScale.MaxTicks);
    }

    [Theory]
    [InlineData(0.0, 1, 1)]
    [InlineData(0.13, 0.2, 0.2)]
    [InlineData(0.021, 0.05, 0.05)]
    [InlineData(37, 50, 50)]
    public void Steps_are_1_2_or_5_times_a_power_of_ten(double rough, double low, double high) =>
        Assert.InRange(AxisScale.NiceStep(rough), low, high);

    [Fact]
    public void Ten_epochs_and_a_hundred_get_whole_epoch_ticks_within_the_limit()
    {
        Assert.Equal(2, AxisScale.ForEpochs(1, 10).Step);
        Assert.InRange(AxisScale.ForEpochs(1, 100).TickCount, 2, AxisScale.MaxTicks);
    }

    [Fact]
    public void Metrics_print_a_float_as_the_float_it_is()
    {
        // Before: 0.9487000107765198, the double expansion of the float accuracy.
        Assert.Equal("0.9487", MetricsCsv.Number(0.9487f));
        // A genuine double (a mean loss summed in double) keeps every digit it needs.
        Assert.Equal("0.1", MetricsCsv.Number(0.1));
        Assert.Equal(0.1, double.Parse(MetricsCsv.Number(0.1), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("3", MetricsCsv.Number(3.0));
    }
}
