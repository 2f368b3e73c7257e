using System;

namespace SourceNet.Kernels;

/// <summary>
/// How <see cref="Conv2D"/> cuts a batch and lays out its workspace, derived from the geometry alone (never from
/// the batch or the thread count, so a sample's results do not depend on either).
/// </summary>
/// <remarks>
/// Workspace, in floats: <c>[padded inputs: SamplesPerChunk · PaddedElements][patches: SamplesPerChunk ·
/// OutputPositions · PatchLength][one weight-sized matrix: PatchLength · Filters]</c>.
/// <para>A padded input is the sample with its zero border written out, cropped to the rows and columns the
/// windows reach: <c>PaddedHeight = (OH-1)·sy + KH</c>, <c>PaddedWidth = (OW-1)·sx + KW</c>. In it, the
/// <c>KW·Cin</c> values of one kernel row of a window are contiguous and never out of bounds, so im2col is
/// <c>KH</c> block copies per output position and the direct kernel runs without bounds checks.</para>
/// </remarks>
internal readonly struct ConvPlan
{
    /// <summary>At most this many floats of padded inputs and patches per chunk (4 MB).</summary>
    public const int ChunkFloats = 1 << 20;

    /// <summary>Patch floats per row block (256 KB), so a block's patches are still in L2 when its product runs.</summary>
    private const int BlockFloats = 1 << 16;

    public ConvPlan(in Conv2DGeometry g)
    {
        PaddedHeight = (g.OutputHeight - 1) * g.StrideY + g.KernelHeight;
        PaddedWidth = (g.OutputWidth - 1) * g.StrideX + g.KernelWidth;
        PaddedElements = checked(PaddedHeight * PaddedWidth * g.InputChannels);
        PatchLength = g.PatchLength;
        Positions = g.OutputPositions;
        long perSample = (long)PaddedElements + (long)Positions * PatchLength;
        SamplesPerChunk = (int)Math.Max(1, ChunkFloats / perSample);
        // A multiple of the GEMM's 6-row tile; at most 384 rows so that small layers still give each thread many blocks.
        RowsPerBlock = Math.Clamp(BlockFloats / PatchLength / 6 * 6, 6, 384);
    }

    public int PaddedHeight { get; }
    public int PaddedWidth { get; }
    public int PaddedElements { get; }
    public int PatchLength { get; }
    public int Positions { get; }
    public int SamplesPerChunk { get; }
    public int RowsPerBlock { get; }

    /// <summary>Samples in the largest chunk a batch of <paramref name="batch"/> is cut into.</summary>
    public int ChunkSamples(int batch) => Math.Min(SamplesPerChunk, batch);

    /// <summary>Offset of the patches region for a batch of up to <paramref name="maxBatch"/>.</summary>
    public long PatchesOffset(int maxBatch) => (long)ChunkSamples(maxBatch) * PaddedElements;

    /// <summary>Offset of the weight-sized matrix.</summary>
    public long MatrixOffset(int maxBatch) => PatchesOffset(maxBatch) + (long)ChunkSamples(maxBatch) * Positions * PatchLength;

    /// <summary>Total workspace floats.</summary>
    public long Length(int maxBatch, int filters) => MatrixOffset(maxBatch) + (long)PatchLength * filters;
}
