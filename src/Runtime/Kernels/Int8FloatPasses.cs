using System;

namespace SourceNet.Kernels;

/// <summary>
/// The float passes that calibration of an int8 network runs to see each tensor's values: the runtime's own
/// convolution and pooling kernels, behind names that keep <c>SourceNet.Quantization</c> free of kind names (an
/// architecture test checks it, as it checks the exporters).
/// </summary>
internal static class Int8FloatPasses
{
    /// <summary>The float convolution without activation, its workspace grown on demand.</summary>
    public static void Convolution(in Conv2DGeometry g, int batch, ReadOnlySpan<float> input, ReadOnlySpan<float> weight,
        ReadOnlySpan<float> bias, Span<float> output, ref float[] workspace)
    {
        int length = Conv2D.ForwardWorkspaceLength(g, batch);
        if (workspace.Length < length)
            workspace = new float[length];
        Conv2D.Forward<IdentityActivation>(g, batch, input, weight, bias, output, workspace);
    }

    /// <summary>The float max or average pooling, its argmax buffer grown on demand.</summary>
    public static void Pooling(in Pool2DGeometry g, Pool2DMode mode, int batch, ReadOnlySpan<float> input, Span<float> output, ref int[] argmax)
    {
        if (mode == Pool2DMode.Max)
        {
            if (argmax.Length < output.Length)
                argmax = new int[output.Length];
            Pool2D.MaxForward(g, batch, input, output, argmax.AsSpan(0, output.Length));
        }
        else
        {
            Pool2D.AverageForward(g, batch, input, output);
        }
    }
}
