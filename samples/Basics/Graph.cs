namespace SourceNet.Samples.Basics;

/// <summary>The tutorial's computational graph, written as ordinary C#.</summary>
public static partial class Graph
{
    /// <summary>
    /// a = (b + c) * (c + 2), one node at a time. [Differentiable] makes SourceNet generate
    /// <c>AWithGradient(b, c, out dB, out dC)</c> (and an element-wise form over spans) at compile time;
    /// d and e are computed once and reused by the backward pass.
    /// </summary>
    [Differentiable]
    public static float A(float b, float c)
    {
        float d = b + c;
        float e = c + 2;
        float a = d * e;
        return a;
    }
}
