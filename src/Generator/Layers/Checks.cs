using System.Globalization;
using SourceNet.Generator.Diagnostics;
using SourceNet.Generator.Model;
using SourceNet.Generator.Shapes;

namespace SourceNet.Generator.Layers;

/// <summary>Argument checks that several kinds share, each reported with the numbers.</summary>
internal static class Checks
{
    /// <summary>An initialisation scale must be finite and non-negative (SN0014).</summary>
    public static void Scale(ProblemSink problems, string layer, string argument, float value)
    {
        if (float.IsNaN(value) || float.IsInfinity(value) || value < 0f)
        {
            problems.Report(DiagnosticDescriptors.InvalidInitializationId, argument, layer, argument, value.ToString("R", CultureInfo.InvariantCulture));
        }
    }

    /// <summary>A size argument must be at least <paramref name="minimum"/> (SN0024). Returns whether it is.</summary>
    public static bool Size(ProblemSink problems, string layer, string argument, int value, int minimum = 1)
    {
        if (value >= minimum)
        {
            return true;
        }
        problems.Report(DiagnosticDescriptors.NonPositiveSizeId, argument, layer, argument, Text.Of(value), Text.Of(minimum));
        return false;
    }

    /// <summary>The input must be an image (SN0026). Returns whether it is.</summary>
    public static bool Image(ProblemSink problems, string layer, string kind, Shape input)
    {
        if (input.IsImage)
        {
            return true;
        }
        problems.Report(DiagnosticDescriptors.NeedsImageInputId, null, layer, kind, input.ToString(), ImageFor(input.Elements));
        return false;
    }

    /// <summary>
    /// An image shape that holds <paramref name="values"/> values, to show in a fix: square one-channel or
    /// three-channel images first (784 is 28 x 28 x 1), else one row.
    /// </summary>
    private static string ImageFor(long values)
    {
        foreach (int channels in new[] { 1, 3 })
        {
            if (values % channels == 0)
            {
                long side = (long)System.Math.Round(System.Math.Sqrt(values / channels));
                if (side * side * channels == values)
                {
                    return $"{{ {Text.Of(side)}, {Text.Of(side)}, {Text.Of(channels)} }}";
                }
            }
        }
        return $"{{ 1, {Text.Of(values)}, 1 }}";
    }

    /// <summary>
    /// The output length of a window sliding along one axis, as the runtime computes it (TensorFlow's rules);
    /// 0 after reporting SN0023, on <paramref name="argument"/> (the size argument that sets this axis), when a
    /// window without padding is larger than the input.
    /// </summary>
    public static int Window(ProblemSink problems, string layer, string what, int input, int window, int stride, bool same, string axis, string argument)
    {
        if (same)
        {
            return (input + stride - 1) / stride;
        }
        if (window > input)
        {
            problems.Report(DiagnosticDescriptors.WindowTooLargeId, argument, layer, what, axis, Text.Of(input));
            return 0;
        }
        return (input - window) / stride + 1;
    }

    /// <summary>Leading padding of a <c>Same</c> window along one axis (the smaller half, as TensorFlow).</summary>
    public static int PadBefore(int input, int window, int stride, bool same)
    {
        if (!same)
        {
            return 0;
        }
        int output = (input + stride - 1) / stride;
        int total = (output - 1) * stride + window - input;
        return total > 0 ? total / 2 : 0;
    }
}

/// <summary>Culture-invariant number text for messages and generated code.</summary>
internal static class Text
{
    public static string Of(long value) => value.ToString(CultureInfo.InvariantCulture);
}
