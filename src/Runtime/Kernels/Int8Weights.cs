using System;

namespace SourceNet.Kernels;

/// <summary>
/// An int8 weight matrix [k, n] packed for <see cref="Int8Gemm"/>: columns in blocks of
/// <see cref="BlockColumns"/>, and inside a block, groups of four consecutive k for each column side by side
/// (64 bytes per group). That is the operand layout of the u8·s8 dot-product instructions: one broadcast of four
/// input bytes meets four weights of each of 16 columns (one 512-bit vector, or two 256-bit halves). Rows past
/// <c>k</c> and columns past <c>n</c> are zero, so they add nothing to any sum.
/// </summary>
internal sealed class Int8Weights
{
    /// <summary>Columns per block: one 512-bit vector of 16 int32 sums.</summary>
    public const int BlockColumns = 16;

    /// <summary>Values of k per group: the dot-product instructions add four products per int32 lane.</summary>
    public const int GroupDepth = 4;

    /// <summary>Bytes per group of one block: <see cref="BlockColumns"/> x <see cref="GroupDepth"/>.</summary>
    public const int GroupBytes = BlockColumns * GroupDepth;

    /// <summary>Packs <paramref name="values"/>, row-major [<paramref name="k"/>, <paramref name="n"/>].</summary>
    public Int8Weights(ReadOnlySpan<sbyte> values, int k, int n)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(k);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(n);
        if (values.Length != (long)k * n)
            throw new ArgumentException($"A [{k}, {n}] weight matrix has {(long)k * n} values; got {values.Length}.", nameof(values));
        Depth = k;
        Columns = n;
        Groups = (k + GroupDepth - 1) / GroupDepth;
        Blocks = (n + BlockColumns - 1) / BlockColumns;
        Data = new sbyte[(long)Blocks * Groups * GroupBytes];
        ColumnSums = new int[n];
        for (int row = 0; row < k; row++)
        {
            for (int column = 0; column < n; column++)
            {
                sbyte value = values[row * n + column];
                Data[Offset(row, column)] = value;
                ColumnSums[column] += value;
            }
        }
    }

    /// <summary>Rows of the unpacked matrix: the inputs of each sum.</summary>
    public int Depth { get; }

    /// <summary>Columns of the unpacked matrix: the outputs.</summary>
    public int Columns { get; }

    /// <summary>Groups of four rows, the last one padded with zeros.</summary>
    public int Groups { get; }

    /// <summary>Blocks of 16 columns, the last one padded with zeros.</summary>
    public int Blocks { get; }

    /// <summary>Columns with the padding of the last block: the row length of a product's output.</summary>
    public int PaddedColumns => Blocks * BlockColumns;

    /// <summary>Bytes each input row must have readable: the groups' depth, padding included.</summary>
    public int PaddedDepth => Groups * GroupDepth;

    /// <summary>The packed bytes.</summary>
    public sbyte[] Data { get; }

    /// <summary>Σ_k W[k, n] for each column: what an input zero point adds to each sum, to be taken back out.</summary>
    public int[] ColumnSums { get; }

    /// <summary>Where W[<paramref name="row"/>, <paramref name="column"/>] lies in <see cref="Data"/>.</summary>
    public int Offset(int row, int column) =>
        ((column / BlockColumns) * Groups + row / GroupDepth) * GroupBytes + (column % BlockColumns) * GroupDepth + row % GroupDepth;

    /// <summary>W[<paramref name="row"/>, <paramref name="column"/>], read back from the packing.</summary>
    public sbyte this[int row, int column] => Data[Offset(row, column)];
}
