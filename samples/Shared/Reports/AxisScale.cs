namespace SourceNet.Samples.Reports;

/// <summary>
/// An axis's limits and tick interval, chosen so that the plot stays readable whatever the data: at most
/// <see cref="MaxTicks"/> ticks at a 1, 2 or 5 × 10^k interval (not a tick every 0.02% when accuracies differ
/// by a few tenths), a padded range that is never empty (a one-epoch run has one value per curve), and
/// no negative values on an axis of quantities that cannot be negative (a loss).
/// </summary>
/// <param name="Min">The lower limit.</param>
/// <param name="Max">The upper limit.</param>
/// <param name="Step">The interval between ticks.</param>
public readonly record struct AxisScale(double Min, double Max, double Step)
{
    /// <summary>The most ticks an axis gets.</summary>
    public const int MaxTicks = 6;

    /// <summary>The ticks within the limits.</summary>
    public int TickCount => (int)(Math.Floor(Max / Step + 1e-9) - Math.Ceiling(Min / Step - 1e-9)) + 1;

    /// <summary>The scale for <paramref name="values"/>, padded by a tenth of their range.</summary>
    /// <param name="values">The data (at least one finite value; others are ignored).</param>
    /// <param name="floor">The least value the quantity can take (0 for a loss); the axis does not go below it.</param>
    /// <param name="ceiling">The largest value it can take (100 for a percentage).</param>
    /// <param name="minimumSpan">The smallest range the axis shows, so a single value or equal values still get an axis.</param>
    public static AxisScale For(IEnumerable<double> values, double floor, double ceiling, double minimumSpan)
    {
        ArgumentNullException.ThrowIfNull(values);
        double[] finite = values.Where(double.IsFinite).ToArray();
        if (finite.Length == 0)
        {
            finite = [floor];
        }
        double low = finite.Min(), high = finite.Max();
        double pad = Math.Max((high - low) / 10, minimumSpan / 2);
        low = Math.Max(floor, low - pad);
        high = Math.Min(ceiling, high + pad);
        double step = NiceStep((high - low) / (MaxTicks - 1));
        while ((Math.Floor(high / step) - Math.Ceiling(low / step)) + 1 > MaxTicks)
        {
            step = NiceStep(step * 1.5);
        }
        return new AxisScale(low, high, step);
    }

    /// <summary>The epoch axis: whole epochs, each point half an epoch from the edge.</summary>
    public static AxisScale ForEpochs(int first, int last)
    {
        double step = Math.Max(1, NiceStep((last - first + 1) / (double)(MaxTicks - 1)));
        while ((Math.Floor(last / step) - Math.Ceiling(first / step)) + 1 > MaxTicks)
        {
            step = NiceStep(step * 1.5);
        }
        return new AxisScale(first - 0.5, last + 0.5, Math.Round(step));
    }

    /// <summary>The smallest of 1, 2, 5 × 10^k that is at least <paramref name="rough"/>.</summary>
    public static double NiceStep(double rough)
    {
        if (!(rough > 0) || !double.IsFinite(rough))
        {
            return 1;
        }
        double power = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        foreach (double multiple in new[] { 1.0, 2.0, 5.0, 10.0 })
        {
            if (multiple * power >= rough * (1 - 1e-12))
            {
                return multiple * power;
            }
        }
        return 10 * power;
    }
}
