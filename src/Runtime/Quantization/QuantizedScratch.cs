using System;

namespace SourceNet.Quantization;

/// <summary>How much scratch an operation needs for one batch: int32 sums, patch bytes and a row of floats.</summary>
internal readonly record struct ScratchSize(int Sums, int Patches, int Row)
{
    /// <summary>The larger of each need.</summary>
    public ScratchSize Max(ScratchSize other) =>
        new(Math.Max(Sums, other.Sums), Math.Max(Patches, other.Patches), Math.Max(Row, other.Row));
}

/// <summary>One thread's scratch for the operations of a quantised network, made once and reused by every batch.</summary>
internal sealed class QuantizedScratch
{
    public QuantizedScratch(ScratchSize size)
    {
        Sums = new int[size.Sums];
        Patches = new byte[size.Patches];
        Row = new float[size.Row];
    }

    /// <summary>An int8 product's int32 sums.</summary>
    public int[] Sums { get; }

    /// <summary>A convolution's input patches, one row of bytes per output position.</summary>
    public byte[] Patches { get; }

    /// <summary>One output row in floats, between the sums and the next layer's bytes.</summary>
    public float[] Row { get; }
}
