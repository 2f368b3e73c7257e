namespace SourceNet.Quantization;

/// <summary>How calibration turns the values a tensor took on the calibration samples into its byte range.</summary>
public enum CalibrationMethod
{
    /// <summary>The smallest and largest values seen: nothing is clipped, and one outlier widens every step.</summary>
    MinMax = 0,

    /// <summary>
    /// The <see cref="QuantizationOptions.Percentile"/> and its mirror (99.99 and 0.01 by default): the rare values
    /// beyond are clipped, and the rest get finer steps.
    /// </summary>
    Percentile = 1,
}
